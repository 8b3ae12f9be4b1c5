// A where()/orderBy()/toCollection() of the PostgreSQL log: a key range (or a set of keys) of one
// index, read in (index key, primary key) order, reversed, limited and filtered as IndexedDB's
// cursors would. Reads page by key (`(k, pk) > (last k, last pk)`, served by the (k, pk) B-tree),
// so each/eachKey and filters never hold a whole table. A multi-entry index gives a row once per
// matching entry, as IndexedDB does.
import type { LogCollection, LogKeyCursor } from '../logPort';
import { byteaArray } from './byteaArray';
import { decodeKey } from './keyCodec';
import type { PgTableAccess } from './table';
import { entriesIdent, quoteIdent, tableIdent } from './tableSql';

export type KeySet =
  | { kind: 'all' }
  | { kind: 'range'; lower?: Buffer; upper?: Buffer; lowerOpen: boolean; upperOpen: boolean }
  | { kind: 'anyOf'; keys: Buffer[] };

export interface Query {
  /** null: the primary key. */
  index: { sqlName: string; multiEntry: boolean } | null;
  keys: KeySet;
  reverse: boolean;
  limit?: number;
  filter?: (row: unknown) => boolean;
}

interface Hit {
  k: Buffer;
  pk: Buffer;
  doc?: Buffer;
}

const PAGE = 500;

function sqlOf(
  access: PgTableAccess,
  q: Query,
  withDoc: boolean,
  after: Hit | undefined,
  limit: number | undefined,
) {
  const { schema, table } = access;
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  let from: string;
  let k: string;
  let pk: string;
  if (q.index === null) {
    from = `${tableIdent(schema, table)} t`;
    k = 't.pk';
    pk = 't.pk';
  } else if (q.index.multiEntry) {
    from = `${entriesIdent(schema, table, q.index.sqlName)} e${withDoc ? ` JOIN ${tableIdent(schema, table)} t ON t.pk = e.pk` : ''}`;
    k = 'e.k';
    pk = 'e.pk';
  } else {
    from = `${tableIdent(schema, table)} t`;
    k = `t.${quoteIdent(q.index.sqlName)}`;
    pk = 't.pk';
  }
  const where: string[] = [`${k} IS NOT NULL`];
  const keys = q.keys;
  if (keys.kind === 'range') {
    if (keys.lower) where.push(`${k} ${keys.lowerOpen ? '>' : '>='} ${param(keys.lower)}`);
    if (keys.upper) where.push(`${k} ${keys.upperOpen ? '<' : '<='} ${param(keys.upper)}`);
  } else if (keys.kind === 'anyOf') {
    where.push(`${k} = ANY(${param(byteaArray(keys.keys))}::bytea[])`);
  }
  if (after) where.push(`(${k}, ${pk}) ${q.reverse ? '<' : '>'} (${param(after.k)}, ${param(after.pk)})`);
  const dir = q.reverse ? ' DESC' : '';
  const columns = `${k} AS k, ${pk} AS pk${withDoc ? ', t.doc' : ''}`;
  const tail = limit === undefined ? '' : ` LIMIT ${limit}`;
  return {
    text: `SELECT ${columns} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${k}${dir}, ${pk}${dir}${tail}`,
    values,
  };
}

export class PgCollection<T, K> implements LogCollection<T, K> {
  constructor(
    private readonly access: PgTableAccess,
    private readonly q: Query,
  ) {}

  private with(change: Partial<Query>): PgCollection<T, K> {
    return new PgCollection<T, K>(this.access, { ...this.q, ...change });
  }

  reverse() {
    return this.with({ reverse: !this.q.reverse });
  }

  /** Dexie keeps the smaller of two limits (so limit(0).first() finds nothing). */
  limit(count: number) {
    return this.with({ limit: this.q.limit === undefined ? count : Math.min(this.q.limit, count) });
  }

  filter(test: (row: T) => boolean) {
    const before = this.q.filter;
    const both = (row: unknown) => (!before || before(row)) && test(row as T);
    return this.with({ filter: both });
  }

  /** The hits in order; with a filter the rows are read page by page until the limit is met. */
  private async hits(withDoc: boolean, visit?: (hit: Hit) => void): Promise<Hit[]> {
    const q = this.q;
    const out: Hit[] = [];
    if (q.limit !== undefined && q.limit <= 0) return out;
    if (!q.filter && !visit) {
      const { text, values } = sqlOf(this.access, q, withDoc, undefined, q.limit);
      return (await this.access.session.query<Hit>(text, values)).rows;
    }
    let after: Hit | undefined;
    let taken = 0;
    for (;;) {
      const want = q.filter || q.limit === undefined ? PAGE : Math.min(PAGE, q.limit - taken);
      const { text, values } = sqlOf(this.access, q, withDoc || !!q.filter, after, want);
      const page = (await this.access.session.query<Hit>(text, values)).rows;
      for (const hit of page) {
        if (q.filter && !q.filter(this.access.rowOf(hit.doc!))) continue;
        if (visit) visit(hit);
        else out.push(hit);
        if (q.limit !== undefined && ++taken >= q.limit) return out;
      }
      if (page.length < want) return out;
      after = page[page.length - 1];
    }
  }

  async toArray(): Promise<T[]> {
    return (await this.hits(true)).map((h) => this.access.rowOf(h.doc!) as T);
  }

  async first(): Promise<T | undefined> {
    return (await this.limit(1).toArray())[0];
  }

  async last(): Promise<T | undefined> {
    return (await this.reverse().limit(1).toArray())[0];
  }

  async count(): Promise<number> {
    return (await this.hits(false)).length;
  }

  async primaryKeys(): Promise<K[]> {
    return (await this.hits(false)).map((h) => decodeKey(h.pk) as K);
  }

  async keys(): Promise<unknown[]> {
    return (await this.hits(false)).map((h) => decodeKey(h.k));
  }

  async each(visit: (row: T) => void): Promise<void> {
    await this.hits(true, (h) => visit(this.access.rowOf(h.doc!) as T));
  }

  async eachKey(visit: (key: unknown, cursor: LogKeyCursor<K>) => void): Promise<void> {
    await this.hits(false, (h) => {
      const key = decodeKey(h.k);
      visit(key, { key, primaryKey: decodeKey(h.pk) as K });
    });
  }

  async modify(change: (row: T) => unknown): Promise<number> {
    return this.access.session.write(async () => {
      const rows = (await this.hits(true)).map((h) => this.access.rowOf(h.doc!) as T);
      for (const row of rows) change(row);
      await this.access.putRows(rows as object[], 'put');
      return rows.length;
    });
  }

  async delete(): Promise<number> {
    return this.access.session.write(async () => {
      const pks = [...new Map((await this.hits(false)).map((h) => [h.pk.toString('hex'), h.pk])).values()];
      await this.access.deleteEncoded(pks);
      return pks.length;
    });
  }
}
