import { toId18 } from '../salesforce/ids';
import { eventRowBody } from './eventRowBody';
import { failureRowOf } from './failures';
import type { LogDatabase } from './logPort';
import { storedOutcome } from './packedChanges';
import { packStates } from './packedStates';
import {
  applyOutcome,
  DEFAULT_RETRY_POLICY,
  nextRetryAt,
  type OutcomeContext,
  owedAfter,
  pendingFailures,
  type RetryPolicy,
  withPending,
} from './recordFlags';
import { type SyncState, stateKey } from './syncStateTypes';
import {
  type Counters,
  emptyCounters,
  type ObjectType,
  type Operation,
  type PackedOutcome,
  type RecordEventRow,
  type RecordFlagsRow,
} from './types';

/** One handled batch of a step, as the engine hands it over. */
export interface BatchWrite {
  cycleId: number;
  stepId: number;
  operation: Operation;
  objectType: ObjectType;
  at: number;
  /** Every record of the batch, skipped ones included (they count; they are not indexed). */
  outcomes: PackedOutcome[];
  /** The sync state the batch leaves records in (null drops a record's state); lib/db/syncState.ts. */
  states?: ReadonlyMap<string, SyncState | null>;
  /** The step's checkpoint after this batch (e.g. key "pull:Lead", value a SystemModstamp). */
  cursor?: { key: string; value: string };
  /** Further cursor rows to write (or delete: value null), after `cursor` and in the same transaction. */
  moreCursors?: readonly { key: string; value: string | null }[];
  /** The failing records' ids, kept by the caller across batches (see FailingIds). */
  failing?: FailingIds;
}

/**
 * The ids of the records whose flags say "failed", as of the last batch this cache saw commit. A
 * cycle is the only writer of flags while it runs (one cycle at a time; retention runs after it),
 * so the engine reads them once per cycle instead of once per batch: thousands of failing records
 * would otherwise be a large key read in every commit. Empty object: read on first use.
 */
export interface FailingIds {
  ids?: Set<string>;
}

/**
 * The single-cycle lease, checked and renewed in the batch's own transaction (lib/sync/lease.ts): if
 * another worker took over, `lost()` is thrown and nothing of the batch is written.
 */
export interface BatchLeaseGuard {
  name: string;
  owner: string;
  renewUntil: number;
  lost: () => Error;
}

export interface BatchWriteResult {
  /** The packed recordEvents row, absent for an empty batch. */
  eventId?: number;
  counters: Counters;
  /** Records whose flags row was written (failures, and failures that cleared). */
  flagsWritten: number;
}

/**
 * Logs one batch in ONE read-write transaction (design §5): the packed recordEvents row with the
 * outcomes and the new sync states, a compact failures row when something failed, the step's
 * counters, flags rows only where retry bookkeeping needs them, the cursor checkpoint and (with a
 * guard) the lease renewal. If the worker dies before it commits, none of it happened and the
 * batch is redone from the old cursor. A caller's transaction around it must include
 * WRITE_BATCH_TABLES (and leases with a guard).
 *
 * Cost (design §6 write budget, measured by tests/bench/log.bench.ts in Chromium): one event row
 * per batch with one `*sfIds` index entry per record that changed and one `*mktoIds` entry per new
 * link; `records` rows only for failures and failures that cleared. Every IndexedDB request waited
 * for is a round trip to the browser process (~0.3–1 ms), so the reads go out together, then the
 * writes go out together: two round trips, three when a failure clears.
 */
export async function writeBatch(
  db: LogDatabase,
  batch: BatchWrite,
  retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
  guard?: BatchLeaseGuard,
): Promise<BatchWriteResult> {
  // Normalise ids before the transaction: a malformed id fails the batch with a clear message.
  const outcomes = batch.outcomes.map((o) => storedOutcome(o, toId18(o.sfId)));
  const counters = emptyCounters();
  for (const o of outcomes) counters[o.outcome]++;
  // A skipped outcome that settles owed fields (their source is back to the synced value) counts,
  // and so does one that says why (a change below its threshold): the record panel shows it.
  const changed = outcomes.filter(
    (o) => o.outcome !== 'skipped' || o.settles?.length || o.reason !== undefined,
  );
  const changedIds = [...new Set(changed.map((o) => o.sfId))];
  const states = statesOfBatch(batch.states);
  const context = {
    at: batch.at,
    cycleId: batch.cycleId,
    operation: batch.operation,
    objectType: batch.objectType,
  };
  const tables = guard ? [...WRITE_BATCH_TABLES, 'leases' as const] : WRITE_BATCH_TABLES;

  const result = await db.transaction('rw', tables, async () => {
    // Reading every changed record's flags row cost ~20 ms per 300 records in Chromium (a request
    // per key), more than the rest of the commit: only the rows that can matter are read — the
    // batch's failures (attempts, history), and records that were failing (one key-only read of
    // the `state` index finds them) and now cleared.
    const failedNow = [...new Set(changed.filter((o) => o.outcome === 'failed').map((o) => o.sfId))];
    const [step, lease, failingIds, failedRows] = await Promise.all([
      db.steps.get(batch.stepId),
      guard ? db.leases.get(guard.name) : undefined,
      batch.failing?.ids ?? db.records.where('state').equals('failed').primaryKeys(),
      failedNow.length ? db.records.bulkGet(failedNow) : [],
    ]);
    if (guard && (!lease || lease.owner !== guard.owner)) throw guard.lost();
    if (!step) throw new Error(`writeBatch: no step with id ${batch.stepId}`);
    if (step.cycleId !== batch.cycleId) {
      throw new Error(
        `writeBatch: step ${batch.stepId} belongs to cycle ${step.cycleId}, not ${batch.cycleId}`,
      );
    }
    if (step.status !== 'In Process') {
      throw new Error(`writeBatch: step ${batch.stepId} is already finished (${step.status})`);
    }

    // Records that were failing and did not fail now: their failure clears (a second read, rare).
    const failing = new Set(failingIds);
    const failedSet = new Set(failedNow);
    const clearing = changedIds.filter((id) => failing.has(id) && !failedSet.has(id));
    const existing = new Map<string, RecordFlagsRow>();
    for (const row of [...failedRows, ...(clearing.length ? await db.records.bulkGet(clearing) : [])]) {
      if (row) existing.set(row.sfId, row);
    }
    const flags = flagsAfter(changed, existing, context, retryPolicy);

    const row: Omit<RecordEventRow, 'id'> | undefined =
      outcomes.length > 0 || states
        ? {
            ...context,
            stepId: batch.stepId,
            sfIds: states ? sfIdsWith(changedIds, states.packed.ids) : changedIds,
            // After flagsAfter: it numbers the failures' attempts in their outcomes.
            ...eventRowBody(outcomes, states?.packed),
            failedCount: counters.failed,
            ...(states?.mktoIds.length && { mktoIds: states.mktoIds }),
          }
        : undefined;
    // Everything goes out at once (the failure row does not wait for the batch row's id).
    const [eventId] = await Promise.all([
      row && db.recordEvents.add(row),
      row && counters.failed > 0 && db.failures.add(failureRowOf(row)),
      db.steps.put({
        ...step,
        new: step.new + counters.new,
        updated: step.updated + counters.updated,
        deleted: step.deleted + counters.deleted,
        failed: step.failed + counters.failed,
        skipped: step.skipped + counters.skipped,
        excluded: step.excluded + counters.excluded,
        // Rows written before Reconcile existed have no `drifted` counter.
        drifted: (step.drifted ?? 0) + counters.drifted,
      }),
      lease && guard && db.leases.put({ ...lease, expiresAt: guard.renewUntil }),
      flags.size > 0 && db.records.bulkPut([...flags.values()]),
      batch.cursor && db.cursors.put({ ...batch.cursor, updatedAt: batch.at }),
      ...(batch.moreCursors ?? []).map((c) =>
        c.value === null
          ? db.cursors.delete(c.key)
          : db.cursors.put({ key: c.key, value: c.value, updatedAt: batch.at }),
      ),
    ]);
    const failingAfter = new Set(failing);
    for (const [id, row] of flags) {
      if (row.state === 'failed') failingAfter.add(id);
      else failingAfter.delete(id);
    }
    return {
      ...(eventId !== undefined && { eventId }),
      counters,
      flagsWritten: flags.size,
      failingAfter,
    };
  });
  // Only once the transaction has committed: an aborted batch changed no flags.
  const { failingAfter, ...written } = result;
  if (batch.failing) batch.failing.ids = failingAfter;
  return written;
}

/** The flags rows the batch changes: failures (attempts, next retry) and failures that cleared. */
function flagsAfter(
  changed: PackedOutcome[],
  existing: ReadonlyMap<string, RecordFlagsRow>,
  context: OutcomeContext,
  retryPolicy: RetryPolicy,
): Map<string, RecordFlagsRow> {
  const flags = new Map<string, RecordFlagsRow>();
  for (const outcome of changed) {
    const before = flags.get(outcome.sfId) ?? existing.get(outcome.sfId);
    if (outcome.outcome === 'failed') {
      // Attempts count per operation: a failure elsewhere (another step) is not a retry of this one.
      const pending = pendingFailures(before);
      const attempts = (pending[context.operation]?.attempts ?? 0) + 1;
      outcome.attempts = attempts;
      const retryAt = nextRetryAt(attempts, context.at, retryPolicy);
      const owed = owedAfter(pending[context.operation]?.owed, outcome.settles, outcome.owes);
      pending[context.operation] = {
        attempts,
        at: context.at,
        cycleId: context.cycleId,
        ...(retryAt !== undefined && { nextRetryAt: retryAt }),
        ...(outcome.error && { error: outcome.error }),
        ...(Object.keys(owed).length && { owed }),
      };
      flags.set(outcome.sfId, withPending({ ...applyOutcome(before, outcome, context), attempts }, pending));
    } else if (before?.state === 'failed') {
      flags.set(outcome.sfId, applyOutcome(before, outcome, context));
    }
  }
  return flags;
}

/** A row's index keys: a record with a state under its state key, one with only an outcome plainly. */
function sfIdsWith(changedIds: string[], stateIds: string[]): string[] {
  const withState = new Set(stateIds);
  return [...changedIds.filter((id) => !withState.has(id)), ...stateIds.map(stateKey)];
}

/** The tables writeBatch writes; a caller's transaction around it must include them. */
export const WRITE_BATCH_TABLES = ['recordEvents', 'failures', 'steps', 'records', 'cursors'] as const;

/**
 * The batch's states as the row stores them (column by column, lib/db/packedStates.ts), with the
 * Marketo ids to index (`*mktoIds`): only links not indexed before. A stored link is always indexed
 * (here, in an older row, or in the archive), so a loaded entry says so (`k` = its `m`, see
 * packedStates.ts); the engine builds a record's new state from its previous one, so `k` carries
 * over and an unchanged link costs no index entry (~25 µs each in Chromium) — most batches relink
 * nobody. Retention keeps a pruned row's index entries alive for links still current
 * (lib/db/retention.ts).
 */
function statesOfBatch(states: ReadonlyMap<string, SyncState | null> | undefined) {
  if (!states?.size) return undefined;
  const mktoIds = new Set<number>();
  for (const state of states.values())
    if (state?.marketoId !== undefined && state.indexedMarketoId !== state.marketoId)
      mktoIds.add(state.marketoId);
  return { packed: packStates(states), mktoIds: [...mktoIds] };
}

/** Failed records whose next retry is due, soonest first (the engine's retry queue). */
export async function dueRetries(db: LogDatabase, now: number, limit: number): Promise<RecordFlagsRow[]> {
  return db.records.where('nextRetryAt').belowOrEqual(now).limit(limit).toArray();
}
