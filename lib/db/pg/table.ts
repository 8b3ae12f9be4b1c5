// One table of the PostgreSQL log (docs/log-port.md): Dexie's table methods over a `pk, doc, index
// columns` table and its multi-entry tables (lib/db/pg/tableSql.ts). Writes keep IndexedDB's rules:
// an auto-increment key is generated when the row has none and set on the row; an explicit larger
// key moves the generator on; add refuses an existing key; the last of two puts of one key wins.
import { deserialize } from 'node:v8';
import type { LogTable } from '../logPort';
import { byteaArray } from './byteaArray';
import { PgCollection, type Query } from './collection';
import { encodeKey } from './keyCodec';
import { ConstraintError, writeRows } from './rowWrites';
import type { PgSession } from './session';
import { primaryKeyOf, type StoreSpec, setPrimaryKey } from './storeSpec';
import { entriesIdent, sequenceIdent, tableIdent } from './tableSql';
import { PgWhereClause } from './whereClause';

export { ConstraintError } from './rowWrites';

/** What a collection needs of its table. */
export interface PgTableAccess {
  schema: string;
  table: string;
  session: PgSession;
  rowOf(doc: Buffer): unknown;
  putRows(rows: object[], mode: 'add' | 'put'): Promise<unknown[]>;
  deleteEncoded(pks: Buffer[]): Promise<void>;
}

const hex = (b: Buffer) => b.toString('hex');

export class PgLogTable<T, K, I = T> implements LogTable<T, K, I>, PgTableAccess {
  constructor(
    readonly session: PgSession,
    readonly schema: string,
    readonly name: string,
    readonly spec: StoreSpec,
  ) {}

  get table() {
    return this.name;
  }

  rowOf(doc: Buffer): unknown {
    return deserialize(doc);
  }

  private ident() {
    return tableIdent(this.schema, this.name);
  }

  /**
   * Writes rows and their index entries (rowWrites.ts). A row without a key gets one from the
   * table's generator, set on the row as IndexedDB injects it; an explicit integer key moves the
   * generator past it. The statements go out in call order (session.ts withKeys).
   */
  putRows(rows: object[], mode: 'add' | 'put'): Promise<unknown[]> {
    if (rows.length === 0) return Promise.resolve([]);
    const auto = this.spec.primary.autoIncrement;
    const missing = auto ? rows.filter((r) => primaryKeyOf(r, this.spec) === undefined) : [];
    const explicit = rows
      .map((r) => primaryKeyOf(r, this.spec))
      .filter((k): k is number => auto && typeof k === 'number' && Number.isFinite(k));
    const top = explicit.length > 0 ? Math.floor(Math.max(...explicit)) : undefined;
    const sequence = auto ? sequenceIdent(this.schema, this.name) : undefined;
    return this.session.write(() =>
      this.session.withKeys(sequence, missing.length, top, async (generated) => {
        for (const [i, row] of missing.entries()) setPrimaryKey(row, this.spec, generated[i]!);
        // The last row of a key wins (one statement cannot write a key twice).
        const byKey = new Map<string, { pk: Buffer; row: object }>();
        const keys = rows.map((row) => {
          const key = primaryKeyOf(row, this.spec);
          const pk = encodeKey(key);
          if (mode === 'add' && byKey.has(hex(pk)))
            throw new ConstraintError(`Key already exists: ${String(key)}`);
          byKey.set(hex(pk), { pk, row });
          return key;
        });
        // Every key new from the generator: an add that cannot be refused short of a broken log.
        const fresh = mode === 'add' && missing.length === rows.length;
        await writeRows(this.session, this, [...byKey.values()], fresh ? 'fresh' : mode);
        return keys;
      }),
    );
  }

  async deleteEncoded(pks: Buffer[]): Promise<void> {
    if (pks.length === 0) return;
    await this.session.write(async () => {
      const keys = byteaArray(pks);
      for (const table of this.tablesOfRows())
        this.session.behind(`DELETE FROM ${table} WHERE pk = ANY($1::bytea[])`, [keys]);
    });
  }

  /** The table and its multi-entry index tables. */
  private tablesOfRows(): string[] {
    const entries = this.spec.indexes.filter((i) => i.multiEntry);
    return [this.ident(), ...entries.map((i) => entriesIdent(this.schema, this.name, i.sqlName))];
  }

  async get(key: K): Promise<T | undefined> {
    const { rows } = await this.session.query<{ doc: Buffer }>(
      `SELECT doc FROM ${this.ident()} WHERE pk = $1`,
      [encodeKey(key)],
    );
    return rows[0] ? (this.rowOf(rows[0].doc) as T) : undefined;
  }

  async bulkGet(keys: K[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    const pks = keys.map((k) => encodeKey(k));
    const { rows } = await this.session.query<{ pk: Buffer; doc: Buffer }>(
      `SELECT pk, doc FROM ${this.ident()} WHERE pk = ANY($1::bytea[])`,
      [byteaArray(pks)],
    );
    const found = new Map(rows.map((r) => [hex(r.pk), r.doc]));
    return pks.map((pk) => {
      const doc = found.get(hex(pk));
      return doc ? (this.rowOf(doc) as T) : undefined;
    });
  }

  async add(row: I): Promise<K> {
    return (await this.putRows([row as object], 'add'))[0] as K;
  }

  async bulkAdd(rows: readonly I[]): Promise<unknown> {
    return (await this.putRows([...rows] as object[], 'add')).at(-1);
  }

  async put(row: I): Promise<K> {
    return (await this.putRows([row as object], 'put'))[0] as K;
  }

  async bulkPut(rows: readonly I[]): Promise<unknown> {
    return (await this.putRows([...rows] as object[], 'put')).at(-1);
  }

  async update(key: K, changes: Partial<T>): Promise<number> {
    return this.session.write(async () => {
      const { rows } = await this.session.query<{ doc: Buffer }>(
        `SELECT doc FROM ${this.ident()} WHERE pk = $1 FOR UPDATE`,
        [encodeKey(key)],
      );
      if (!rows[0]) return 0;
      const row = this.rowOf(rows[0].doc) as Record<string, unknown>;
      for (const [path, value] of Object.entries(changes)) setPath(row, path, value);
      await this.putRows([row], 'put');
      return 1;
    });
  }

  async delete(key: K): Promise<void> {
    await this.deleteEncoded([encodeKey(key)]);
  }

  async bulkDelete(keys: readonly K[]): Promise<void> {
    await this.deleteEncoded(keys.map((k) => encodeKey(k)));
  }

  async clear(): Promise<void> {
    await this.session.write(async () => {
      for (const table of this.tablesOfRows()) this.session.behind(`DELETE FROM ${table}`);
    });
  }

  count(): Promise<number> {
    return this.toCollection().count();
  }

  toArray(): Promise<T[]> {
    return this.toCollection().toArray();
  }

  each(visit: (row: T) => void): Promise<void> {
    return this.toCollection().each(visit);
  }

  private collection(index: Query['index']) {
    return new PgCollection<T, K>(this, { index, keys: { kind: 'all' }, reverse: false });
  }

  filter(test: (row: T) => boolean): PgCollection<T, K> {
    return this.toCollection().filter(test);
  }

  toCollection(): PgCollection<T, K> {
    return this.collection(null);
  }

  orderBy(index: string): PgCollection<T, K> {
    return this.collection(this.indexNamed(index));
  }

  where(index: string): PgWhereClause<T, K> {
    const virtual = this.spec.indexes.find((i) => Array.isArray(i.keyPath) && i.keyPath[0] === index);
    if (virtual && !this.spec.indexes.some((i) => i.name === index) && index !== this.spec.primary.keyPath) {
      return new PgWhereClause<T, K>(this, virtual, true);
    }
    return new PgWhereClause<T, K>(this, this.indexNamed(index));
  }

  /** null for the primary key (':id', or its own name as Dexie allows). */
  private indexNamed(name: string): Query['index'] {
    if (name === ':id' || name === this.spec.primary.keyPath) return null;
    const index = this.spec.indexes.find((i) => i.name === name);
    if (!index) throw new Error(`${this.name}: no index ${name}`);
    return index;
  }
}

/** Dexie's update(): a dotted path sets a nested property; undefined removes it. */
function setPath(row: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split('.');
  let at: Record<string, unknown> = row;
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
}
