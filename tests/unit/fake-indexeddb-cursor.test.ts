// fake-indexeddb, the Node log's store (`npm run sync`, the benches, the tests), as patched in
// patches/fake-indexeddb+6.2.8.patch: a cursor step starts its search at the cursor's position (or
// the key given to continue), not at the start of the cursor's range. Unpatched, every step walked
// the range from its start: Dexie's anyOf (one continue(key) per wanted key) was quadratic — 10,000
// contact ids looked up in a 165,000-entry index took three minutes, and a step a few hundred
// microseconds in the opportunity bench. Here: the search visits only a few records per step, and
// the cursor still lands where IndexedDB says in every direction and at every edge.
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface Row {
  id?: number;
  keys: string[];
}

let db: Dexie & { rows: Dexie.Table<Row, number> };
let visited = 0;

const key = (n: number) => `k${String(n).padStart(6, '0')}`;

beforeEach(async () => {
  db = new Dexie(`fake-idb-cursor-${Math.random()}`) as typeof db;
  db.version(1).stores({ rows: '++id, *keys' });
  // 100 rows of 300 keys (30,000 index entries); every 7th key is in the next row too.
  await db.rows.bulkAdd(
    Array.from({ length: 100 }, (_, r) => ({
      keys: Array.from({ length: 300 }, (_, i) => key(r * 300 + i)).concat(
        r > 0 ? Array.from({ length: 43 }, (_, i) => key((r - 1) * 300 + i * 7)) : [],
      ),
    })),
  );
  // Counts the index records each search yields (RecordStore.values, reached through an index).
  const index = (
    db.backendDB().transaction('rows').objectStore('rows').index('keys') as unknown as {
      _rawIndex: { records: object };
    }
  )._rawIndex.records;
  const proto = Object.getPrototypeOf(index) as { values: (...a: unknown[]) => Iterable<unknown> };
  const values = proto.values;
  proto.values = function (this: unknown, ...args: unknown[]) {
    const iterable = values.apply(this, args);
    return {
      [Symbol.iterator]: () => {
        const it = iterable[Symbol.iterator]();
        return {
          next: () => {
            visited++;
            return it.next();
          },
        };
      },
    };
  };
  afterEach(() => {
    proto.values = values;
  });
  visited = 0;
});

afterEach(async () => {
  db.close();
  await db.delete();
});

/** [index key, primary key] pairs the way IndexedDB must give them for these keys. */
async function expectedPairs(wanted: string[]) {
  const set = new Set(wanted);
  const pairs: [string, number][] = [];
  for (const row of await db.rows.toArray())
    for (const k of row.keys) if (set.has(k)) pairs.push([k, row.id!]);
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
}

describe('fake-indexeddb cursor steps (patched)', () => {
  it('anyOf of 300 keys spread over 30,000 entries finds each entry, visiting a few records per step', async () => {
    const wanted = Array.from({ length: 300 }, (_, i) => key(i * 97 + 5));
    wanted.push(key(-1).replace('-', 'a'), 'k999999x', 'zzz'); // absent, and beyond the last key
    const found: [string, number][] = [];
    visited = 0;
    await db.rows
      .where('keys')
      .anyOf(wanted)
      .eachKey((k, cursor) => {
        found.push([String(k), cursor.primaryKey as number]);
      });
    expect(found).toEqual(await expectedPairs(wanted));
    // Walking from the range's start on every step visited ~4,500,000 records here.
    expect(visited).toBeLessThan(10 * (wanted.length + found.length));
  });

  it('continue(key) lands where IndexedDB says, both ways, at the range edges and on duplicates', async () => {
    const all = await expectedPairs((await db.rows.toArray()).flatMap((r) => r.keys));
    const inRange = (k: string) => k > key(10) && k <= key(700);
    const forward = all.filter(([k]) => inRange(k));
    const backward = [...forward].reverse();
    // A model of the cursor: each step is a plain continue() or a jump to a key.
    const model = (pairs: [string, number][], jumps: (string | null)[], reverse: boolean) => {
      const seen: [string, number][] = [];
      let at = 0;
      for (const jump of [null, ...jumps]) {
        if (jump === null) at = seen.length ? at + 1 : 0;
        else at = pairs.findIndex(([k], i) => i > at && (reverse ? k <= jump : k >= jump));
        if (at < 0 || at >= pairs.length) break;
        seen.push(pairs[at]!);
      }
      return seen;
    };
    const walk = (direction: IDBCursorDirection, jumps: (string | null)[]) =>
      new Promise<[string, number][]>((done, fail) => {
        const index = db.backendDB().transaction('rows').objectStore('rows').index('keys');
        const request = index.openKeyCursor(IDBKeyRange.bound(key(10), key(700), true, false), direction);
        const seen: [string, number][] = [];
        const left = [...jumps];
        request.onerror = () => fail(request.error);
        request.onsuccess = () => {
          const cursor = request.result;
          if (!cursor) return done(seen);
          seen.push([String(cursor.key), cursor.primaryKey as number]);
          if (left.length === 0) return done(seen);
          const jump = left.shift()!;
          if (jump === null) cursor.continue();
          else cursor.continue(jump);
        };
      });
    // (A jump must go past the cursor's key: IndexedDB refuses continue(key) otherwise.)
    // Forward: from past the open lower bound, into duplicates (k000301 and k000308 are in two
    // rows), to a key between two, and past the range's end.
    const ahead = [null, `${key(250)}x`, key(301), null, key(308), null, null, key(699), null, key(900)];
    expect(await walk('next', ahead)).toEqual(model(forward, ahead, false));
    const back = [key(601), null, key(308), null, `${key(200)}x`, key(12), null, key(5)];
    expect(await walk('prev', back)).toEqual(model(backward, back, true));
  });
});
