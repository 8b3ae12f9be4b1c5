// Public entry point: startEmulator() runs the Salesforce and Marketo emulators on two loopback
// ports and returns their connection info, the control API and direct access to the stores.
import { type ControlClient, createControlClient, EmulatorControl } from './control';
import { EmulatorCore, type EmulatorOptions } from './core';
import type { MarketoEmulator } from './marketo';
import type { SalesforceOrg } from './salesforce/org';
import type { SeedSummary } from './seeds';
import { CONTROL_PREFIX, startServers } from './server';

export interface EmulatorInfo {
  salesforce: { url: string; sid: string; orgId: string; clientId: string };
  marketo: { url: string; clientId: string; clientSecret: string };
  control: { url: string };
}

export interface Emulator {
  /** Exactly what the CLI prints. */
  info: EmulatorInfo;
  /** The control API in-process (same methods as over HTTP at info.control.url). */
  control: EmulatorControl;
  /** Direct access for assertions: the org (store, auth, usage, schema, principals). */
  salesforce: SalesforceOrg;
  /** Direct access: the Marketo emulator (store, control, snapshot). */
  marketo: MarketoEmulator;
  core: EmulatorCore;
  seed: SeedSummary;
  /** Closes both servers and every open socket. */
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const core = new EmulatorCore(options);
  const control = new EmulatorControl(core);
  const servers = await startServers(core, control);
  core.org.baseUrl = servers.salesforce.url;
  const info: EmulatorInfo = {
    salesforce: {
      url: servers.salesforce.url,
      sid: core.org.adminSid,
      orgId: core.org.principals.orgId,
      clientId: core.org.options.clientId,
    },
    marketo: { url: servers.marketo.url, ...core.marketoCredentials },
    control: { url: `${servers.salesforce.url}${CONTROL_PREFIX}` },
  };
  let stopped = false;
  return {
    info,
    control,
    salesforce: core.org,
    marketo: core.marketo,
    core,
    get seed() {
      return core.seedSummary;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await Promise.all([servers.salesforce.close(), servers.marketo.close()]);
    },
  };
}

export type { Fault, FaultSpec, Side } from './faults';
export type { SeedName } from './seeds';
export type { ControlClient, EmulatorOptions };
export { createControlClient, EmulatorControl };
