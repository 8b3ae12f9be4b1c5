// SQL names and DDL of the PostgreSQL log (docs/log-port.md). Every row is `pk` (its encoded primary
// key, lib/db/pg/keyCodec.ts), `doc` (the row, serialised like IndexedDB's structured clone: Node's
// v8.serialize keeps Dates, Maps, typed arrays and undefined) and one bytea column per plain or
// compound index, NULL when the row is not in that index. A multi-entry index is a table of
// (k, pk) pairs. The (key, pk) B-tree indexes give where() ranges in IndexedDB's order.
import type { StoreSpec } from './storeSpec';

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The PostgreSQL schema of one log: `log_` and the name, made safe, with a hash when it had to change. */
export function schemaNameOf(logName: string): string {
  const safe = logName
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 40);
  if (safe === logName && safe.length > 0) return `log_${safe}`;
  return `log_${safe}_${(hash32(logName) >>> 0).toString(36)}`;
}

/** 32-bit FNV-1a of text, signed: the hash in a changed schema name and a log's advisory lock key. */
export function hash32(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash | 0;
}

export const tableIdent = (schema: string, table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;
export const entriesIdent = (schema: string, table: string, sqlName: string) =>
  `${quoteIdent(schema)}.${quoteIdent(`${table}__${sqlName}`)}`;
export const sequenceIdent = (schema: string, table: string) =>
  `${quoteIdent(schema)}.${quoteIdent(`${table}__seq`)}`;

export function createTableSql(schema: string, table: string, spec: StoreSpec): string[] {
  const columns = spec.indexes.filter((i) => !i.multiEntry).map((i) => `, ${quoteIdent(i.sqlName)} bytea`);
  const out = [
    `CREATE TABLE ${tableIdent(schema, table)} (pk bytea PRIMARY KEY, doc bytea NOT NULL${columns.join('')})`,
  ];
  for (const index of spec.indexes) {
    if (index.multiEntry) {
      const entries = entriesIdent(schema, table, index.sqlName);
      out.push(`CREATE TABLE ${entries} (k bytea NOT NULL, pk bytea NOT NULL, PRIMARY KEY (k, pk))`);
      out.push(`CREATE INDEX ON ${entries} (pk)`);
    } else {
      out.push(`CREATE INDEX ON ${tableIdent(schema, table)} (${quoteIdent(index.sqlName)}, pk)`);
    }
  }
  if (spec.primary.autoIncrement) out.push(`CREATE SEQUENCE ${sequenceIdent(schema, table)}`);
  return out;
}
