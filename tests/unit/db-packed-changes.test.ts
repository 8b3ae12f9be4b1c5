import { describe, expect, it } from 'vitest';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import { changesOf, storedOutcome, withChanges } from '../../lib/db/packedChanges';
import { getRecordStatus } from '../../lib/db/recordStatus';
import type { PackedOutcome, RecordEventRow } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { freshDb, MINUTE } from './db-fixtures';

const T0 = Date.UTC(2026, 10, 20, 8, 0);
const LEAD = toId18('00QRO0000000001');
const changes = [
  { field: 'Title', old: null, new: 'CTO' },
  { field: 'NumberOfEmployees', old: 40, new: 50 },
  { field: 'Phone', old: '555', new: null },
];

describe('packed changes', () => {
  it('stores written fields as one flat array and reads them back as they were', () => {
    const stored = storedOutcome({ sfId: LEAD, outcome: 'updated', changes });
    expect(stored).not.toHaveProperty('changes');
    expect(stored.cw).toEqual(['Title', null, 'CTO', 'NumberOfEmployees', 40, 50, 'Phone', '555', null]);
    expect(changesOf(stored)).toEqual(changes);
    expect(withChanges(stored)).toEqual({ sfId: LEAD, outcome: 'updated', changes });
    // Nothing written, nothing stored.
    expect(storedOutcome({ sfId: LEAD, outcome: 'new', changes: [] })).toEqual({
      sfId: LEAD,
      outcome: 'new',
    });
  });

  it('reads rows written before (changes as objects) and after alike', async () => {
    const db = freshDb();
    const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
    const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Person', at: T0 });
    const context = { cycleId, stepId, operation: 'Pull Updates' as const, objectType: 'Person' as const };
    // An older row, as writeBatch stored it before packing.
    const old: PackedOutcome = {
      sfId: LEAD,
      outcome: 'new',
      changes: [{ field: 'Title', old: null, new: 'CEO' }],
    };
    const before = { ...context, at: T0, sfIds: [LEAD], outcomes: [old], failedCount: 0 };
    await db.recordEvents.add(before as unknown as Omit<RecordEventRow, 'id'>);
    await writeBatch(db, {
      ...context,
      at: T0 + MINUTE,
      outcomes: [{ sfId: LEAD, outcome: 'updated', changes }],
    });
    await finishStep(db, stepId, { status: 'Completed', at: T0 + 2 * MINUTE });
    const stored = await db.recordEvents.orderBy('id').last();
    expect(rowOutcomes(stored!)[0]).toHaveProperty('cw');
    const { events } = await getRecordStatus(db, LEAD);
    expect(events.map((e) => e.changes)).toEqual([changes, old.changes]);
    expect(events.every((e) => !('cw' in e))).toBe(true);
  });
});
