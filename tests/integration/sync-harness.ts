// Shared set-up of the sync engine's integration tests (tests/integration/sync-*.test.ts): the
// emulator in-process on loopback, both real clients over real HTTP with call counters, a fresh
// log per harness (fake-indexeddb, or PostgreSQL with SYNC_LOG=postgres: tests/support/testLog.ts), and the engine. Also the count invariant of design §5, checked
// on every step of every cycle the tests run (`cycle()` does it).
import { expect } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/index';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import type { LogDatabase } from '../../lib/db/logPort';
import type { StepRow } from '../../lib/db/types';
import { OUTCOMES } from '../../lib/db/types';
import { ApiCallCounter, type ClockPort } from '../../lib/http/ports';
import { createMarketoClient, type MarketoClient } from '../../lib/marketo';
import { fixedSession } from '../../lib/salesforce/auth/session';
import { SalesforceClient } from '../../lib/salesforce/client';
import { defaultSettings, type SyncSettings } from '../../lib/settings/schema';
import { type CycleReport, type CycleRequest, createSyncEngine, type SyncEngine } from '../../lib/sync';
import { dropTestLog, openTestLog } from '../support/testLog';

let dbCounter = 0;
const fastRetry = { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 2_000 };

export interface SyncHarness {
  emu: Emulator;
  db: LogDatabase;
  salesforce: SalesforceClient;
  marketo: MarketoClient;
  sfCounter: ApiCallCounter;
  mkCounter: ApiCallCounter;
  clock: ClockPort;
  settings: SyncSettings;
  engine: SyncEngine;
  logs: string[];
  /** The most requests to each path (method and pathname) that were in flight at once. */
  peakInFlight: Map<string, number>;
  /** Runs one cycle and checks the count invariant on each of its steps. */
  cycle(request?: Partial<CycleRequest>): Promise<CycleReport>;
  /** Moves the emulator's (and so the engine's) clock, like the minutes between two cycles. */
  advance(ms?: number): void;
  newEngine(owner: string): SyncEngine;
  /** An engine of this harness (clients, settings, clock) on another handle of a log: a second worker. */
  engineOn(db: LogDatabase, owner: string): SyncEngine;
  stop(): Promise<void>;
}

export async function startSyncHarness(
  options: EmulatorOptions = {},
  tweak: (settings: SyncSettings) => void = () => {},
  /** Sees each request before it is sent (e.g. to arm an emulator fault for the next one). */
  beforeFetch: (url: string, init?: RequestInit) => void = () => {},
): Promise<SyncHarness> {
  const emu = await startEmulator({
    seed: 'empty',
    ...options,
    marketo: { ...options.marketo, limits: { enabled: false, ...options.marketo?.limits } },
  });
  const clock: ClockPort = {
    now: () => emu.core.clock.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const sfCounter = new ApiCallCounter();
  const mkCounter = new ApiCallCounter();
  const inFlight = new Map<string, number>();
  const peakInFlight = new Map<string, number>();
  const send = async (input: string, init?: RequestInit) => {
    beforeFetch(input, init);
    const path = `${init?.method ?? 'GET'} ${new URL(input).pathname}`;
    const now = (inFlight.get(path) ?? 0) + 1;
    inFlight.set(path, now);
    peakInFlight.set(path, Math.max(now, peakInFlight.get(path) ?? 0));
    try {
      return await fetch(input, init);
    } finally {
      inFlight.set(path, inFlight.get(path)! - 1);
    }
  };
  const salesforce = new SalesforceClient({
    fetch: send,
    clock,
    counter: sfCounter,
    tokens: fixedSession({ instanceUrl: emu.info.salesforce.url, accessToken: emu.info.salesforce.sid }),
    retry: fastRetry,
    timeoutMs: 10_000,
  });
  const marketo = createMarketoClient({
    fetch: send,
    clock,
    counter: mkCounter,
    credentials: () => ({
      endpoint: `${emu.info.marketo.url}/rest`,
      clientId: emu.info.marketo.clientId,
      clientSecret: emu.info.marketo.clientSecret,
    }),
    retry: fastRetry,
    limits: { callsPerWindow: 100_000, dailyBudget: 10_000_000 },
  });
  dbCounter += 1;
  const db = await openTestLog(`sync-test-${process.pid}-${dbCounter}`);
  const settings = defaultSettings();
  settings.retry.backoffBaseMinutes = 1;
  tweak(settings);
  const logs: string[] = [];
  const engineOn = (log: LogDatabase, owner: string) =>
    createSyncEngine({
      db: log,
      salesforce,
      marketo,
      settings: async () => settings,
      clock,
      owner,
      log: (line) => logs.push(line),
    });
  const newEngine = (owner: string) => engineOn(db, owner);
  const engine = newEngine('test-worker');
  const harness: SyncHarness = {
    emu,
    db,
    salesforce,
    marketo,
    sfCounter,
    mkCounter,
    clock,
    settings,
    engine,
    logs,
    peakInFlight,
    async cycle(request = {}) {
      const report = await harness.engine.runCycle({ trigger: 'manual', ...request });
      await expectCountInvariant(db, report);
      return report;
    },
    advance(ms = 5 * 60_000) {
      emu.control.advanceTime({ ms });
    },
    newEngine,
    engineOn,
    async stop() {
      await dropTestLog(db);
      await emu.stop();
    },
  };
  return harness;
}

/**
 * Design §5's invariant, for every finished step: new + updated + deleted + failed + skipped +
 * excluded == the records it handled == its per-record events (the packed outcomes).
 */
export async function expectCountInvariant(db: LogDatabase, report: CycleReport): Promise<void> {
  expect(report.cycle, report.skippedReason).toBeDefined();
  for (const step of report.steps) {
    expect(step.status, `${step.operation} ${step.objectType} finished`).not.toBe('In Process');
    const rows = await db.recordEvents
      .where('[stepId+id]')
      .between([step.id, -Infinity], [step.id, Infinity])
      .toArray();
    const events = rows.reduce((n, r) => n + rowOutcomes(r).length, 0);
    const perOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
    for (const r of rows) for (const o of rowOutcomes(r)) perOutcome[o.outcome]!++;
    const counted = OUTCOMES.reduce((n, o) => n + step[o], 0);
    expect(counted, `${step.operation} ${step.objectType}: counters vs events`).toBe(events);
    for (const o of OUTCOMES)
      expect(step[o], `${step.operation} ${step.objectType} ${o}`).toBe(perOutcome[o]);
  }
}

/** The step of a report, by operation and object type. */
export function stepOf(report: CycleReport, operation: string, objectType: string): StepRow {
  const step = report.steps.find((s) => s.operation === operation && s.objectType === objectType);
  if (!step)
    throw new Error(
      `no step ${operation} ${objectType} in ${report.steps.map((s) => `${s.operation}/${s.objectType}`)}`,
    );
  return step;
}
