import { describe, expect, it } from 'vitest';
import type { SyncLogDatabase } from '../../lib/db/database';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import { HISTORY_CAP, withHistory } from '../../lib/db/recordFlags';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { pruneOlderThan } from '../../lib/db/retention';
import type { Operation, PackedOutcome, RecordFlagsRow } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { DAY, freshDb, MINUTE } from './db-fixtures';

const NOW = Date.UTC(2026, 10, 25, 12, 0);
const OLD = NOW - 7 * DAY;
const RECENT = NOW - DAY;
const id = (n: number) => toId18(`003RO${String(n).padStart(10, '0')}`);

async function logStep(
  db: SyncLogDatabase,
  at: number,
  batches: PackedOutcome[][],
  operation: Operation = 'Pull Updates',
) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at });
  const stepId = await startStep(db, { cycleId, operation, objectType: 'Contact', at });
  for (const [i, outcomes] of batches.entries()) {
    await writeBatch(db, { cycleId, stepId, operation, objectType: 'Contact', at: at + i, outcomes });
  }
  await finishStep(db, stepId, { status: 'Completed', at: at + MINUTE });
  return { cycleId, stepId };
}

describe('pruneOlderThan', () => {
  it('deletes old cycles, steps, events and metrics and keeps the newer ones', async () => {
    const db = freshDb();
    await logStep(db, OLD, [[{ sfId: id(1), outcome: 'new' }]]);
    const recent = await logStep(db, RECENT, [[{ sfId: id(2), outcome: 'new' }]]);
    const metric = (at: number, cycleId: number) => ({
      kind: 'cycle' as const,
      at,
      cycleId,
      synced: [0, cycleId],
      updated: [],
      handled: [0, cycleId],
      fields: [],
      api: { salesforce: 1, marketo: 1 },
    });
    await db.metrics.bulkAdd([metric(OLD, 3), metric(RECENT, 4)]);

    const result = await pruneOlderThan(db, 5, NOW);
    expect(result).toEqual({
      cutoff: NOW - 5 * DAY,
      cycles: 1,
      steps: 1,
      recordEvents: 1,
      metrics: 1,
      recordsFolded: 1,
      statesCarried: 0,
      archiveEntriesDropped: 0,
      failures: 0,
    });
    expect((await db.cycles.toArray()).map((c) => c.id)).toEqual([recent.cycleId]);
    expect((await db.steps.toArray()).map((s) => s.id)).toEqual([recent.stepId]);
    expect((await db.recordEvents.toArray()).map((e) => e.stepId)).toEqual([recent.stepId]);
    expect((await db.metrics.toArray()).map((m) => m.cycleId)).toEqual([4]);
  });

  it("keeps a record's current state in its flags row when its last events are pruned", async () => {
    const db = freshDb();
    const old = await logStep(db, OLD, [
      [
        { sfId: id(1), outcome: 'updated', mktoId: 11, changes: [{ field: 'Title', old: 'a', new: 'b' }] },
        { sfId: id(2), outcome: 'new' },
        {
          sfId: id(3),
          outcome: 'failed',
          error: { code: 'INVALID_EMAIL_ADDRESS', message: 'm', fields: ['Email'] },
        },
        { sfId: id(4), outcome: 'skipped' },
        { sfId: id(5), outcome: 'excluded', reason: 'Do Not Sync' },
      ],
    ]);
    // Record 2 changed again later: its newer event stays, so nothing is folded for it.
    await logStep(db, RECENT, [[{ sfId: id(2), outcome: 'deleted' }]], 'Pull Deletes');

    const result = await pruneOlderThan(db, 5, NOW);
    expect(result.recordsFolded).toBe(3);

    const synced = await getRecordStatus(db, id(1));
    expect(synced.events).toEqual([]);
    expect(synced.flags).toMatchObject({
      state: 'synced',
      lastSyncedAt: OLD,
      lastOperation: 'Pull Updates',
      lastCycleId: old.cycleId,
      mktoId: 11,
      lastChanges: [{ field: 'Title' }],
      history: [{ at: OLD, cycleId: old.cycleId, operation: 'Pull Updates', outcome: 'updated' }],
    });

    const changedLater = await getRecordStatus(db, id(2));
    expect(changedLater.flags).toBeUndefined();
    expect(changedLater.events.map((e) => e.outcome)).toEqual(['deleted']);

    // The failure keeps its retry bookkeeping and gains the history entry.
    expect((await getRecordStatus(db, id(3))).flags).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: { code: 'INVALID_EMAIL_ADDRESS' },
      history: [{ outcome: 'failed', error: { code: 'INVALID_EMAIL_ADDRESS' } }],
    });
    expect(typeof (await db.records.get(id(3)))?.nextRetryAt).toBe('number');
    expect(await db.records.get(id(4))).toBeUndefined();
    expect(await db.records.get(id(5))).toMatchObject({ state: 'excluded', excludedReason: 'Do Not Sync' });
  });

  it("keeps one operation's pending failure when another operation's later success is folded in", async () => {
    const db = freshDb();
    const error = { code: 'INVALID_EMAIL_ADDRESS', message: 'bad email', fields: ['Email'] };
    await logStep(db, OLD, [[{ sfId: id(1), outcome: 'failed', error }]], 'Pull Updates');
    await logStep(db, OLD + MINUTE * 5, [[{ sfId: id(1), outcome: 'updated' }]], 'Push Updates');
    const before = await db.records.get(id(1));
    expect(before).toMatchObject({ state: 'failed', lastOperation: 'Pull Updates' });
    await pruneOlderThan(db, 5, NOW);
    expect(await db.recordEvents.count()).toBe(0);
    const after = await db.records.get(id(1));
    expect(after).toMatchObject({
      state: 'failed',
      lastOperation: 'Pull Updates',
      nextRetryAt: before!.nextRetryAt,
    });
    expect(Object.keys(after?.pending ?? {})).toEqual(['Pull Updates']);
  });

  it('works through many rows in chunks and folds the newest pruned outcome of each record', async () => {
    const db = freshDb();
    // 130 old batch rows (more than two chunks of 50); record 0 appears in the first and the last.
    const batches: PackedOutcome[][] = Array.from({ length: 130 }, (_, b) => [
      { sfId: id(b === 129 ? 0 : b), outcome: 'updated' },
    ]);
    batches[0] = [{ sfId: id(0), outcome: 'failed', error: { code: 'E', message: 'm', fields: [] } }];
    const old = await logStep(db, OLD, batches);
    await logStep(db, RECENT, [[{ sfId: id(500), outcome: 'new' }]]);

    const result = await pruneOlderThan(db, 5, NOW);
    expect(result.recordEvents).toBe(130);
    expect(result.recordsFolded).toBe(129);
    expect(await db.recordEvents.count()).toBe(1);
    const record0 = await db.records.get(id(0));
    expect(record0).toMatchObject({ state: 'synced', lastSyncedAt: OLD + 129, lastCycleId: old.cycleId });
    expect(record0).not.toHaveProperty('lastError');
    expect(record0?.history).toHaveLength(1);
    expect(record0?.history[0]).toMatchObject({ outcome: 'updated', at: OLD + 129 });
    // A second run finds nothing left to prune.
    expect(await pruneOlderThan(db, 5, NOW)).toMatchObject({
      recordEvents: 0,
      steps: 0,
      cycles: 0,
      recordsFolded: 0,
    });
  });

  it('rejects a retention that is not a positive number of days', async () => {
    await expect(pruneOlderThan(freshDb(), 0, NOW)).rejects.toThrow('positive number of days');
    await expect(pruneOlderThan(freshDb(), Number.NaN, NOW)).rejects.toThrow('positive number of days');
  });
});

describe('withHistory', () => {
  it('keeps the newest entries, capped', () => {
    let row: RecordFlagsRow = {
      sfId: id(1),
      objectType: 'Contact',
      state: 'synced',
      history: [],
      updatedAt: 0,
    };
    for (let i = 0; i < HISTORY_CAP + 5; i++) {
      row = withHistory(row, { at: i, cycleId: i, operation: 'Pull Updates', outcome: 'updated' });
    }
    expect(row.history).toHaveLength(HISTORY_CAP);
    expect(row.history[0]?.at).toBe(HISTORY_CAP + 4);
    expect(row.history.at(-1)?.at).toBe(5);
  });
});
