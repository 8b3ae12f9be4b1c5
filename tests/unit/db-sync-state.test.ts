import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { compactArchive } from '../../lib/db/archiveCompaction';
import { SyncLogDatabase } from '../../lib/db/database';
import { startCycle, startStep } from '../../lib/db/lifecycle';
import { type PackedStates, packedEntries, packStates, stateOf } from '../../lib/db/packedStates';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { pruneOlderThan } from '../../lib/db/retention';
import { allStates, loadStates, saveStates, statesByMarketoId } from '../../lib/db/syncState';
import { type SyncState, stateKey } from '../../lib/db/syncStateTypes';
import type { PackedOutcome } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { DAY, freshDb, MINUTE } from './db-fixtures';

// The sync state lives in the batch rows (Dexie version 3): one `*sfIds` entry per record carries
// both its outcome and its state; retention carries still-current states into the archive.

const T0 = Date.UTC(2026, 10, 1, 8, 0);
/** A valid 18-character Lead id (writeBatch normalises outcome ids to 18 characters). */
const lead = (n: number) => toId18(`00Q5e${String(n).padStart(10, '0')}`);
const entry = (a: string, m?: number): SyncState => ({
  sobject: 'Lead',
  hashes: { A: a },
  ...(m && { marketoId: m }),
});

async function stepWriter(db: SyncLogDatabase) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
  const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Person', at: T0 });
  return (at: number, outcomes: PackedOutcome[], states: [string, SyncState | null][]) =>
    writeBatch(db, {
      cycleId,
      stepId,
      operation: 'Pull Updates',
      objectType: 'Person',
      at,
      outcomes,
      states: new Map(states),
    });
}

describe('packed states', () => {
  it('round-trips entries column by column: different fields, links, rare parts and dropped states', () => {
    const states = new Map<string, SyncState | null>([
      [
        lead(1),
        { sobject: 'Lead', hashes: { FirstName: 'h1', Email: 'h2' }, marketoId: 7, indexedMarketoId: 7 },
      ],
      [lead(2), null],
      [
        lead(3),
        {
          sobject: 'Contact',
          hashes: { Email: 'h3', Title: '' },
          accountId: null,
          excluded: true,
          pushOwed: true,
          convertedTo: 'c',
          owed: { push: { Title: '' }, pull: { Email: 'h4' } },
        },
      ],
      [lead(4), { sobject: 'Account', hashes: {} }],
    ]);
    const packed = packStates(states);
    expect(packed.fields).toEqual(['FirstName', 'Email', 'Title']);
    expect(new Map(packedEntries(packed))).toEqual(states);
    expect(stateOf(packed, lead(3))).toEqual(states.get(lead(3)));
    expect(stateOf(packed, lead(2))).toBeNull();
    expect(stateOf(packed, lead(9))).toBeUndefined();
    // The stored format keeps its one-letter keys: the rarer parts as rows always held them.
    expect(packed.rest[2]).toEqual({ a: null, x: true, p: true, c: 'c', w: states.get(lead(3))!.owed });
  });

  it('reads rows stored before the readable names (packed rows and archive rows) the same', async () => {
    const packed: PackedStates = {
      ids: [lead(1), lead(2)],
      fields: ['Email'],
      hashes: [['h1'], ['h2']],
      o: ['Lead', 'Contact'],
      m: [7, null],
      rest: { 1: { a: '001000000000001AAA', p: true } },
    };
    expect([...packedEntries(packed)]).toEqual([
      [lead(1), { sobject: 'Lead', hashes: { Email: 'h1' }, marketoId: 7, indexedMarketoId: 7 }],
      [
        lead(2),
        { sobject: 'Contact', hashes: { Email: 'h2' }, accountId: '001000000000001AAA', pushOwed: true },
      ],
    ]);
    const db = freshDb();
    await db.syncState.add({
      at: T0,
      sfIds: [lead(5)],
      mktoIds: [55],
      entries: { [lead(5)]: { o: 'Lead', f: { A: 'old' }, m: 55, x: true, c: 'x' } },
    });
    expect((await loadStates(db, [lead(5)])).get(lead(5))).toEqual({
      sobject: 'Lead',
      hashes: { A: 'old' },
      marketoId: 55,
      excluded: true,
      convertedTo: 'x',
    });
    expect((await statesByMarketoId(db, [55])).get(55)?.sfId).toBe(lead(5));
  });
});

describe('sync state in batch rows', () => {
  it('lists a record once: under its state key when the row holds its state, else its plain id', async () => {
    const db = freshDb();
    const write = await stepWriter(db);
    const { eventId } = await write(
      T0,
      [
        { sfId: lead(1), outcome: 'new' },
        { sfId: lead(2), outcome: 'failed', error: { code: 'X', message: 'x', fields: [] } },
        { sfId: lead(3), outcome: 'skipped' },
      ],
      [
        [lead(1), entry('a', 11)],
        [lead(3), entry('c', 13)],
      ],
    );
    const row = await db.recordEvents.get(eventId!);
    expect(row!.sfIds.sort()).toEqual([lead(2), stateKey(lead(1)), stateKey(lead(3))].sort());
    expect(row!.mktoIds!.sort()).toEqual([11, 13]);
    expect(await db.syncState.count()).toBe(0);
    const states = await loadStates(db, [lead(1), lead(2), lead(3)]);
    expect([...states.keys()].sort()).toEqual([lead(1), lead(3)]);
  });

  it('the newest row wins; a tombstone hides older entries, also in the archive', async () => {
    const db = freshDb();
    await db.transaction('rw', db.syncState, () =>
      saveStates(db, new Map([[lead(1), entry('archived', 21)]]), T0 - DAY),
    );
    const write = await stepWriter(db);
    expect((await loadStates(db, [lead(1)])).get(lead(1))?.hashes.A).toBe('archived');
    await write(T0, [{ sfId: lead(1), outcome: 'updated' }], [[lead(1), entry('v1', 21)]]);
    await write(T0 + 1, [{ sfId: lead(1), outcome: 'updated' }], [[lead(1), entry('v2', 22)]]);
    // An outcome-only row (a failure that kept the state) does not hide the state before it.
    await write(
      T0 + 2,
      [{ sfId: lead(1), outcome: 'failed', error: { code: 'X', message: '', fields: [] } }],
      [],
    );
    expect((await loadStates(db, [lead(1)])).get(lead(1))?.hashes.A).toBe('v2');
    expect((await statesByMarketoId(db, [22])).get(22)?.sfId).toBe(lead(1));
    // Older rows still name persons 21, but the record is now linked to 22.
    expect((await statesByMarketoId(db, [21])).size).toBe(0);
    await write(T0 + 3, [{ sfId: lead(1), outcome: 'deleted' }], [[lead(1), null]]);
    expect((await loadStates(db, [lead(1)])).size).toBe(0);
    expect((await statesByMarketoId(db, [22])).size).toBe(0);
    const all = [];
    for await (const page of allStates(db, 'Lead')) all.push(...page);
    expect(all).toEqual([]);
  });

  it("getRecordStatus reads the record's state with its events: batch rows first, then the archive", async () => {
    const db = freshDb();
    await db.transaction('rw', db.syncState, () =>
      saveStates(
        db,
        new Map([
          [lead(1), entry('archived', 51)],
          [lead(2), entry('archived', 52)],
        ]),
        T0 - DAY,
      ),
    );
    const write = await stepWriter(db);
    await write(T0, [{ sfId: lead(1), outcome: 'updated' }], [[lead(1), entry('v1', 51)]]);
    await write(T0 + 1, [{ sfId: lead(1), outcome: 'excluded', reason: 'filter' }], []);
    await write(T0 + 2, [{ sfId: lead(3), outcome: 'deleted' }], [[lead(3), null]]);
    const status = (n: number) => getRecordStatus(db, lead(n));
    expect((await status(1)).syncState?.hashes.A).toBe('v1');
    expect((await status(1)).events.map((e) => e.outcome)).toEqual(['excluded', 'updated']);
    expect((await status(2)).syncState?.hashes.A).toBe('archived');
    expect((await status(3)).syncState).toBeUndefined();
    for (const n of [1, 2, 3]) {
      expect((await status(n)).syncState).toEqual((await loadStates(db, [lead(n)])).get(lead(n)));
    }
  });

  it('retention carries current states into the archive and drops superseded ones', async () => {
    const db = freshDb();
    const write = await stepWriter(db);
    const old = T0 - 10 * DAY;
    await write(
      old,
      [1, 2, 3].map((n) => ({ sfId: lead(n), outcome: 'new' as const })),
      [
        [lead(1), entry('old1', 31)],
        [lead(2), entry('old2', 32)],
        [lead(3), entry('old3', 33)],
      ],
    );
    // Record 2 is synced again recently; record 3 was deleted (tombstone) in an old row too.
    await write(old + 1, [{ sfId: lead(3), outcome: 'deleted' }], [[lead(3), null]]);
    await write(T0, [{ sfId: lead(2), outcome: 'updated' }], [[lead(2), entry('new2', 32)]]);
    const result = await pruneOlderThan(db, 5, T0 + MINUTE);
    expect(result.recordEvents).toBe(2);
    // Carried: record 1's entry and record 3's tombstone; record 2's old state is superseded.
    expect(result.statesCarried).toBe(2);
    const archive = await db.syncState.toArray();
    expect(archive).toHaveLength(1);
    expect(archive[0]!.sfIds.sort()).toEqual([lead(1), lead(3)].sort());
    const states = await loadStates(db, [lead(1), lead(2), lead(3)]);
    expect(states.get(lead(1))?.hashes.A).toBe('old1');
    expect(states.get(lead(2))?.hashes.A).toBe('new2');
    expect(states.has(lead(3))).toBe(false);
    expect((await statesByMarketoId(db, [31])).get(31)?.sfId).toBe(lead(1));
    const all: string[] = [];
    for await (const page of allStates(db, 'Lead')) all.push(...page.map(([id, e]) => `${id}:${e.hashes.A}`));
    expect(all.sort()).toEqual([`${lead(1)}:old1`, `${lead(2)}:new2`].sort());
  });
  it('retention folds an outcome only when no newer row lists the record under either key', async () => {
    const db = freshDb();
    const write = await stepWriter(db);
    const old = T0 - 10 * DAY;
    // Record 1: its old row holds its state (state key); a newer row holds only an outcome (plain id).
    // Record 2: the other way round. Record 3: nothing newer, so its outcome is folded.
    await write(
      old,
      [1, 2, 3].map((n) => ({ sfId: lead(n), outcome: 'updated' as const })),
      [
        [lead(1), entry('s1', 41)],
        [lead(3), entry('s3', 43)],
      ],
    );
    await write(T0, [{ sfId: lead(1), outcome: 'excluded', reason: 'filter' }], []);
    await write(T0 + 1, [{ sfId: lead(2), outcome: 'updated' }], [[lead(2), entry('s2', 42)]]);
    const result = await pruneOlderThan(db, 5, T0 + MINUTE);
    expect(result.recordsFolded).toBe(1);
    expect(await db.records.get(lead(1))).toBeUndefined();
    expect(await db.records.get(lead(2))).toBeUndefined();
    expect(await db.records.get(lead(3))).toMatchObject({ state: 'synced' });
    expect((await loadStates(db, [lead(1)])).get(lead(1))?.hashes.A).toBe('s1');
  });
});

describe('archive compaction', () => {
  it('drops dead entries, keeps current ones and the tombstones still needed, and changes no state', async () => {
    const db = freshDb();
    const archive = (at: number, states: [string, SyncState | null][]) =>
      db.transaction('rw', db.syncState, () => saveStates(db, new Map(states), at));
    // 30 archive rows: record n's state re-archived 3 times (two dead copies each), record 100 alive
    // in the first row only, record 101 a tombstone over an entry in a row outside the window.
    await archive(T0, [
      [lead(100), entry('only', 100)],
      [lead(101), entry('gone', 101)],
    ]);
    for (let round = 0; round < 3; round++) {
      for (let n = 0; n < 9; n++) await archive(T0 + round, [[lead(n), entry(`r${round}`, n + 1)]]);
    }
    await archive(T0 + 5, [[lead(101), null]]);
    // Record 0 is decided by a batch row now: its archive copies are all dead.
    const write = await stepWriter(db);
    await write(T0 + 9, [{ sfId: lead(0), outcome: 'updated' }], [[lead(0), entry('event', 1)]]);
    const ids = [...Array.from({ length: 9 }, (_, n) => lead(n)), lead(100), lead(101)];
    const before = await loadStates(db, ids);

    const dropped: number[] = [];
    for (let run = 0; run < 4; run++) dropped.push((await compactArchive(db, T0 + 10)).entriesDropped);
    expect(dropped.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(await loadStates(db, ids)).toEqual(before);
    expect(before.get(lead(0))?.hashes.A).toBe('event');
    expect(before.has(lead(101))).toBe(false);
    // Every dead copy went: each record is named by one archive row at most (record 0 by none).
    const names = (await db.syncState.toArray()).flatMap((r) => r.sfIds);
    expect(names.filter((id) => id === lead(3))).toHaveLength(1);
    expect(names).not.toContain(lead(0));
    expect((await statesByMarketoId(db, [100])).get(100)?.sfId).toBe(lead(100));
  });
});

describe('database version 3 upgrade', () => {
  it('copies the failures of existing batch rows into failure rows and keeps version 2 states', async () => {
    const name = `upgrade-${Math.random()}`;
    // The version 1 + 2 schema exactly as it shipped.
    const v2 = new Dexie(name);
    v2.version(1).stores({
      cycles: '++id, startedAt',
      steps: '++id, cycleId, [startedAt+id], [endSort+id]',
      recordEvents: '++id, [stepId+id], [failedStepId+id], at, *sfIds',
      records: 'sfId, nextRetryAt',
      cursors: 'key',
      schemas: 'objectType',
      metrics: '++id, at',
    });
    v2.version(2).stores({ syncState: '++id, *sfIds, *mktoIds', leases: 'name' });
    const failed: PackedOutcome = {
      sfId: lead(9),
      outcome: 'failed',
      error: { code: 'INVALID_EMAIL_ADDRESS', message: 'bad', fields: ['Email'] },
    };
    const base = { cycleId: 1, stepId: 4, operation: 'Pull Updates', objectType: 'Person' };
    await v2.table('recordEvents').bulkAdd([
      { ...base, at: T0, sfIds: [lead(8)], outcomes: [{ sfId: lead(8), outcome: 'new' }], failedCount: 0 },
      {
        ...base,
        at: T0 + 1,
        sfIds: [lead(9)],
        outcomes: [{ sfId: lead(7), outcome: 'skipped' }, failed],
        failedCount: 1,
        failedStepId: 4,
      },
    ]);
    await v2.table('syncState').add({
      at: T0,
      sfIds: [lead(8)],
      mktoIds: [88],
      entries: { [lead(8)]: { o: 'Lead', f: { A: 's' }, m: 88 } },
    });
    v2.close();

    const db = new SyncLogDatabase(name);
    const failures = await db.failures.toArray();
    expect(failures).toEqual([
      {
        id: 1,
        at: T0 + 1,
        ...base,
        sfIds: [failed.sfId],
        mktoIds: [null],
        names: [null],
        codes: ['INVALID_EMAIL_ADDRESS'],
        messages: ['bad'],
        fields: ['Email'],
        attempts: [1],
      },
    ]);
    expect((await loadStates(db, [lead(8)])).get(lead(8))?.marketoId).toBe(88);
    expect((await statesByMarketoId(db, [88])).get(88)?.sfId).toBe(lead(8));
    db.close();
    await Dexie.delete(name);
  });
});
