// Shared helpers of the tests/unit/db-*.test.ts files (not a test file itself).
import type { DBCoreQueryRequest } from 'dexie';
import { SyncLogDatabase } from '../../lib/db/database';
import { emptyCounters, type StepRow } from '../../lib/db/types';

let counter = 0;

/** A fresh, empty database per test (fake-indexeddb keeps databases for the whole file). */
export function freshDb(): SyncLogDatabase {
  counter += 1;
  return new SyncLogDatabase(`test-db-${process.pid}-${counter}`);
}

export interface ReadLog {
  /** Every row returned by a query or a bulkGet (getMany) on a table, in order, with the index it came from. */
  queries: { table: string; index: string; rows: unknown[] }[];
  /** Tables on which a cursor was opened (a `.filter()`, `.each()` or `.offset()` walk). */
  cursors: string[];
  /** Rows returned from `table` by queries. */
  rowsOf(table: string): unknown[];
  clear(): void;
}

/**
 * Records what the database hands to Dexie, as a DBCore middleware: each `query` (one getAll or
 * one limited cursor walk inside the IndexedDB adapter) and each `openCursor`. A test can then
 * check that a query read only the rows it needed, not a whole range filtered in JavaScript.
 * Must be called before the database is first used.
 */
export function trackReads(db: SyncLogDatabase): ReadLog {
  const log: ReadLog = {
    queries: [],
    cursors: [],
    rowsOf: (table) => log.queries.filter((q) => q.table === table).flatMap((q) => q.rows),
    clear() {
      log.queries.length = 0;
      log.cursors.length = 0;
    },
  };
  db.use({
    stack: 'dbcore',
    name: 'read-tracker',
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        return {
          ...table,
          async query(req: DBCoreQueryRequest) {
            const res = await table.query(req);
            log.queries.push({ table: name, index: req.query.index.name || ':id', rows: res.result });
            return res;
          },
          async getMany(req) {
            const res = await table.getMany(req);
            log.queries.push({
              table: name,
              index: ':id (getMany)',
              rows: res.filter((r) => r !== undefined),
            });
            return res;
          },
          openCursor(req) {
            log.cursors.push(name);
            return table.openCursor(req);
          },
        };
      },
    }),
  });
  return log;
}

export function stepRow(fields: Partial<StepRow> & Pick<StepRow, 'startedAt'>): Omit<StepRow, 'id'> {
  const endedAt = fields.endedAt === undefined ? fields.startedAt + 1000 : fields.endedAt;
  return {
    cycleId: 1,
    operation: 'Pull Updates',
    objectType: 'Contact',
    status: endedAt === null ? 'In Process' : 'Completed',
    ...emptyCounters(),
    ...fields,
    endedAt,
    endSort: endedAt ?? Number.POSITIVE_INFINITY,
  };
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
