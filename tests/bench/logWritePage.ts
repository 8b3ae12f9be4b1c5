// Page side of log.bench.ts, bundled with esbuild and evaluated in an extension page (same origin
// as the extension's `sync-log` database). It runs the engine's real per-batch commit
// (lib/sync/context.ts `stepContext().commit`: lease check and lib/db writeBatch with the batch's
// outcomes, failures and sync states, one transaction) against a log seeded with a few days of data, and times each commit.
// First: zod must not compile with new Function in an extension page (zodJitless.ts).
import './zodJitless';
import { SyncLogDatabase } from '../../lib/db/database';
import { eventRowBody } from '../../lib/db/eventRowBody';
import { failureRowOf } from '../../lib/db/failures';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import type { LogDatabase } from '../../lib/db/logPort';
import { packStates } from '../../lib/db/packedStates';
import { type SyncState, stateKey } from '../../lib/db/syncStateTypes';
import type { PackedOutcome, RecordEventRow } from '../../lib/db/types';
import { toId18 } from '../../lib/salesforce/ids';
import { Budget } from '../../lib/sync/budget';
import { type CycleContext, stepContext } from '../../lib/sync/context';
import { DailyBudget, readDailyUsage } from '../../lib/sync/dailyUsage';
import { CYCLE_LEASE } from '../../lib/sync/lease';
import { MetricsTally } from '../../lib/sync/metricsTally';
import { newCycleNotes } from '../../lib/sync/notes';

const OWNER = 'log-bench';
const FIELDS = ['FirstName', 'LastName', 'Email', 'Phone', 'Company', 'Title', 'City', 'Country', 'Status'];

export interface SeedOptions {
  /** Records the sync already knows (syncState entries), packed as the engine packs them. */
  knownRecords: number;
  /** Packed recordEvents rows already in the log (a few days of cycles). */
  eventRows: number;
  recordsPerBatch: number;
}

export interface RunOptions {
  /** At most this many batches, ... */
  batches: number;
  /** ... and stop early once the commits took this long (at least `minBatches` run), so the bench
   * stays short even when the write path is slow; the figures say how many records were written. */
  maxCommitMs: number;
  minBatches: number;
  recordsPerBatch: number;
  knownRecords: number;
  /** Share of each batch: new, updated (known records), skipped, failed, excluded; the rest updated. */
  mix: { new: number; skipped: number; failed: number; excluded: number };
  seed: number;
}

/** A valid 18-character Lead id from a counter (toId18 adds the checksum). */
const leadId = (n: number) => toId18(`00Q5g${n.toString(36).padStart(10, '0')}`);

/**
 * A known record's state as the engine builds it: from its previous entry, so the Marketo id it was
 * indexed under (`k`, set by writeBatch when the link was first written) carries over.
 */
const knownStateOf = (n: number, salt: number): SyncState => ({
  ...stateOf(n, salt),
  indexedMarketoId: 1_000_000 + n,
});

function stateOf(n: number, salt: number): SyncState {
  const f: Record<string, string> = {};
  for (const [i, field] of FIELDS.entries()) f[field] = ((n * 31 + i * 7 + salt) >>> 0).toString(36);
  return { sobject: 'Lead', hashes: f, marketoId: 1_000_000 + n };
}

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let db: LogDatabase | undefined;
let nextNew = 0;

/** Event rows and, for those with failures, their failure rows (as writeBatch writes them). */
async function addEvents(events: Omit<RecordEventRow, 'id'>[]) {
  if (!db) throw new Error('seed first');
  await db.recordEvents.bulkAdd(events);
  await db.failures.bulkAdd(events.filter((e) => e.failedCount > 0).map(failureRowOf));
}

/** Fills the log with a few days of data: syncState rows, packed event rows, some failure flags. */
export async function seed(options: SeedOptions, log?: LogDatabase): Promise<{ ms: number }> {
  const started = performance.now();
  // In the page: the extension's own log; pg-log.bench.ts passes the PostgreSQL one.
  if (log) db = log;
  else {
    const browserLog = new SyncLogDatabase('sync-log');
    await browserLog.open();
    db = browserLog;
  }
  const per = options.recordsPerBatch;
  const dayStart = Date.now() - 3 * 86_400_000;
  const cycleId = await startCycle(db, { trigger: 'schedule', at: dayStart });
  const stepId = await startStep(db, { cycleId, operation: 'Push New', objectType: 'Person', at: dayStart });
  // The known records' states sit in the batch rows that synced them (the first sync), as the
  // engine writes them: outcome "new" and the state, listed under the state key.
  let rows: Omit<RecordEventRow, 'id'>[] = [];
  for (let first = 0; first < options.knownRecords; first += per) {
    const states: Record<string, SyncState> = {};
    const outcomes: PackedOutcome[] = [];
    for (let n = first; n < Math.min(first + per, options.knownRecords); n++) {
      states[leadId(n)] = knownStateOf(n, 0);
      outcomes.push({ sfId: leadId(n), mktoId: 1_000_000 + n, name: `Lead ${n}`, outcome: 'new' });
    }
    const sfIds = Object.keys(states);
    rows.push({
      cycleId,
      stepId,
      at: dayStart,
      operation: 'Push New',
      objectType: 'Person',
      sfIds: sfIds.map(stateKey),
      ...eventRowBody(outcomes, packStates(new Map(Object.entries(states)))),
      failedCount: 0,
      mktoIds: sfIds.map((id) => states[id]!.marketoId!),
    });
    if (rows.length === 50) {
      await db.recordEvents.bulkAdd(rows);
      rows = [];
    }
  }
  if (rows.length) await db.recordEvents.bulkAdd(rows);
  const events: Omit<RecordEventRow, 'id'>[] = [];
  for (let r = 0; r < options.eventRows; r++) {
    const at = dayStart + r * 60_000;
    const outcomes: PackedOutcome[] = [];
    for (let k = 0; k < per; k++) {
      const n = (r * per + k) % options.knownRecords;
      const failed = k % 100 === 0;
      outcomes.push({
        sfId: leadId(n),
        mktoId: 1_000_000 + n,
        name: `Lead ${n}`,
        outcome: failed ? 'failed' : 'updated',
        ...(failed
          ? { error: { code: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email', fields: ['Email'] } }
          : { changes: [{ field: 'Title', old: null, new: `Title ${r}` }] }),
      });
    }
    events.push({
      cycleId,
      stepId,
      at,
      operation: 'Push Updates',
      objectType: 'Person',
      sfIds: outcomes.map((o) => o.sfId),
      ...eventRowBody(outcomes),
      failedCount: 3,
    });
    if (events.length === 50) await addEvents(events.splice(0));
  }
  if (events.length) await addEvents(events);
  await finishStep(db, stepId, { status: 'Completed', at: dayStart + 1000 });
  nextNew = options.knownRecords;
  return { ms: performance.now() - started };
}

/** One step of up to `batches` commits, as Push Updates/Push New would make them; ms of each commit. */
export async function runStep(options: RunOptions): Promise<{ commitMs: number[]; records: number }> {
  if (!db) throw new Error('seed first');
  const now = Date.now();
  await db.leases.put({ name: CYCLE_LEASE, owner: OWNER, expiresAt: now + 600_000, acquiredAt: now });
  const cycleId = await startCycle(db, { trigger: 'schedule', at: now });
  const stepId = await startStep(db, { cycleId, operation: 'Push Updates', objectType: 'Person', at: now });
  // Only what commit() reads of the cycle: the database, clock, lease owner, cycle, retry policy,
  // the per-cycle notes (where the failing ids are cached across batches), the budget, whose
  // daily API usage row every commit writes too (lib/sync/dailyUsage.ts), and the metrics tally.
  const clock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const daily = new DailyBudget(
    await readDailyUsage(db),
    { salesforceDailyShare: 0.5, marketoDailyCalls: 10_000 },
    () => 15_000,
    clock.now,
  );
  const cycle = {
    db,
    notes: newCycleNotes({ trigger: 'manual', probeObjects: [], linkFields: undefined }),
    budget: new Budget(clock, {}, {}, daily),
    clock,
    owner: OWNER,
    cycleId,
    leaseMs: 120_000,
    tally: new MetricsTally(),
    settings: { retry: { maxAttempts: 5, backoffBaseMinutes: 5 } },
  } as unknown as CycleContext;
  const ctx = stepContext(
    cycle,
    { operation: 'Push Updates', objectType: 'Person', sobject: 'Lead' },
    stepId,
  );
  const rand = random(options.seed);
  const commitMs: number[] = [];
  let records = 0;
  let spent = 0;
  for (let b = 0; b < options.batches; b++) {
    if (spent >= options.maxCommitMs && b >= options.minBatches) break;
    const outcomes: PackedOutcome[] = [];
    const states = new Map<string, SyncState | null>();
    const taken = new Set<number>();
    for (let k = 0; k < options.recordsPerBatch; k++) {
      const roll = rand();
      const { mix } = options;
      if (roll < mix.new) {
        const n = nextNew++;
        const sfId = leadId(n);
        outcomes.push({ sfId, mktoId: 1_000_000 + n, name: `Lead ${n}`, outcome: 'new' });
        states.set(sfId, stateOf(n, b));
        continue;
      }
      // A known record, anywhere in the history (changes arrive in SystemModstamp order, which
      // has nothing to do with when the record was last synced).
      let n = Math.floor(rand() * options.knownRecords);
      while (taken.has(n)) n = (n + 1) % options.knownRecords;
      taken.add(n);
      const sfId = leadId(n);
      const base = { sfId, mktoId: 1_000_000 + n, name: `Lead ${n}` };
      if (roll < mix.new + mix.skipped) outcomes.push({ ...base, outcome: 'skipped' });
      else if (roll < mix.new + mix.skipped + mix.failed) {
        outcomes.push({
          ...base,
          outcome: 'failed',
          error: {
            code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'Phone is invalid',
            fields: ['Phone'],
          },
        });
        states.set(sfId, { ...knownStateOf(n, 0), pushOwed: true });
      } else if (roll < mix.new + mix.skipped + mix.failed + mix.excluded) {
        outcomes.push({ ...base, outcome: 'excluded', reason: 'excluded by the sync filter field' });
        states.set(sfId, { ...knownStateOf(n, 0), excluded: true });
      } else {
        outcomes.push({
          ...base,
          outcome: 'updated',
          changes: [{ field: 'Title', old: null, new: `T${b}` }],
        });
        states.set(sfId, knownStateOf(n, b + 1));
      }
    }
    const t0 = performance.now();
    await ctx.commit({ outcomes, states, cursor: { key: 'push:Lead', value: String(now + b) } });
    commitMs.push(performance.now() - t0);
    spent += commitMs[commitMs.length - 1]!;
    records += outcomes.length;
  }
  await finishStep(db, stepId, { status: 'Completed', at: Date.now() });
  return { commitMs, records };
}

export async function counts() {
  if (!db) throw new Error('seed first');
  return {
    syncStateRows: await db.syncState.count(),
    failureRows: await db.failures.count(),
    recordEvents: await db.recordEvents.count(),
    records: await db.records.count(),
  };
}

(globalThis as { logBench?: unknown }).logBench = { seed, runStep, counts };
