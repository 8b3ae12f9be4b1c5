import { compactArchive } from './archiveCompaction';
import { rowOutcomes, rowStates } from './eventRowBody';
import type { LogDatabase } from './logPort';
import { stateAt, stateOf } from './packedStates';
import { applyOutcome, withHistory } from './recordFlags';
import { saveStates, stateRowIds } from './syncState';
import { type SyncState, stateKey } from './syncStateTypes';
import type { PackedOutcome, RecordEventRow, RecordFlagsRow } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Batch rows per transaction while pruning events (each holds up to ~300 outcomes). */
const EVENT_ROWS_PER_CHUNK = 50;
/** Archive windows compaction looks at per prune (lib/db/archiveCompaction.ts). */
const ARCHIVE_WINDOWS_PER_PRUNE = 5;
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
  /** Sync states carried from pruned batch rows into the syncState archive (still current). */
  statesCarried: number;
  /** Dead archive entries (a newer row decides the record) that compaction dropped. */
  archiveEntriesDropped: number;
  failures: number;
}

/**
 * Retention (design §6): deletes cycles, steps, batch rows and metrics older than `days` days.
 * A record whose newest event is in a pruned batch row keeps its state: that outcome is folded
 * into its `records` row (state, last sync, last error, capped history), and a sync state that no
 * newer row replaces moves to the syncState archive, in the same transaction that deletes the row.
 * Works oldest first in bounded chunks, so it can run while cycles run.
 */
export async function pruneOlderThan(db: LogDatabase, days: number, now: number): Promise<PruneResult> {
  if (!(days > 0)) throw new RangeError(`Retention must be a positive number of days, got ${days}`);
  const cutoff = now - days * DAY_MS;
  let recordEvents = 0;
  let recordsFolded = 0;
  let statesCarried = 0;
  for (;;) {
    const chunk = await pruneEventChunk(db, cutoff);
    recordEvents += chunk.deleted;
    recordsFolded += chunk.folded;
    statesCarried += chunk.carried;
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
  const failures = await deleteInChunks(db, 'failures', () =>
    db.failures.where('at').below(cutoff).limit(KEYS_PER_CHUNK).primaryKeys(),
  );
  let archiveEntriesDropped = 0;
  for (let run = 0; run < ARCHIVE_WINDOWS_PER_PRUNE; run++) {
    const compaction = await compactArchive(db, now);
    archiveEntriesDropped += compaction.entriesDropped;
    if (compaction.rowsRead === 0) break;
  }
  return {
    cutoff,
    cycles,
    steps,
    recordEvents,
    metrics,
    recordsFolded,
    statesCarried,
    archiveEntriesDropped,
    failures,
  };
}

async function deleteInChunks(
  db: LogDatabase,
  table: 'steps' | 'cycles' | 'metrics' | 'failures',
  nextKeys: () => Promise<number[]>,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const keys = await db.transaction('rw', [table], async () => {
      const found = await nextKeys();
      await db.table(table).bulkDelete(found);
      return found;
    });
    deleted += keys.length;
    if (keys.length < KEYS_PER_CHUNK) return deleted;
  }
}

/**
 * Deletes the oldest chunk of batch rows below the cutoff, folding records whose last event goes
 * and carrying over the sync states that are still current.
 */
async function pruneEventChunk(
  db: LogDatabase,
  cutoff: number,
): Promise<{ deleted: number; folded: number; carried: number }> {
  return db.transaction('rw', ['recordEvents', 'records', 'syncState'], async () => {
    const rows = await db.recordEvents.where('at').below(cutoff).limit(EVENT_ROWS_PER_CHUNK).toArray();
    const carried = await carryCurrentStates(db, rows);
    // Each record's newest outcome within the chunk (ids grow with time; a later row wins).
    const newestInChunk = new Map<string, { row: RecordEventRow; outcome: PackedOutcome }>();
    for (const row of [...rows].sort((a, b) => a.id - b.id)) {
      for (const outcome of rowOutcomes(row)) {
        if (outcome.outcome !== 'skipped') newestInChunk.set(outcome.sfId, { row, outcome });
      }
    }
    // Fold only when no newer row holds the record; a newer pruned row is folded in its own turn.
    const candidates = [...newestInChunk.entries()];
    // A row lists the record under its plain id or its state key: the newest of both counts.
    const newestUnder = (key: string) =>
      db.recordEvents.where('sfIds').equals(key).reverse().limit(1).primaryKeys();
    const newestRowIds = await Promise.all(
      candidates.map(async ([sfId]) => {
        const [plain, withState] = await Promise.all([newestUnder(sfId), newestUnder(stateKey(sfId))]);
        return Math.max(-1, ...plain, ...withState);
      }),
    );
    const toFold = candidates.filter(([, { row }], i) => newestRowIds[i] === row.id);
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
          ...(outcome.reason !== undefined && { reason: outcome.reason }),
        }),
      );
    });
    if (folded.length > 0) await db.records.bulkPut(folded);
    await db.recordEvents.bulkDelete(rows.map((r) => r.id));
    return { deleted: rows.length, folded: folded.length, carried };
  });
}

/**
 * Moves the states of `rows` that no newer row replaces into one syncState archive row. A link
 * indexed (`*mktoIds`) only in a pruned row while a newer row holds the record's state with the same
 * link (writeBatch indexes a link once) goes to the archive too, so Push Updates still finds the
 * record by its Marketo id; the archive entry is older than that newer row and never beats it.
 */
async function carryCurrentStates(db: LogDatabase, rows: RecordEventRow[]): Promise<number> {
  const statesOf = new Map(rows.map((r) => [r.id, rowStates(r)]));
  const decidedBy = await stateRowIds(db, [...new Set(rows.flatMap((r) => statesOf.get(r.id)?.ids ?? []))]);
  const inChunk = new Set(rows.map((r) => r.id));
  const carry = new Map<string, SyncState | null>();
  const newerRowOf = new Map<string, number>();
  for (const row of rows) {
    const states = statesOf.get(row.id);
    if (!states) continue;
    const linked = new Set(row.mktoIds ?? []);
    states.ids.forEach((id, i) => {
      const rowId = decidedBy.get(id);
      // A tombstone is carried too: the archive may hold an older entry it must keep hiding.
      if (rowId === row.id) carry.set(id, stateAt(states, i));
      else if (rowId !== undefined && !inChunk.has(rowId) && linked.has(states.m[i] ?? Number.NaN)) {
        newerRowOf.set(id, rowId);
      }
    });
  }
  const newer = await db.recordEvents.bulkGet([...new Set(newerRowOf.values())]);
  const newerById = new Map(
    newer.flatMap((r) => (r ? [[r.id, { row: r, states: rowStates(r) }] as const] : [])),
  );
  for (const [id, rowId] of newerRowOf) {
    const { row, states } = newerById.get(rowId) ?? {};
    const current = stateOf(states, id);
    if (current?.marketoId !== undefined && !row?.mktoIds?.includes(current.marketoId))
      carry.set(id, current);
  }
  if (carry.size > 0) await saveStates(db, carry, Math.max(...rows.map((r) => r.at)));
  return carry.size;
}
