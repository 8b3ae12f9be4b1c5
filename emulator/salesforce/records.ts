// Wire form of records: `attributes`, 18-char ids, `+0000` datetimes, nested parent objects.
import type { QueryResult } from '../soql/evaluate';
import type { SObjectType } from './schema';
import type { FieldDef, SfRecord, Value } from './schema/types';
import { SalesforceStore } from './store';
import type { UserContext } from './users';

export function formatDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function formatValue(f: FieldDef, v: Value): Value {
  if (v === null || v === undefined) return null;
  if (f.type === 'datetime' && typeof v === 'number') return formatDatetime(v);
  return v;
}

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

function attributes(version: string, type: string, id: string) {
  return { type, url: recordUrl(version, type, id) };
}

type Out = Record<string, unknown>;

/** One query row, fields in SELECT order, parent relationships nested (or null). */
export function queryRow(result: QueryResult, row: SfRecord, version: string, store: SalesforceStore): Out {
  const out: Out = { attributes: attributes(version, result.type.name, row.Id as string) };
  for (const col of result.columns) {
    if (col.steps.length === 0) {
      out[col.field.name] = formatValue(col.field, col.get(row));
      continue;
    }
    let target = out;
    let current: SfRecord | undefined = row;
    let currentType: SObjectType = result.type;
    let complete = true;
    for (const step of col.steps) {
      const rel = step.relationshipName!;
      const parentId: Value | undefined = current?.[step.name];
      const found: { table: { type: SObjectType }; record: SfRecord } | undefined =
        typeof parentId === 'string' ? store.find(parentId) : undefined;
      if (target[rel] === undefined) {
        target[rel] = found
          ? { attributes: attributes(version, found.table.type.name, parentId as string) }
          : null;
      }
      if (!found || target[rel] === null) {
        complete = false;
        break;
      }
      target = target[rel] as Out;
      current = found.record;
      currentType = found.table.type;
    }
    if (complete && current) {
      const f = currentType.field(col.field.name);
      target[col.field.name] = f ? formatValue(f, SalesforceStore.read(currentType, current, f.name)) : null;
    }
  }
  return out;
}

/** A whole record as GET /sobjects/X/{id} returns it: every field the user can read. */
export function fullRecord(
  type: SObjectType,
  row: SfRecord,
  version: string,
  user: UserContext,
  only?: string[],
): Out {
  const out: Out = { attributes: attributes(version, type.name, row.Id as string) };
  const fields = only ? only.map((n) => type.field(n)).filter((f): f is FieldDef => !!f) : type.fields;
  for (const f of fields) {
    if (!user.canRead(type.name, f.name)) continue;
    out[f.name] = formatValue(f, SalesforceStore.read(type, row, f.name));
  }
  return out;
}
