import type { SyncLogDatabase } from './database';
import { applyOutcome, withHistory } from './recordFlags';
import type { PackedOutcome, RecordEventRow, RecordFlagsRow } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Batch rows per transaction while pruning events (each holds up to ~300 outcomes). */
const EVENT_ROWS_PER_CHUNK = 50;
/** Keys per delete for the other tables. */
const KEYS_PER_CHUNK = 1000;

export interface PruneResult {
  cutoff: number;
  cycles: number;
  steps: number;
  recordEvents: number;
  metrics: number;
  /** Records whose state was folded into their flags row before their last events went. */
  recordsFolded: number;
}

/**
 * Retention (design §6): deletes cycles, steps, batch rows and metrics older than `days` days.
 * A record whose newest event is in a pruned batch row keeps its state: that outcome is folded
 * into its `records` row (state, last sync, last error, capped history) in the same transaction
 * that deletes the row. Works oldest first in bounded chunks, so it can run while cycles run.
 */
export async function pruneOlderThan(db: SyncLogDatabase, days: number, now: number): Promise<PruneResult> {
  if (!(days > 0)) throw new RangeError(`Retention must be a positive number of days, got ${days}`);
  const cutoff = now - days * DAY_MS;
  let recordEvents = 0;
  let recordsFolded = 0;
  for (;;) {
    const chunk = await pruneEventChunk(db, cutoff);
    recordEvents += chunk.deleted;
    recordsFolded += chunk.folded;
    if (chunk.deleted < EVENT_ROWS_PER_CHUNK) break;
  }
  // Steps carry no plain startedAt index; `[startedAt+id]` below [cutoff, -∞] is every step started earlier.
  const steps = await deleteInChunks(db, 'steps', () =>
    db.steps
      .where('[startedAt+id]')
      .below([cutoff, Number.NEGATIVE_INFINITY])
      .limit(KEYS_PER_CHUNK)
      .primaryKeys(),
  );
  const cycles = await deleteInChunks(db, 'cycles', () =>
    db.cycles.where('startedAt').below(cutoff).limit(KEYS_PER_CHUNK).primaryKeys(),
  );
  const metrics = await deleteInChunks(db, 'metrics', () =>
    db.metrics.where('at').below(cutoff).limit(KEYS_PER_CHUNK).primaryKeys(),
  );
  return { cutoff, cycles, steps, recordEvents, metrics, recordsFolded };
}

async function deleteInChunks(
  db: SyncLogDatabase,
  table: 'steps' | 'cycles' | 'metrics',
  nextKeys: () => Promise<number[]>,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const keys = await db.transaction('rw', db.table(table), async () => {
      const found = await nextKeys();
      await db.table(table).bulkDelete(found);
      return found;
    });
    deleted += keys.length;
    if (keys.length < KEYS_PER_CHUNK) return deleted;
  }
}

/** Deletes the oldest chunk of batch rows below the cutoff, folding records whose last event goes. */
async function pruneEventChunk(
  db: SyncLogDatabase,
  cutoff: number,
): Promise<{ deleted: number; folded: number }> {
  return db.transaction('rw', db.recordEvents, db.records, async () => {
    const rows = await db.recordEvents.where('at').below(cutoff).limit(EVENT_ROWS_PER_CHUNK).toArray();
    // Each record's newest outcome within the chunk (ids grow with time; a later row wins).
    const newestInChunk = new Map<string, { row: RecordEventRow; outcome: PackedOutcome }>();
    for (const row of [...rows].sort((a, b) => a.id - b.id)) {
      for (const outcome of row.outcomes) {
        if (outcome.outcome !== 'skipped') newestInChunk.set(outcome.sfId, { row, outcome });
      }
    }
    // Fold only when no newer row holds the record; a newer pruned row is folded in its own turn.
    const candidates = [...newestInChunk.entries()];
    const newestRowIds = await Promise.all(
      candidates.map(([sfId]) =>
        db.recordEvents.where('sfIds').equals(sfId).reverse().limit(1).primaryKeys(),
      ),
    );
    const toFold = candidates.filter(([, { row }], i) => newestRowIds[i]?.[0] === row.id);
    const existing = await db.records.bulkGet(toFold.map(([sfId]) => sfId));
    const folded: RecordFlagsRow[] = [];
    toFold.forEach(([, { row, outcome }], i) => {
      const before = existing[i];
      // A flags row written after this event already knows better (cannot happen through writeBatch).
      if (before && before.updatedAt > row.at) return;
      const context = {
        at: row.at,
        cycleId: row.cycleId,
        operation: row.operation,
        objectType: row.objectType,
      };
      const after = applyOutcome(before, outcome, context);
      folded.push(
        withHistory(after, {
          at: row.at,
          cycleId: row.cycleId,
          operation: row.operation,
          outcome: outcome.outcome,
          ...(outcome.error && { error: outcome.error }),
        }),
      );
    });
    if (folded.length > 0) await db.records.bulkPut(folded);
    await db.recordEvents.bulkDelete(rows.map((r) => r.id));
    return { deleted: rows.length, folded: folded.length };
  });
}
