// The log port (docs/log-port.md): what the engine and the views may ask of the sync log. It is the
// part of Dexie's table API the code uses, named here so that a second implementation can serve it:
// the Dexie database (lib/db/database.ts, in the browser and in fake-indexeddb) and the PostgreSQL
// log (lib/db/pg/, the service). Both keep IndexedDB's semantics — keys ordered Number < Date <
// String < Binary < Array, a where() range read in (index key, primary key) order, multi-entry
// indexes (`*sfIds`) that give a row once per matching entry, and transactions that see their own
// writes and are all-or-nothing — so no behaviour of the engine depends on which log it writes.
// Methods are declared as methods (not function properties) so that Dexie's overloaded signatures
// satisfy them; `satisfiesLogPort` in database.ts makes the compiler check that they do.
import type { LeaseRow, SyncStateRow } from './syncStateTypes';
import type {
  CursorRow,
  CycleRow,
  FailureRow,
  MetricRow,
  RecordEventRow,
  RecordFlagsRow,
  SchemaRow,
  StepRow,
} from './types';

/** A valid IndexedDB key: a number (not NaN), a Date, a string, binary, or an array of keys. */
export type LogKey = number | string | Date | ArrayBuffer | ArrayBufferView | readonly LogKey[];

export interface LogKeyCursor<K> {
  key: unknown;
  primaryKey: K;
}

/** Rows found by a where(), orderBy() or toCollection(), in key order unless reversed. */
export interface LogCollection<T, K> {
  reverse(): LogCollection<T, K>;
  limit(count: number): LogCollection<T, K>;
  /** Keeps the rows the test accepts (evaluated in JavaScript, before limit). */
  filter(test: (row: T) => boolean): LogCollection<T, K>;
  toArray(): Promise<T[]>;
  first(): Promise<T | undefined>;
  last(): Promise<T | undefined>;
  count(): Promise<number>;
  primaryKeys(): Promise<K[]>;
  /** The index keys of the rows found (a multi-entry index: the matching entries). */
  keys(): Promise<unknown[]>;
  each(visit: (row: T) => void): Promise<void>;
  eachKey(visit: (key: unknown, cursor: LogKeyCursor<K>) => void): Promise<void>;
  modify(change: (row: T) => unknown): Promise<number>;
  delete(): Promise<number>;
}

/** A range of one index (`'cycleId'`, `'[stepId+id]'`, `'*sfIds'` as `'sfIds'`, `':id'`). */
export interface LogWhereClause<T, K> {
  equals(key: unknown): LogCollection<T, K>;
  anyOf(keys: readonly unknown[]): LogCollection<T, K>;
  anyOf(...keys: unknown[]): LogCollection<T, K>;
  between(
    lower: unknown,
    upper: unknown,
    includeLower?: boolean,
    includeUpper?: boolean,
  ): LogCollection<T, K>;
  above(key: unknown): LogCollection<T, K>;
  aboveOrEqual(key: unknown): LogCollection<T, K>;
  below(key: unknown): LogCollection<T, K>;
  belowOrEqual(key: unknown): LogCollection<T, K>;
  startsWith(prefix: string): LogCollection<T, K>;
}

/** One table: rows of type T under primary keys of type K; `I` is what add/put accept. */
export interface LogTable<T, K, I = T> {
  readonly name: string;
  get(key: K): Promise<T | undefined>;
  bulkGet(keys: K[]): Promise<(T | undefined)[]>;
  add(row: I): Promise<K>;
  bulkAdd(rows: readonly I[]): Promise<unknown>;
  put(row: I): Promise<K>;
  bulkPut(rows: readonly I[]): Promise<unknown>;
  /** Sets the given fields of the row under key; resolves 1 if it exists, else 0. */
  update(key: K, changes: Partial<T>): Promise<number>;
  delete(key: K): Promise<void>;
  bulkDelete(keys: readonly K[]): Promise<void>;
  clear(): Promise<void>;
  count(): Promise<number>;
  toArray(): Promise<T[]>;
  each(visit: (row: T) => void): Promise<void>;
  where(index: string): LogWhereClause<T, K>;
  /** Every row, in primary key order, that the test accepts. */
  filter(test: (row: T) => boolean): LogCollection<T, K>;
  orderBy(index: string): LogCollection<T, K>;
  toCollection(): LogCollection<T, K>;
}

/** What add/put take for a table whose primary key is an auto-increment `id`. */
export type WithOptionalId<T extends { id: number }> = Omit<T, 'id'> & { id?: number };

// biome-ignore lint/suspicious/noExplicitAny: a table of any row type, as transaction scopes list them
export type AnyLogTable = LogTable<any, any, any>;

export const LOG_TABLE_NAMES = [
  'cycles',
  'steps',
  'recordEvents',
  'records',
  'cursors',
  'schemas',
  'metrics',
  'syncState',
  'leases',
  'failures',
] as const;
export type LogTableName = (typeof LOG_TABLE_NAMES)[number];

/** The log's tables, and transactions over them. */
export interface LogDatabase {
  /** The log's name: an org's log in the service, the browser's database name in the extension. */
  readonly name: string;
  cycles: LogTable<CycleRow, number, WithOptionalId<CycleRow>>;
  steps: LogTable<StepRow, number, WithOptionalId<StepRow>>;
  recordEvents: LogTable<RecordEventRow, number, WithOptionalId<RecordEventRow>>;
  records: LogTable<RecordFlagsRow, string>;
  cursors: LogTable<CursorRow, string>;
  schemas: LogTable<SchemaRow, string>;
  metrics: LogTable<MetricRow, number, WithOptionalId<MetricRow>>;
  syncState: LogTable<SyncStateRow, number, WithOptionalId<SyncStateRow>>;
  leases: LogTable<LeaseRow, string>;
  failures: LogTable<FailureRow, number, WithOptionalId<FailureRow>>;
  table(name: LogTableName): AnyLogTable;
  /**
   * Runs scope in one transaction over the tables named: every read sees the writes before it,
   * and if scope throws nothing of it is kept. Read-write transactions over the same log never
   * interleave (IndexedDB serialises overlapping scopes; the PostgreSQL log takes the log's lock).
   * Tables are named rather than passed so that both implementations take the same argument.
   */
  transaction<R>(
    mode: 'r' | 'rw',
    tables: readonly LogTableName[],
    scope: () => R | PromiseLike<R>,
  ): Promise<R>;
}
