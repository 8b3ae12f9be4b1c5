import { describe, expect, it } from 'vitest';
import type { SyncLogDatabase } from '../../lib/db/database';
import { startCycle, startStep } from '../../lib/db/lifecycle';
import { getRecordStatus } from '../../lib/db/recordStatus';
import type { Operation, PackedOutcome } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { freshDb, MINUTE, trackReads } from './db-fixtures';

const T0 = Date.UTC(2026, 10, 20, 8, 0);
const LEAD_15 = '00QRO0000012AbC';
const OTHER_15 = '00QRO0000012AbD';

async function logBatch(db: SyncLogDatabase, at: number, operation: Operation, outcomes: PackedOutcome[]) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at });
  const stepId = await startStep(db, { cycleId, operation, objectType: 'Person', at });
  await writeBatch(db, { cycleId, stepId, operation, objectType: 'Person', at, outcomes });
  return { cycleId, stepId };
}

describe('getRecordStatus', () => {
  it('returns the newest events first, unpacked with their batch metadata, by 15- or 18-char id', async () => {
    const db = freshDb();
    const first = await logBatch(db, T0, 'Pull Updates', [
      { sfId: LEAD_15, outcome: 'new', mktoId: 5 },
      { sfId: OTHER_15, outcome: 'new' },
    ]);
    await logBatch(db, T0 + MINUTE, 'Pull Updates', [{ sfId: OTHER_15, outcome: 'updated' }]);
    const last = await logBatch(db, T0 + 2 * MINUTE, 'Push Updates', [
      { sfId: OTHER_15, outcome: 'failed', error: { code: 'X', message: 'y', fields: [] } },
      { sfId: LEAD_15, outcome: 'updated', changes: [{ field: 'Title', old: 'a', new: 'b' }] },
    ]);

    const status = await getRecordStatus(db, LEAD_15);
    expect(status.sfId).toHaveLength(18);
    expect(status.flags).toBeUndefined();
    expect(status.events).toMatchObject([
      { outcome: 'updated', at: T0 + 2 * MINUTE, operation: 'Push Updates', ...last, objectType: 'Person' },
      { outcome: 'new', at: T0, operation: 'Pull Updates', mktoId: 5, ...first },
    ]);
    expect(await getRecordStatus(db, status.sfId)).toEqual(status);
    expect(await getRecordStatus(db, status.sfId.toLowerCase())).toEqual(status);
  });

  it('shows the flags row of a failing record next to its events', async () => {
    const db = freshDb();
    await logBatch(db, T0, 'Pull Updates', [
      {
        sfId: LEAD_15,
        outcome: 'failed',
        error: { code: 'FIELD_INTEGRITY_EXCEPTION', message: 'm', fields: ['Email'] },
      },
    ]);
    const status = await getRecordStatus(db, LEAD_15);
    expect(status.flags).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: { code: 'FIELD_INTEGRITY_EXCEPTION' },
    });
    expect(status.events).toMatchObject([{ outcome: 'failed', attempts: 1 }]);
  });

  it('does not list batches where the record was only skipped', async () => {
    const db = freshDb();
    await logBatch(db, T0, 'Pull Updates', [{ sfId: LEAD_15, outcome: 'new' }]);
    await logBatch(db, T0 + MINUTE, 'Pull Updates', [{ sfId: LEAD_15, outcome: 'skipped' }]);
    expect((await getRecordStatus(db, LEAD_15)).events.map((e) => e.outcome)).toEqual(['new']);
  });

  it('reads only the newest rows holding the record, through the sfIds index', async () => {
    const db = freshDb();
    const reads = trackReads(db);
    for (let i = 0; i < 30; i++) {
      await logBatch(db, T0 + i * MINUTE, 'Pull Updates', [
        { sfId: i % 3 === 0 ? LEAD_15 : OTHER_15, outcome: 'updated' },
      ]);
    }
    reads.clear();
    const status = await getRecordStatus(db, LEAD_15, { limit: 4 });
    expect(status.events.map((e) => e.at)).toEqual([27, 24, 21, 18].map((i) => T0 + i * MINUTE));
    const eventQueries = reads.queries.filter((q) => q.table === 'recordEvents');
    // Two keyed reads (the plain id, and the state key of rows that also hold its state), each capped.
    expect(eventQueries.map((q) => [q.index, q.rows.length])).toEqual([
      ['sfIds', 4],
      ['sfIds', 0],
    ]);
  });

  it('rejects something that is not a Salesforce id', async () => {
    await expect(getRecordStatus(freshDb(), 'abc')).rejects.toThrow('Not a Salesforce record id');
  });
});
