import { toId18 } from '../salesforce/ids';
import type { SyncLogDatabase } from './database';
import { applyOutcome, DEFAULT_RETRY_POLICY, nextRetryAt, type RetryPolicy } from './recordFlags';
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
  /** The step's checkpoint after this batch (e.g. key "pull:Lead", value a SystemModstamp). */
  cursor?: { key: string; value: string };
}

export interface BatchWriteResult {
  /** The packed recordEvents row, absent for an empty batch. */
  eventId?: number;
  counters: Counters;
  /** Records whose flags row was written (failures, and failures that cleared). */
  flagsWritten: number;
}

/**
 * Logs one batch in ONE read-write transaction (design §5): the packed recordEvents row, the step's
 * counters, flags rows only where retry bookkeeping needs them, and the cursor checkpoint. If the
 * worker dies before it commits, none of it happened and the batch is redone from the old cursor.
 *
 * Cost (design §6 write budget): one event row per batch plus one `*sfIds` index entry per record
 * that did not skip; one `records` read per non-skipped record (to find failures that cleared and
 * count attempts) and one `records` write per failure or cleared failure.
 */
export async function writeBatch(
  db: SyncLogDatabase,
  batch: BatchWrite,
  retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<BatchWriteResult> {
  // Normalise ids before the transaction: a malformed id fails the batch with a clear message.
  const outcomes = batch.outcomes.map((o) => ({ ...o, sfId: toId18(o.sfId) }));
  const counters = emptyCounters();
  for (const o of outcomes) counters[o.outcome]++;
  const changed = outcomes.filter((o) => o.outcome !== 'skipped');
  const changedIds = [...new Set(changed.map((o) => o.sfId))];
  const context = {
    at: batch.at,
    cycleId: batch.cycleId,
    operation: batch.operation,
    objectType: batch.objectType,
  };

  return db.transaction('rw', [db.recordEvents, db.steps, db.records, db.cursors], async () => {
    const step = await db.steps.get(batch.stepId);
    if (!step) throw new Error(`writeBatch: no step with id ${batch.stepId}`);
    if (step.cycleId !== batch.cycleId) {
      throw new Error(
        `writeBatch: step ${batch.stepId} belongs to cycle ${step.cycleId}, not ${batch.cycleId}`,
      );
    }
    if (step.status !== 'In Process') {
      throw new Error(`writeBatch: step ${batch.stepId} is already finished (${step.status})`);
    }

    const existing = new Map<string, RecordFlagsRow>();
    const found = await db.records.bulkGet(changedIds);
    for (const row of found) if (row) existing.set(row.sfId, row);

    const flags = new Map<string, RecordFlagsRow>();
    for (const outcome of changed) {
      const before = flags.get(outcome.sfId) ?? existing.get(outcome.sfId);
      if (outcome.outcome === 'failed') {
        const attempts = before?.state === 'failed' ? (before.attempts ?? 0) + 1 : 1;
        outcome.attempts = attempts;
        const { nextRetryAt: _previous, ...row } = applyOutcome(before, outcome, context);
        const retryAt = nextRetryAt(attempts, batch.at, retryPolicy);
        flags.set(outcome.sfId, { ...row, attempts, ...(retryAt !== undefined && { nextRetryAt: retryAt }) });
      } else if (before?.state === 'failed') {
        flags.set(outcome.sfId, applyOutcome(before, outcome, context));
      }
    }

    let eventId: number | undefined;
    if (outcomes.length > 0) {
      const failedCount = counters.failed;
      const row: Omit<RecordEventRow, 'id'> = {
        cycleId: batch.cycleId,
        stepId: batch.stepId,
        at: batch.at,
        operation: batch.operation,
        objectType: batch.objectType,
        sfIds: changedIds,
        outcomes,
        failedCount,
        ...(failedCount > 0 && { failedStepId: batch.stepId }),
      };
      eventId = await db.recordEvents.add(row);
    }
    await db.steps.update(batch.stepId, {
      new: step.new + counters.new,
      updated: step.updated + counters.updated,
      deleted: step.deleted + counters.deleted,
      failed: step.failed + counters.failed,
      skipped: step.skipped + counters.skipped,
      excluded: step.excluded + counters.excluded,
    });
    if (flags.size > 0) await db.records.bulkPut([...flags.values()]);
    if (batch.cursor) await db.cursors.put({ ...batch.cursor, updatedAt: batch.at });
    return { ...(eventId !== undefined && { eventId }), counters, flagsWritten: flags.size };
  });
}

/** Failed records whose next retry is due, soonest first (the engine's retry queue). */
export async function dueRetries(db: SyncLogDatabase, now: number, limit: number): Promise<RecordFlagsRow[]> {
  return db.records.where('nextRetryAt').belowOrEqual(now).limit(limit).toArray();
}
