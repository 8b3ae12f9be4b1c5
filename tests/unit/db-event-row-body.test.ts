import { describe, expect, it } from 'vitest';
import { rowOutcomes, rowStates } from '../../lib/db/eventRowBody';
import { startCycle, startStep } from '../../lib/db/lifecycle';
import { packStates } from '../../lib/db/packedStates';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { pruneOlderThan } from '../../lib/db/retention';
import { loadStates, statesByMarketoId } from '../../lib/db/syncState';
import { type SyncState, stateKey } from '../../lib/db/syncStateTypes';
import type { PackedOutcome, RecordEventRow } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { DAY, freshDb, MINUTE } from './db-fixtures';

// A batch row keeps its outcomes and states as JSON text (lib/db/eventRowBody.ts); rows written
// before hold them as arrays and objects and are read the same, never rewritten.

const T0 = Date.UTC(2026, 11, 7, 8, 0);
const lead = (n: number) => toId18(`00Q5e${String(n).padStart(10, '0')}`);

async function running(db: ReturnType<typeof freshDb>) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
  const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Person', at: T0 });
  return { cycleId, stepId, operation: 'Pull Updates' as const, objectType: 'Person' as const };
}

describe('batch row bodies', () => {
  it('writeBatch stores text, and every value comes back as written', async () => {
    const db = freshDb();
    const context = await running(db);
    const values = [0, -12.5, 1e21, true, false, null, 'Zoë « » \u2028 "quoted" \\ ✓', '', '  padded  '];
    const outcomes: PackedOutcome[] = values.map((value, i) => ({
      sfId: lead(i),
      mktoId: 500 + i,
      outcome: i === 0 ? 'failed' : 'updated',
      ...(i === 0
        ? { error: { code: 'INVALID_EMAIL_ADDRESS', message: 'Email: "x" is not valid', fields: ['Email'] } }
        : { changes: [{ field: 'Title', old: null, new: value }] }),
    }));
    const states = new Map<string, SyncState | null>(
      values.map((_, i) => [lead(i), { sobject: 'Lead', hashes: { Title: `h${i}` }, marketoId: 500 + i }]),
    );
    states.set(lead(99), null);
    await writeBatch(db, { ...context, at: T0, outcomes, states });
    const row = (await db.recordEvents.toArray())[0]!;
    expect(typeof row.outcomesJson).toBe('string');
    expect(typeof row.statesJson).toBe('string');
    expect(row).not.toHaveProperty('outcomes');
    expect(row).not.toHaveProperty('states');
    expect(rowOutcomes(row).map((o) => o.cw?.[2] ?? null)).toEqual([null, ...values.slice(1)]);
    // The failure's attempt number is in the stored outcome (writeBatch numbers it before storing).
    expect(rowOutcomes(row)[0]).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect(rowStates(row)?.ids).toContain(lead(99));
    const loaded = await loadStates(db, [lead(3), lead(99)]);
    expect(loaded.get(lead(3))).toMatchObject({ hashes: { Title: 'h3' }, marketoId: 503 });
    expect(loaded.has(lead(99))).toBe(false);
    expect((await statesByMarketoId(db, [504])).get(504)?.sfId).toBe(lead(4));
    expect((await getRecordStatus(db, lead(6))).events[0]?.changes).toEqual([
      { field: 'Title', old: null, new: values[6] },
    ]);
    expect(await db.failures.count()).toBe(1);
  });

  it('a row written before (arrays and objects) reads the same, and retention carries its states', async () => {
    const db = freshDb();
    const context = await running(db);
    const before = {
      ...context,
      at: T0,
      sfIds: [stateKey(lead(1)), lead(2)],
      outcomes: [
        { sfId: lead(1), mktoId: 701, outcome: 'new', cw: ['Email', null, 'a@example.com'] },
        { sfId: lead(2), outcome: 'excluded', reason: 'Do Not Sync is checked' },
      ],
      failedCount: 0,
      states: packStates(new Map([[lead(1), { sobject: 'Lead', hashes: { Email: 'e1' }, marketoId: 701 }]])),
      mktoIds: [701],
    };
    await db.recordEvents.add(before as unknown as Omit<RecordEventRow, 'id'>);
    // And a newer row in today's form for another record.
    await writeBatch(db, {
      ...context,
      at: T0 + MINUTE,
      outcomes: [{ sfId: lead(3), outcome: 'new' }],
      states: new Map([[lead(3), { sobject: 'Lead', hashes: { Email: 'e3' } }]]),
    });
    const [old] = await db.recordEvents.toArray();
    expect(rowOutcomes(old!)).toHaveLength(2);
    expect(rowStates(old!)?.ids).toEqual([lead(1)]);
    expect((await loadStates(db, [lead(1), lead(3)])).get(lead(1))).toMatchObject({ marketoId: 701 });
    expect((await getRecordStatus(db, lead(1))).events[0]?.changes).toEqual([
      { field: 'Email', old: null, new: 'a@example.com' },
    ]);
    expect((await getRecordStatus(db, lead(2))).events[0]?.reason).toBe('Do Not Sync is checked');
    // Retention prunes the old row; its still-current state moves to the archive.
    await pruneOlderThan(db, 1, T0 + DAY + MINUTE / 2);
    expect(await db.recordEvents.count()).toBe(1);
    expect((await loadStates(db, [lead(1)])).get(lead(1))).toMatchObject({ hashes: { Email: 'e1' } });
  });
});
