// Everything the emulator holds, without the HTTP servers: clock, Salesforce org, Marketo
// emulator, faults, counters and the seed that built the data.
import { Clock } from './clock';
import { CallCounters } from './counters';
import { FaultInjector } from './faults';
import { createMarketoEmulator, type MarketoEmulator } from './marketo';
import type { MarketoLimits } from './marketo/limits';
import { resolveSalesforceOptions, type SalesforceOptions, SalesforceOrg } from './salesforce/org';
import { applySeed, type SeedName, type SeedSummary } from './seeds';

export interface EmulatorOptions {
  /** 0 (default) = any free port. */
  salesforcePort?: number;
  marketoPort?: number;
  seed?: SeedName;
  /** Leads in the `large` seed (default 100,000). */
  size?: number;
  /** PRNG seed for the data (default 1). */
  rngSeed?: number;
  /** `large` seed: members of one campaign, the first N leads (default 0, no campaign). */
  members?: number;
  /** `large` seed: opportunities on accounts with two contacts each, both contact roles (default 0). */
  opportunities?: number;
  /** Time source; the control API can still move the emulator's clock relative to it. */
  now?: () => number;
  salesforce?: SalesforceOptions;
  marketo?: {
    clientId?: string;
    clientSecret?: string;
    limits?: Partial<MarketoLimits>;
    sfdcFieldsCrmManaged?: boolean;
  };
}

export class EmulatorCore {
  readonly clock: Clock;
  readonly org: SalesforceOrg;
  readonly marketo: MarketoEmulator;
  readonly marketoCredentials: { clientId: string; clientSecret: string };
  readonly faults = new FaultInjector();
  readonly counters = new CallCounters();
  seedSummary: SeedSummary;

  constructor(readonly options: EmulatorOptions) {
    this.clock = new Clock(options.now);
    this.org = new SalesforceOrg(this.clock, resolveSalesforceOptions(options.salesforce));
    this.marketoCredentials = {
      clientId: options.marketo?.clientId ?? 'emulator-marketo-client',
      clientSecret: options.marketo?.clientSecret ?? 'emulator-marketo-secret',
    };
    this.marketo = createMarketoEmulator({
      ...this.marketoCredentials,
      now: () => this.clock.now(),
      limits: options.marketo?.limits,
      sfdcFieldsCrmManaged: options.marketo?.sfdcFieldsCrmManaged,
    });
    this.seedSummary = this.seed(
      options.seed ?? 'empty',
      options.size ?? 100_000,
      options.rngSeed ?? 1,
      options.members ?? 0,
      options.opportunities ?? 0,
    );
  }

  private seed(
    name: SeedName,
    size: number,
    rngSeed: number,
    members: number,
    opportunities: number,
  ): SeedSummary {
    return applySeed(
      { org: this.org, marketoStore: this.marketo.store, now: this.clock.now() },
      name,
      size,
      rngSeed,
      members,
      opportunities,
    );
  }

  /** Fresh data from a seed (default: the start-up seed); sessions, faults and clock are kept. */
  reset(
    seed: SeedName = this.options.seed ?? 'empty',
    size = this.options.size ?? 100_000,
    rngSeed = this.options.rngSeed ?? 1,
    members = this.options.members ?? 0,
    opportunities = this.options.opportunities ?? 0,
  ): SeedSummary {
    this.org.resetData();
    this.org.usage.reset();
    this.marketo.reset();
    this.seedSummary = this.seed(seed, size, rngSeed, members, opportunities);
    return this.seedSummary;
  }
}
