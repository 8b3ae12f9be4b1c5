// The statements that write a table's rows and their index entries (lib/db/pg/table.ts putRows).
// None needs an answer from the server but an add of given keys, which may be refused (IndexedDB's
// ConstraintError): the others go out behind the caller (session.ts `behind`) and the COMMIT
// follows them on the wire. An add's multi-entry entries are written by the same statement as its
// rows (data-modifying CTEs), for the rows it did write.
import { serialize } from 'node:v8';
import { byteaArray } from './byteaArray';
import { encodeKey } from './keyCodec';
import type { PgSession } from './session';
import { type IndexSpec, indexKeyOf, multiEntryKeysOf, type StoreSpec } from './storeSpec';
import { entriesIdent, quoteIdent, tableIdent } from './tableSql';

export class ConstraintError extends Error {
  override name = 'ConstraintError';
}

export interface RowTarget {
  schema: string;
  name: string;
  spec: StoreSpec;
}

export interface KeyedRow {
  pk: Buffer;
  row: object;
}

/**
 * - put: insert or replace; entries replaced.
 * - add: insert; a key that exists is refused (ConstraintError) without aborting the transaction,
 *   as IndexedDB's add request (ON CONFLICT DO NOTHING: a unique violation would end PostgreSQL's).
 * - fresh: an add whose keys are all new from the generator, so nothing can be refused short of a
 *   broken log — not waited for; a refusal fails the transaction.
 */
export async function writeRows(
  session: PgSession,
  target: RowTarget,
  list: readonly KeyedRow[],
  mode: 'put' | 'add' | 'fresh',
): Promise<void> {
  const values: unknown[] = [];
  const param = (value: unknown, type: string) => `$${values.push(value)}::${type}`;
  const plain = target.spec.indexes.filter((i) => !i.multiEntry);
  const columns = ['pk', 'doc', ...plain.map((i) => quoteIdent(i.sqlName))];
  const insert = `INSERT INTO ${tableIdent(target.schema, target.name)} (${columns.join(', ')}) ${rowsSql(list, plain, param)}`;
  const entries = target.spec.indexes
    .filter((i) => i.multiEntry)
    .map((index) => ({
      table: entriesIdent(target.schema, target.name, index.sqlName),
      ...entriesOf(list, index),
    }));
  if (mode === 'put') {
    const update = columns
      .slice(1)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    session.behind(`${insert} ON CONFLICT (pk) DO UPDATE SET ${update}`, values);
    const pks = entries.length > 0 ? byteaArray(list.map((e) => e.pk)) : undefined;
    for (const e of entries) {
      session.behind(`DELETE FROM ${e.table} WHERE pk = ANY($1::bytea[])`, [pks]);
      if (e.ks.length > 0)
        session.behind(`INSERT INTO ${e.table} (k, pk) SELECT * FROM unnest($1::bytea[], $2::bytea[])`, [
          byteaArray(e.ks),
          byteaArray(e.pks),
        ]);
    }
    return;
  }
  const ctes = entries
    .filter((e) => e.ks.length > 0)
    .map(
      (e, i) =>
        `, e${i} AS (INSERT INTO ${e.table} (k, pk) SELECT u.k, u.pk FROM unnest(${param(byteaArray(e.ks), 'bytea[]')}, ${param(byteaArray(e.pks), 'bytea[]')}) AS u(k, pk) WHERE u.pk IN (SELECT pk FROM ins))`,
    );
  const text = `WITH ins AS (${insert} ON CONFLICT (pk) DO NOTHING RETURNING pk)${ctes.join('')} SELECT count(*)::int AS n FROM ins`;
  const refused = () => new ConstraintError(`${target.name}: a row with this key already exists`);
  if (mode === 'fresh') {
    session.behind(text, values, (result) => {
      if (result.rows[0].n < list.length) throw refused();
    });
    return;
  }
  const { rows } = await session.query<{ n: number }>(text, values);
  if (rows[0]!.n < list.length) throw refused();
}

/**
 * The rows as a source for INSERT: one row's values as they are (a batch's event row, a step, a
 * cursor); several as one binary array per column (byteaArray.ts), unnested.
 */
function rowsSql(
  list: readonly KeyedRow[],
  plain: readonly IndexSpec[],
  param: (value: unknown, type: string) => string,
): string {
  const indexKey = (row: object, index: IndexSpec) => {
    const key = indexKeyOf(row, index);
    return key === undefined ? null : encodeKey(key);
  };
  if (list.length === 1) {
    const { pk, row } = list[0]!;
    const cells = [pk, serialize(row), ...plain.map((i) => indexKey(row, i))];
    return `VALUES (${cells.map((c) => param(c, 'bytea')).join(', ')})`;
  }
  const arrays = [
    list.map((e) => e.pk),
    list.map((e) => serialize(e.row)),
    ...plain.map((i) => list.map((e) => indexKey(e.row, i))),
  ];
  return `SELECT * FROM unnest(${arrays.map((a) => param(byteaArray(a), 'bytea[]')).join(', ')})`;
}

/** A multi-entry index's entries of the rows: each valid element once per row. */
function entriesOf(list: readonly KeyedRow[], index: IndexSpec) {
  const ks: Buffer[] = [];
  const pks: Buffer[] = [];
  for (const e of list) {
    const seen = new Set<string>();
    for (const key of multiEntryKeysOf(e.row, index)) {
      const k = encodeKey(key);
      const hex = k.toString('hex');
      if (seen.has(hex)) continue;
      seen.add(hex);
      ks.push(k);
      pks.push(e.pk);
    }
  }
  return { ks, pks };
}
