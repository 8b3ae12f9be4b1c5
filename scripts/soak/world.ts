// The soak's world (shared by `npm run soak` and tests/integration/sync-property.test.ts): the
// emulator in-process on loopback, a log database in (fake-)IndexedDB, and the workers that run
// the engine on it. Time is simulated: the emulator's clock stands still unless moved, and the
// clients' sleeps (retry back-offs, Marketo's 606 pause) move it instead of waiting, so a run is
// repeatable for a seed and a 20-second back-off costs nothing.
//
// A worker can be killed at its Nth write — an HTTP request that is not a GET, or a log write —
// the way Chrome stops a service worker: nothing it does afterwards reaches either API or the log.
// Killed before a request, the request is never sent; killed after it, the other side did the
// write but the worker never learns of it; killed at a log write, that write's transaction is
// rolled back. Its lease is then taken over by the next worker, as the browser's Web Lock allows.
import type { DBCoreTable, DBCoreTransaction } from 'dexie';
import { type Emulator, type SeedName, startEmulator } from '../../emulator/index';
import { SyncLogDatabase } from '../../lib/db/database';
import type { LogDatabase } from '../../lib/db/logPort';
import { ApiCallCounter, type ClockPort } from '../../lib/http/ports';
import { createMarketoClient } from '../../lib/marketo';
import { authorize, type OAuthConfig, type OAuthTokens } from '../../lib/salesforce/auth/oauth';
import { OAuthTokenSource } from '../../lib/salesforce/auth/oauthTokenSource';
import { SalesforceClient } from '../../lib/salesforce/client';
import { defaultSettings, type SyncSettings } from '../../lib/settings/schema';
import { type CycleReport, type CycleRequest, createSyncEngine, type SyncEngine } from '../../lib/sync';
import { enableSoakObjects } from './objects';

/** A fixed start so that every run of a seed sees the same dates. */
export const EPOCH = Date.UTC(2026, 10, 2, 9, 0, 0);
/** Short enough that a hung request costs little wall time, long enough for a 10k-row page. */
export const REQUEST_TIMEOUT_MS = 2_000;
const fastRetry = { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 60_000 };
const never = <T>() => new Promise<T>(() => {});

/** How a cycle is cut short: the worker killed at its Nth write, or its Nth log write failing. */
export type CycleStop =
  | { kind: 'kill'; atWrite: number; afterRequest: boolean }
  | { kind: 'storageError'; atWrite: number }
  | { kind: 'budget'; maxApiCalls: number };

export interface Worker {
  owner: string;
  engine: SyncEngine;
  killed: boolean;
}

export interface SoakWorld {
  emu: Emulator;
  clock: ClockPort;
  settings: SyncSettings;
  /** The live workers' shared connection, for reading the log (the org's PostgreSQL log under --service). */
  db: LogDatabase;
  /** Runs one cycle on the current worker (a new one after a kill); undefined when it was killed. */
  cycle(stop?: CycleStop, request?: Partial<CycleRequest>): Promise<CycleReport | undefined>;
  /** Whether the last cycle's stop (kill or storage error) was reached; budgets always count. */
  stopFired(): boolean;
  /** The log table whose write the last storage error failed, if one did. */
  failedTable(): string | undefined;
  advance(ms: number): void;
  stop(): Promise<void>;
}

export interface WorldOptions {
  seed: SeedName;
  size?: number;
  rngSeed?: number;
  tweak?: (settings: SyncSettings) => void;
}

let worldCounter = 0;

/** The soak's emulator: the world's seed, time from `now` (standing still at EPOCH by default). */
export function startSoakEmulator(options: WorldOptions, now: () => number = () => EPOCH): Promise<Emulator> {
  return startEmulator({
    seed: options.seed,
    ...(options.size !== undefined && { size: options.size }),
    rngSeed: options.rngSeed ?? 1,
    now,
    marketo: { limits: { enabled: false } },
  });
}

/** The settings every soak syncs with: retries back off from 1 minute; issue 19's objects on. */
export function soakSettings(options: WorldOptions): SyncSettings {
  const settings = defaultSettings();
  settings.retry.backoffBaseMinutes = 1;
  enableSoakObjects(settings);
  options.tweak?.(settings);
  return settings;
}

export async function startSoakWorld(options: WorldOptions): Promise<SoakWorld> {
  const emu = await startSoakEmulator(options);
  const clock: ClockPort = {
    now: () => emu.core.clock.now(),
    sleep: async (ms) => {
      emu.core.clock.advance(Math.max(0, ms));
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  const settings = soakSettings(options);
  worldCounter += 1;
  const dbName = `soak-${process.pid}-${worldCounter}`;
  const db = new SyncLogDatabase(dbName);
  const tokens = { current: await authorizeSyncUser(emu, clock) };
  const live = new Set<string>();
  let generation = 0;
  let current: (Worker & { arm(stop?: CycleStop): void }) | undefined;
  let fired = false;
  let failedTable: string | undefined;

  function newWorker() {
    generation += 1;
    const owner = `soak-worker-${generation}`;
    const state = { killed: false, writes: 0, logWrites: 0, stop: undefined as CycleStop | undefined };
    /**
     * Counts a write; true when this write is the one the stop is armed for. A kill counts every
     * write (an HTTP write or a log write); a storage error only log writes, since only those can
     * meet a full disk (counting HTTP writes too fired the stop on a request and failed nothing).
     */
    const hit = (source: 'http' | 'log') => {
      state.writes += 1;
      if (source === 'log') state.logWrites += 1;
      const s = state.stop;
      const at =
        s !== undefined &&
        (s.kind === 'kill'
          ? state.writes === s.atWrite
          : s.kind === 'storageError' && source === 'log' && state.logWrites === s.atWrite);
      if (at) fired = true;
      return at;
    };
    const send = async (input: string, init?: RequestInit): Promise<Response> => {
      if (state.killed) return never();
      const write = (init?.method ?? 'GET').toUpperCase() !== 'GET';
      const s = state.stop;
      if (write && hit('http') && s?.kind === 'kill') {
        state.killed = true;
        live.delete(owner);
        if (!s.afterRequest) return never();
        await fetch(input, init).catch(() => undefined);
        return never();
      }
      const response = await fetch(input, init);
      if (state.killed) return never();
      return response;
    };
    const ownDb = new SyncLogDatabase(dbName);
    ownDb.use({
      stack: 'dbcore',
      name: 'soak-stop',
      create: (down) => ({
        ...down,
        table: (name) =>
          stoppable(down.table(name), state, () => {
            const s = state.stop;
            if (!hit('log') || !s || s.kind === 'budget') return undefined;
            if (s.kind === 'kill') {
              state.killed = true;
              live.delete(owner);
              return 'kill';
            }
            failedTable = name;
            return 'fail';
          }),
      }),
    });
    const oauth = new OAuthTokenSource(
      { fetch: send, clock, retry: fastRetry, timeoutMs: REQUEST_TIMEOUT_MS },
      oauthConfig(emu),
      tokens.current,
      async (fresh) => {
        tokens.current = fresh;
      },
    );
    const salesforce = new SalesforceClient({
      fetch: send,
      clock,
      counter: new ApiCallCounter(),
      tokens: oauth,
      retry: fastRetry,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    const marketo = createMarketoClient({
      fetch: send,
      clock,
      counter: new ApiCallCounter(),
      credentials: () => ({
        endpoint: `${emu.info.marketo.url}/rest`,
        clientId: emu.info.marketo.clientId,
        clientSecret: emu.info.marketo.clientSecret,
      }),
      retry: fastRetry,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      limits: { callsPerWindow: 100_000, dailyBudget: 10_000_000 },
    });
    live.add(owner);
    const engine = createSyncEngine({
      db: ownDb,
      salesforce,
      marketo,
      settings: async () => settings,
      clock,
      owner,
      leaseOwnerAlive: async (other) => live.has(other),
    });
    return {
      owner,
      engine,
      get killed() {
        return state.killed;
      },
      arm(stop?: CycleStop) {
        state.writes = 0;
        state.logWrites = 0;
        state.stop = stop;
      },
    };
  }

  return {
    emu,
    clock,
    settings,
    db,
    async cycle(stop, request = {}) {
      if (!current || current.killed) current = newWorker();
      const worker = current;
      fired = stop?.kind === 'budget';
      failedTable = undefined;
      worker.arm(stop);
      const budget = stop?.kind === 'budget' ? { budget: { maxApiCalls: stop.maxApiCalls } } : {};
      const run = worker.engine.runCycle({ trigger: 'schedule', ...budget, ...request });
      // A killed worker's cycle never ends: stop waiting once it is dead.
      const report = await Promise.race([run, untilKilled(worker)]);
      worker.arm(undefined);
      return report;
    },
    stopFired: () => fired,
    failedTable: () => failedTable,
    advance(ms) {
      emu.core.clock.advance(ms);
    },
    async stop() {
      db.close();
      await emu.stop();
    },
  };
}

async function untilKilled(worker: Worker): Promise<undefined> {
  while (!worker.killed) await new Promise((resolve) => setTimeout(resolve, 5));
  return undefined;
}

type StopDecision = 'kill' | 'fail' | undefined;

/**
 * A table whose writes count towards the armed stop. At the stop's write a kill aborts the write's
 * transaction (nothing of it lands, as when the process dies) and leaves every later call of the
 * dead worker hanging; a storage error fails that write the way a full disk does.
 */
function stoppable(table: DBCoreTable, state: { killed: boolean }, atWrite: () => StopDecision): DBCoreTable {
  const dead = (trans: DBCoreTransaction) => {
    try {
      (trans as unknown as IDBTransaction).abort();
    } catch {
      // Already finished: nothing left to roll back.
    }
    return never<never>();
  };
  return {
    ...table,
    mutate: (req) => {
      if (state.killed) return dead(req.trans);
      const decision = atWrite();
      if (decision === 'kill') return dead(req.trans);
      if (decision === 'fail') {
        try {
          (req.trans as unknown as IDBTransaction).abort();
        } catch {
          // The transaction is gone already; the error below still reaches the engine.
        }
        return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      }
      return table.mutate(req);
    },
    get: (req) => (state.killed ? dead(req.trans) : table.get(req)),
    getMany: (req) => (state.killed ? dead(req.trans) : table.getMany(req)),
    query: (req) => (state.killed ? dead(req.trans) : table.query(req)),
    openCursor: (req) => (state.killed ? dead(req.trans) : table.openCursor(req)),
    count: (req) => (state.killed ? dead(req.trans) : table.count(req)),
  };
}

export function oauthConfig(emu: Emulator): OAuthConfig {
  return {
    loginUrl: emu.info.salesforce.url,
    clientId: emu.info.salesforce.clientId,
    redirectUri: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/cb',
  };
}

/** The admin grants the sync user once (OAuth with PKCE): expired sessions are then refreshed. */
export async function authorizeSyncUser(emu: Emulator, clock: ClockPort): Promise<OAuthTokens> {
  // Stands in for launchWebAuthFlow: the emulator's authorize page redirects at once.
  const launch = async (url: string) =>
    (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
  return authorize({ fetch: (i, init) => fetch(i, init), clock }, oauthConfig(emu), launch);
}
