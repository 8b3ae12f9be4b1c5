// The Marketo half of the local emulator: createMarketoEmulator() returns a request handler the
// core server mounts, the data store, and the control hooks. Fault injection, latency and
// per-endpoint call counting live in the core server's wrapper, not here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { activityRoutes } from './activities';
import { createControl, type MarketoControl } from './control';
import { crmObjectRoutes } from './crmObjectRoutes';
import { customActivityRoutes } from './customActivities';
import { customActivityTypeRoutes } from './customActivityTypes';
import { customObjectRoutes } from './customObjects';
import { dispatch } from './dispatch';
import { emailRoutes } from './emails';
import { IdentityService } from './identity';
import { leadProgramRoutes } from './leadPrograms';
import { leadRoutes } from './leads';
import { type MarketoLimits, RateLimiter } from './limits';
import { programMemberRoutes } from './programMembers';
import { programRoutes } from './programs';
import { type MarketoSnapshot, snapshotStore } from './snapshot';
import { statsRoutes } from './stats';
import { MarketoStore } from './store';

export type { MarketoControl } from './control';
export { MarketoControlError } from './control';
export type { MarketoLimits } from './limits';
export type { SeedPerson } from './seed';
export { seedMarketo } from './seed';
export type { MarketoSnapshot } from './snapshot';
export type { MarketoSettings } from './store';
export { MarketoStore };

export interface MarketoEmulatorOptions {
  clientId: string;
  clientSecret: string;
  now?: () => number;
  limits?: Partial<MarketoLimits>;
  sfdcFieldsCrmManaged?: boolean;
}

export interface MarketoEmulator {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  store: MarketoStore;
  control: MarketoControl;
  /** Empties all data, tokens and usage, and restores the options' limits and settings. */
  reset(): void;
  snapshot(): MarketoSnapshot;
}

export function createMarketoEmulator(options: MarketoEmulatorOptions): MarketoEmulator {
  const now = options.now ?? Date.now;
  const initialSettings = { sfdcFieldsCrmManaged: options.sfdcFieldsCrmManaged ?? true };
  const store = new MarketoStore(now, initialSettings);
  const identity = new IdentityService(options.clientId, options.clientSecret, now);
  const limiter = new RateLimiter(now, options.limits);
  let processingDelayMs = 0;
  const routes = [
    ...leadProgramRoutes,
    ...leadRoutes,
    ...activityRoutes,
    ...programRoutes,
    ...programMemberRoutes,
    ...customObjectRoutes,
    ...crmObjectRoutes,
    ...emailRoutes,
    ...customActivityTypeRoutes,
    ...customActivityRoutes,
    ...statsRoutes(limiter, now),
  ];
  const deps = { identity, limiter, store, routes, processingDelayMs: () => processingDelayMs };
  const control = createControl({
    store,
    identity,
    limiter,
    setProcessingDelay: (ms) => {
      processingDelayMs = ms;
    },
  });
  const fresh = new MarketoStore(now, initialSettings);
  return {
    handle: (req, res, url) => dispatch(deps, req, res, url),
    store,
    control,
    reset() {
      store.clear();
      store.settings = { ...fresh.settings };
      identity.reset();
      limiter.resetUsage();
      limiter.limits = new RateLimiter(now, options.limits).limits;
      processingDelayMs = 0;
    },
    snapshot: () => snapshotStore(store),
  };
}
