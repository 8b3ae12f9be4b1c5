// Runs a parsed query against the store: resolve FROM and every path (INVALID_TYPE /
// INVALID_FIELD), filter once, sort with precomputed keys, then OFFSET/LIMIT. The result keeps
// references to the matched rows so a cursor can page through them without copying.
import type { SObjectType } from '../salesforce/schema';
import type { Value } from '../salesforce/schema/types';
import type { SalesforceStore } from '../salesforce/store';
import type { Query } from './ast';
import { soqlError } from './errors';
import { FilterCompiler, keyOf } from './filters';
import { parseSoql } from './parser';
import { type FieldAccess, type ResolvedPath, resolvePath } from './resolve';

type Row = Record<string, Value>;

export interface QueryOptions {
  store: SalesforceStore;
  access: FieldAccess;
  now: number;
  /** queryAll: include soft-deleted rows. */
  includeDeleted: boolean;
  canQueryObject?: (type: SObjectType) => boolean;
}

export interface QueryResult {
  type: SObjectType;
  columns: ResolvedPath[];
  rows: Row[];
  totalSize: number;
  countOnly: boolean;
  /** COUNT(field) without GROUP BY: one AggregateResult row. */
  aggregate?: Record<string, number>;
}

const MAX_OFFSET = 2000;

export function runQuery(soql: string, options: QueryOptions): QueryResult {
  const query = parseSoql(soql);
  const type = options.store.schema.get(query.from.name);
  if (!type || (options.canQueryObject && !options.canQueryObject(type))) {
    throw soqlError(
      'INVALID_TYPE',
      soql,
      query.from.offset,
      `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const resolver = { soql, store: options.store, access: options.access };
  const columns: ResolvedPath[] = [];
  const seen = new Set<string>();
  const aggregates: { key: string; path?: ResolvedPath }[] = [];
  for (const item of query.select) {
    if (item.kind === 'count') {
      if (!query.countOnly) {
        const path = item.ref ? resolvePath(resolver, type, item.ref) : undefined;
        aggregates.push({ key: item.alias ?? `expr${aggregates.length}`, path });
      }
      continue;
    }
    const path = resolvePath(resolver, type, item.ref);
    const id = path.keys.join('.').toLowerCase();
    if (!seen.has(id)) {
      seen.add(id);
      columns.push(path);
    }
  }
  if (aggregates.length && columns.length) {
    const first = query.select.find((s) => s.kind === 'field')!;
    throw soqlError(
      'MALFORMED_QUERY',
      soql,
      first.kind === 'field' ? first.ref.offset : 0,
      `Field must be grouped or aggregated: ${columns[0]!.field.name}`,
    );
  }
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw soqlError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      soql,
      query.offsetAt ?? 0,
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }

  const predicate = query.where
    ? new FilterCompiler(resolver, type, options.now).compile(query.where)
    : undefined;
  const table = options.store.tables.get(type.name)!;
  let rows: Row[] = [];
  for (const row of table.records.values()) {
    if (!options.includeDeleted && row.IsDeleted) continue;
    if (predicate && !predicate(row)) continue;
    rows.push(row);
  }
  if (query.orderBy.length) rows = sortRows(rows, query, resolver, type);
  if (query.offset) rows = rows.slice(query.offset);
  if (query.limit !== undefined) rows = rows.slice(0, query.limit);

  if (aggregates.length) {
    const aggregate: Record<string, number> = {};
    for (const a of aggregates) {
      aggregate[a.key] = a.path ? rows.filter((r) => a.path!.get(r) !== null).length : rows.length;
    }
    return { type, columns, rows: [], totalSize: 1, countOnly: false, aggregate };
  }
  return {
    type,
    columns,
    rows: query.countOnly ? [] : rows,
    totalSize: rows.length,
    countOnly: query.countOnly,
  };
}

function sortRows(
  rows: Row[],
  query: Query,
  resolver: Parameters<typeof resolvePath>[0],
  type: SObjectType,
): Row[] {
  const orders = query.orderBy.map((o) => ({ ...o, path: resolvePath(resolver, type, o.ref) }));
  const decorated = rows.map((row) => ({
    row,
    keys: orders.map((o) => keyOf(o.path.field, o.path.get(row))),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i]!;
      const x = a.keys[i];
      const y = b.keys[i];
      if (x === y) continue;
      if (x === null) return o.nullsLast ? 1 : -1;
      if (y === null) return o.nullsLast ? -1 : 1;
      const c = x! < y! ? -1 : 1;
      return o.descending ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}
