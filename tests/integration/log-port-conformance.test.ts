// The PostgreSQL log against the Dexie log (fake-indexeddb): random programs of writes and reads
// over the log's own tables — a string primary key, an auto-increment one, plain, compound and
// multi-entry indexes, keys shared by thousands of rows — run on both, and every read must give
// the same rows in the same order. The engine may then write either log (docs/log-port.md).
import fc from 'fast-check';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncLogDatabase } from '../../lib/db/database';
import type { LogDatabase } from '../../lib/db/logPort';
import { dropPostgresLog, openPostgresLog } from '../../lib/db/pg';

const sfIds = ['00Q000000000001AAA', '00Q000000000002AAA', '003000000000001AAA', 'email:1', 'email:2', 'k'];
const event = fc.record(
  {
    id: fc.integer({ min: 1, max: 40 }),
    stepId: fc.integer({ min: 1, max: 4 }),
    at: fc.constantFrom(1000, 2000, 3000),
    sfIds: fc.uniqueArray(fc.constantFrom(...sfIds), { maxLength: 4 }),
    mktoIds: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
  },
  { requiredKeys: ['stepId', 'at', 'sfIds'] },
);
const flags = fc.record(
  {
    sfId: fc.constantFrom(...sfIds),
    nextRetryAt: fc.constantFrom(5, 10, 15),
    state: fc.constantFrom('failed', 'synced'),
  },
  { requiredKeys: ['sfId'] },
);
const key = fc.constantFrom(...sfIds);
// Equal bounds with an open end are a DataError in IndexedDB itself (IDBKeyRange.bound): not asked.
const range = fc
  .tuple(fc.integer({ min: 0, max: 45 }), fc.integer({ min: 0, max: 45 }), fc.boolean(), fc.boolean())
  .map(([a, b, il, iu]) => (a === b ? ([a, b, true, true] as const) : ([a, b, il, iu] as const)));
const shape = fc.record({ reverse: fc.boolean(), limit: fc.option(fc.integer({ min: 0, max: 5 })) });

type Op = (db: LogDatabase) => Promise<unknown>;
// biome-ignore lint/suspicious/noExplicitAny: a collection of either log
const read = (c: any, s: { reverse: boolean; limit: number | null }, end: string) => {
  let q = s.reverse ? c.reverse() : c;
  if (s.limit !== null) q = q.limit(s.limit);
  return q[end]();
};
const end = fc.constantFrom('toArray', 'primaryKeys', 'keys', 'count', 'first', 'last');

const op = fc.oneof(
  event.map((e): [string, Op] => [
    `put ${JSON.stringify(e)}`,
    (db: LogDatabase) => db.recordEvents.put({ failedCount: 0, ...e } as never),
  ]),
  event.map((e): [string, Op] => [
    `add ${JSON.stringify(e)}`,
    (db: LogDatabase) => db.recordEvents.add({ failedCount: 0, ...e } as never).catch((x: Error) => x.name),
  ]),
  fc
    .array(flags, { maxLength: 4 })
    .map((rows): [string, Op] => [
      `bulkPut ${JSON.stringify(rows)}`,
      (db: LogDatabase) => db.records.bulkPut(rows as never),
    ]),
  fc
    .integer({ min: 1, max: 40 })
    .map((id): [string, Op] => [`delete ${id}`, (db: LogDatabase) => db.recordEvents.delete(id)]),
  key.map((k): [string, Op] => [
    `update ${k}`,
    (db: LogDatabase) => db.records.update(k, { state: 'synced', nextRetryAt: undefined } as never),
  ]),
  fc
    .tuple(key, shape, end)
    .map(([k, s, e]): [string, Op] => [
      `sfIds=${k} ${JSON.stringify(s)} ${e}`,
      (db: LogDatabase) => read(db.recordEvents.where('sfIds').equals(k), s, e),
    ]),
  fc
    .tuple(fc.array(key, { maxLength: 3 }), shape, end)
    .map(([ks, s, e]): [string, Op] => [
      `sfIds anyOf ${ks} ${e}`,
      (db: LogDatabase) => read(db.recordEvents.where('sfIds').anyOf(ks), s, e),
    ]),
  fc
    .tuple(fc.constantFrom('0', '00Q', 'email:', 'k', ''), shape, end)
    .map(([p, s, e]): [string, Op] => [
      `sfIds startsWith ${p} ${e}`,
      (db: LogDatabase) => read(db.recordEvents.where('sfIds').startsWith(p), s, e),
    ]),
  fc
    .tuple(range, shape, end)
    .map(([[a, b, il, iu], s, e]): [string, Op] => [
      `[stepId+id] ${a}..${b} ${e}`,
      (db: LogDatabase) =>
        read(db.recordEvents.where('[stepId+id]').between([a % 5, a], [b % 5, b], il, iu), s, e),
    ]),
  fc
    .tuple(fc.integer({ min: 1, max: 5 }), shape, end)
    .map(([m, s, e]): [string, Op] => [
      `mktoIds=${m} ${e}`,
      (db: LogDatabase) => read(db.recordEvents.where('mktoIds').equals(m), s, e),
    ]),
  fc
    .tuple(fc.constantFrom(1000, 2000, 3000), shape, end)
    .map(([at, s, e]): [string, Op] => [
      `at below ${at} ${e}`,
      (db: LogDatabase) => read(db.recordEvents.where('at').below(at), s, e),
    ]),
  fc
    .tuple(range, shape, end)
    .map(([[a], s, e]): [string, Op] => [
      `:id above ${a} ${e}`,
      (db: LogDatabase) => read(db.recordEvents.where(':id').above(a), s, e),
    ]),
  fc
    .tuple(shape, end)
    .map(([s, e]): [string, Op] => [
      `records by state ${e}`,
      (db: LogDatabase) => read(db.records.where('state').equals('failed'), s, e),
    ]),
  fc
    .tuple(fc.integer({ min: 0, max: 20 }), shape, end)
    .map(([t, s, e]): [string, Op] => [
      `nextRetryAt <= ${t} ${e}`,
      (db: LogDatabase) => read(db.records.where('nextRetryAt').belowOrEqual(t), s, e),
    ]),
  fc
    .tuple(shape, end)
    .map(([s, e]): [string, Op] => [
      `orderBy at ${e}`,
      (db: LogDatabase) => read(db.recordEvents.orderBy('at'), s, e),
    ]),
  fc.tuple(shape).map(([s]): [string, Op] => [
    `filter`,
    (db: LogDatabase) =>
      read(
        db.recordEvents.orderBy('at').filter((r) => r.sfIds.length > 1),
        s,
        'toArray',
      ),
  ]),
  fc.constant<[string, Op]>([
    `modify`,
    (db: LogDatabase) =>
      db.recordEvents
        .where('stepId')
        .equals(2)
        .modify((r) => {
          r.at += 1;
        }),
  ]),
  fc.constant<[string, Op]>([
    `eachKey`,
    async (db: LogDatabase) => {
      const seen: unknown[] = [];
      await db.recordEvents
        .where('sfIds')
        .startsWith('0')
        .eachKey((k, c) => seen.push([k, c.primaryKey]));
      return seen;
    },
  ]),
  fc.constant<[string, Op]>([
    `tx rollback`,
    (db: LogDatabase) =>
      db
        .transaction('rw', ['records', 'recordEvents'], async () => {
          await db.records.put({ sfId: 'rolled', state: 'failed' } as never);
          throw new Error('no');
        })
        .catch((e: Error) => e.message),
  ]),
  // Requests issued together in one transaction run in the order issued, each seeing the ones
  // before (the PostgreSQL log pipelines them and does not wait for its writes: session.ts).
  fc
    .tuple(event, fc.array(flags, { maxLength: 3 }), key)
    .map(([e, rows, k]): [string, Op] => [
      `tx together ${JSON.stringify(e)} ${JSON.stringify(rows)} ${k}`,
      (db: LogDatabase) =>
        db.transaction('rw', ['records', 'recordEvents'], () =>
          Promise.all([
            db.recordEvents.add({ failedCount: 0, ...e } as never).catch((x: Error) => x.name),
            db.records.bulkPut(rows as never),
            db.recordEvents.where('sfIds').equals(k).primaryKeys(),
            db.recordEvents.add({ stepId: 3, at: 2000, sfIds: [k], failedCount: 0 } as never),
            db.records.where('state').equals('failed').primaryKeys(),
            db.recordEvents.put({ ...e, id: e.id ?? 7, at: 3000, failedCount: 0 } as never),
            db.recordEvents.where('at').equals(3000).toArray(),
          ]),
        ),
    ]),
  fc.constant<[string, Op]>([
    `add without id`,
    (db: LogDatabase) => db.recordEvents.add({ stepId: 9, at: 1, sfIds: ['k'], failedCount: 0 } as never),
  ]),
);

let pool: Pool;
let n = 0;
beforeAll(() => {
  pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
});
afterAll(() => pool.end());

describe('log port: PostgreSQL log = Dexie log', () => {
  it('gives the same answer to every read of random programs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (program) => {
        const name = `conformance_${process.pid}_${n++}`;
        const dexie = new SyncLogDatabase(name);
        const pg = await openPostgresLog(pool, name);
        try {
          const done: string[] = [];
          for (const [label, run] of program) {
            const [a, b] = [await run(dexie), await run(pg)];
            done.push(label);
            expect(b, done.join('\n')).toEqual(a);
          }
        } finally {
          await dexie.delete();
          await dropPostgresLog(pool, name);
        }
      }),
      { numRuns: Number(process.env.LOG_PORT_RUNS ?? 40) },
    );
  });
});
