import { describe, expect, it } from 'vitest';
import type { SyncLogDatabase } from '../../lib/db/database';
import { startCycle, startStep } from '../../lib/db/lifecycle';
import { loadStates, saveStates } from '../../lib/db/syncState';
import { loadStatesSpan } from '../../lib/db/syncStateSpan';
import type { SyncState } from '../../lib/db/syncStateTypes';
import type { PackedOutcome } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { freshDb } from './db-fixtures';

// loadStatesSpan must answer exactly what loadStates answers, for any mix of states in batch rows
// (newest row wins, dropped states), outcome-only mentions, archived states and ids never synced.

const T0 = Date.UTC(2026, 10, 1, 8, 0);
const lead = (n: number) => toId18(`00Q5e${String(n).padStart(10, '0')}`);
const entry = (a: string, m?: number): SyncState => ({
  sobject: 'Lead',
  hashes: { A: a },
  ...(m && { marketoId: m }),
});

async function writer(db: SyncLogDatabase) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
  const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Person', at: T0 });
  return (outcomes: PackedOutcome[], states: [string, SyncState | null][]) =>
    writeBatch(db, {
      cycleId,
      stepId,
      operation: 'Pull Updates',
      objectType: 'Person',
      at: T0,
      outcomes,
      states: new Map(states),
    });
}

describe('loadStatesSpan', () => {
  it('answers as loadStates does: newest row, dropped states, outcome-only rows, archive, never synced', async () => {
    const db = freshDb();
    const write = await writer(db);
    const ids = Array.from({ length: 40 }, (_, i) => lead(i + 1));
    // Archive: states for 0..9 (some overridden below by event rows).
    await db.transaction('rw', db.syncState, () =>
      saveStates(db, new Map(ids.slice(0, 10).map((id, i) => [id, entry(`archived-${i}`, 100 + i)])), T0),
    );
    await write(
      ids.slice(5, 25).map((sfId) => ({ sfId, outcome: 'new' })),
      ids.slice(5, 25).map((id, i) => [id, entry(`first-${i}`, 200 + i)]),
    );
    // Newer: 10..14 changed, 15..17 dropped, 18..19 only an outcome (their state stays the first).
    await write(
      ids.slice(10, 20).map((sfId) => ({ sfId, outcome: 'updated' })),
      [
        ...ids.slice(10, 15).map((id, i): [string, SyncState] => [id, entry(`second-${i}`, 300 + i)]),
        ...ids.slice(15, 18).map((id): [string, null] => [id, null]),
      ],
    );
    // 25..39: never synced (30..39 only outcomes).
    await write(
      ids.slice(30, 40).map((sfId) => ({ sfId, outcome: 'skipped' })),
      [],
    );
    const page = [...ids].reverse(); // any order
    const span = await loadStatesSpan(db, page);
    expect(span).toEqual(await loadStates(db, page));
    expect(span.size).toBe(22);
    expect(span.get(ids[12]!)?.hashes.A).toBe('second-2');
    expect(span.has(ids[16]!)).toBe(false);
    expect(span.get(ids[2]!)?.hashes.A).toBe('archived-2');
    // A sub-range leaves out what lies outside it.
    expect([...(await loadStatesSpan(db, ids.slice(11, 13))).keys()]).toEqual(ids.slice(11, 13));
    expect(await loadStatesSpan(db, [])).toEqual(new Map());
  });
});
