// Reads of the CRM objects (api-facts E2.1): describe, schema/fields, and query by filterType —
// a single searchable field with up to 300 comma-separated filterValues, or compound keys sent as
// `POST ?_method=GET` with a JSON body `{filterType:"dedupeFields", fields, input}` whose paging
// token may travel in the URL or in the body (marketo-rest-python puts it in the body).

import type { CrmRecord, CrmTable } from './crmObjectStore';
import { type CrmObjectDef, describeFields } from './crmObjects';
import { MarketoRequestError } from './envelope';
import { type Body, isoSeconds, ok, type RouteContext } from './format';
import { MAX_BATCH } from './leadSync';
import { decodePositionToken, encodePositionToken } from './pagingToken';

export function describe(def: CrmObjectDef, ctx: RouteContext): Body {
  const type = ctx.store.crm.tables[def.kind];
  return ok([
    {
      name: def.name,
      displayName: def.displayName,
      createdAt: isoSeconds(ctx.store.crmDefinedAt),
      updatedAt: isoSeconds(ctx.store.crmDefinedAt),
      idField: def.idField,
      dedupeFields: def.dedupeFields,
      searchableFields: def.searchable,
      fields: describeFields(type.def),
    },
  ]);
}

function schemaField(field: ReturnType<typeof describeFields>[number]): Body {
  return {
    displayName: field.displayName,
    name: field.name,
    description: null,
    dataType: field.dataType,
    ...(field.length ? { length: field.length } : {}),
    isHidden: false,
    isHtmlEncodingInEmail: field.dataType === 'string' || field.dataType === 'text',
    isSensitive: false,
    isCustom: false,
    isApiCreated: false,
  };
}

export function schemaFields(def: CrmObjectDef, ctx: RouteContext): Body {
  const fields = describeFields(def).filter((f) => f.updateable || def.dedupeFields.includes(f.name));
  const size = Math.max(1, Math.min(ctx.req.intParam('batchSize') ?? MAX_BATCH, MAX_BATCH));
  return page(fields.map(schemaField), `${def.path}/schema`, size, ctx.req.param('nextPageToken'));
}

export function schemaField1(def: CrmObjectDef, ctx: RouteContext): Body {
  const name = decodeURIComponent(ctx.match[1]!);
  const field = describeFields(def).find((f) => f.name === name);
  if (!field) throw new MarketoRequestError('1006', `Field '${name}' not found`);
  return ok([schemaField(field)]);
}

function row(table: CrmTable, record: CrmRecord, fields: string[]): Body {
  const out: Body = {};
  for (const name of fields) {
    if (name === table.def.idField) out[name] = record.key;
    else if (name === 'createdAt' || name === 'updatedAt') out[name] = isoSeconds(record[name]);
    else if (record.values[name] !== null && record.values[name] !== undefined)
      out[name] = record.values[name];
  }
  return out;
}

function page(items: Body[], queryKey: string, size: number, token?: string): Body {
  let offset = 0;
  if (token !== undefined) {
    const decoded = decodePositionToken(token, queryKey);
    if (decoded === null) throw new MarketoRequestError('1003', 'Invalid nextPageToken');
    offset = decoded;
  }
  const result = items.slice(offset, offset + size).map((item, i) => ({ seq: offset + i, ...item }));
  const more = offset + size < items.length;
  return {
    success: true,
    result,
    moreResult: more,
    ...(more ? { nextPageToken: encodePositionToken(offset + size, queryKey) } : {}),
  };
}

export function query(def: CrmObjectDef, ctx: RouteContext): Body {
  const table = ctx.store.crm.tables[def.kind];
  const json = ctx.req.optionalJson();
  const filterType =
    (typeof json?.filterType === 'string' ? json.filterType : undefined) ?? ctx.req.param('filterType');
  if (!filterType) throw new MarketoRequestError('701', 'filterType cannot be blank');
  const known = new Set(describeFields(def).map((f) => f.name));
  const fields = Array.isArray(json?.fields) ? (json.fields as string[]) : ctx.req.list('fields');
  const unknown = fields.find((f) => !known.has(f));
  if (unknown) throw new MarketoRequestError('1006', `Field '${unknown}' not found`);
  const wanted = fields.length ? fields : [def.idField, ...def.dedupeFields, 'updatedAt', 'createdAt'];
  const input = Array.isArray(json?.input) ? (json.input as Record<string, unknown>[]) : undefined;
  const values = input ? [] : ctx.req.list('filterValues');
  if (!input && values.length === 0) throw new MarketoRequestError('701', 'filterValues cannot be blank');
  if ((input?.length ?? values.length) > MAX_BATCH)
    throw new MarketoRequestError('1003', `filterValues exceeds the limit of ${MAX_BATCH}`);
  const field = filterType === 'idField' ? def.idField : filterType;
  let matches: CrmRecord[];
  if (filterType === 'dedupeFields' || (input && filterType === def.dedupeFields.join(','))) {
    const keys = input ?? values.map((v) => ({ [def.dedupeFields[0]!]: v }));
    matches = keys.flatMap((k) => table.byDedupe(k) ?? []);
  } else if (def.searchable.some((f) => f.length === 1 && f[0] === field)) {
    const seen = new Set<string | number>();
    matches = (input ? input.map((i) => i[field]) : values)
      .flatMap((v) => table.find(field, v))
      .filter((r) => !seen.has(r.key) && !!seen.add(r.key));
  } else throw new MarketoRequestError('1003', `Invalid filterType '${filterType}'`);
  const size = Math.max(
    1,
    Math.min(Number(json?.batchSize ?? ctx.req.intParam('batchSize') ?? MAX_BATCH), MAX_BATCH),
  );
  const token =
    (typeof json?.nextPageToken === 'string' ? json.nextPageToken : undefined) ??
    ctx.req.param('nextPageToken');
  const key = `${def.path}|${filterType}|${JSON.stringify(input ?? values)}|${wanted.join(',')}`;
  return page(
    matches.map((r) => row(table, r, wanted)),
    key,
    size,
    token,
  );
}
