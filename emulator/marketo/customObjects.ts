// Custom object routes (api-facts B8): list types, describe, query (filterType idField,
// dedupeFields, searchable fields; compound keys via `POST ?_method=GET` JSON), sync and delete.
import {
  type CustomObjectRecord,
  type CustomObjectType,
  type CustomValue,
  dedupeKey,
} from './customObjectStore';
import { MarketoRequestError } from './envelope';
import { type Body, isoSeconds, ok, type Route, type RouteContext } from './format';
import { MAX_BATCH } from './leadSync';
import { positionPage } from './leads';

const skipped = (seq: number, code: string, message: string) => ({
  seq,
  status: 'skipped',
  reasons: [{ code, message }],
});

function typeOf(ctx: RouteContext): CustomObjectType {
  if (!ctx.store.customObjects.enabled) throw new MarketoRequestError('1026', 'Custom objects not enabled');
  const type = ctx.store.customObjects.types.get(decodeURIComponent(ctx.match[1]!));
  if (!type) throw new MarketoRequestError('1013', `Object '${ctx.match[1]}' not found`);
  return type;
}

function typeSummary(type: CustomObjectType): Body {
  return {
    name: type.name,
    displayName: type.displayName,
    pluralName: type.pluralName ?? `${type.displayName}s`,
    description: type.description ?? '',
    createdAt: isoSeconds(type.createdAt),
    updatedAt: isoSeconds(type.updatedAt),
    idField: 'marketoGUID',
    dedupeFields: type.dedupeFields,
    searchableFields: [type.dedupeFields, ['marketoGUID'], ...(type.searchable ?? []).map((f) => [f])],
    relationships: type.link
      ? [{ field: type.link.field, type: 'parent', relatedTo: { name: 'Lead', field: type.link.leadField } }]
      : [],
  };
}

function list(ctx: RouteContext): Body {
  if (!ctx.store.customObjects.enabled) throw new MarketoRequestError('1026', 'Custom objects not enabled');
  const names = new Set(ctx.req.list('names'));
  const types = [...ctx.store.customObjects.types.values()].filter(
    (t) => names.size === 0 || names.has(t.name),
  );
  return ok(types.map(typeSummary));
}

function describe(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  return ok([{ ...typeSummary(type), fields: ctx.store.customObjects.fieldsOf(type) }]);
}

function recordRow(record: CustomObjectRecord, fields: string[]): Body {
  const row: Body = {};
  for (const name of fields) {
    if (name === 'marketoGUID') row.marketoGUID = record.marketoGUID;
    else if (name === 'createdAt' || name === 'updatedAt') row[name] = isoSeconds(record[name]);
    else if (record.values[name] !== null && record.values[name] !== undefined)
      row[name] = record.values[name];
  }
  return row;
}

function query(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  const json = ctx.req.optionalJson();
  const filterType =
    (typeof json?.filterType === 'string' ? json.filterType : undefined) ?? ctx.req.param('filterType');
  if (!filterType) throw new MarketoRequestError('701', 'filterType cannot be blank');
  const known = new Set(ctx.store.customObjects.fieldsOf(type).map((f) => f.name));
  const fields = Array.isArray(json?.fields) ? (json.fields as string[]) : ctx.req.list('fields');
  const unknown = fields.find((f) => !known.has(f));
  if (unknown) throw new MarketoRequestError('1006', `Field '${unknown}' not found`);
  const wanted = fields.length ? fields : ['marketoGUID', ...type.dedupeFields, 'createdAt', 'updatedAt'];
  const input = Array.isArray(json?.input) ? (json.input as Record<string, unknown>[]) : undefined;
  const values = input ? [] : ctx.req.list('filterValues');
  if (!input && values.length === 0) throw new MarketoRequestError('701', 'filterValues cannot be blank');
  if ((input?.length ?? values.length) > MAX_BATCH) {
    throw new MarketoRequestError('1003', `filterValues exceeds the limit of ${MAX_BATCH}`);
  }
  let matches: CustomObjectRecord[];
  if (filterType === 'idField' || filterType === 'marketoGUID') {
    const guids = input ? input.map((r) => String(r.marketoGUID)) : values;
    matches = guids.map((g) => type.records.get(g)).filter((r): r is CustomObjectRecord => !!r);
  } else if (filterType === 'dedupeFields') {
    const keys = input
      ? input.map((r) => dedupeKey(type, r))
      : values.map((v) => dedupeKey(type, { [type.dedupeFields[0]!]: v }));
    matches = keys
      .map((k) => (k ? type.records.get(type.dedupeIndex.get(k) ?? '') : undefined))
      .filter((r): r is CustomObjectRecord => !!r);
  } else if (type.searchable?.includes(filterType)) {
    const wantedValues = new Set(values);
    matches = [...type.records.values()].filter((r) => wantedValues.has(String(r.values[filterType] ?? '')));
  } else throw new MarketoRequestError('1003', `Invalid filterType '${filterType}'`);
  const rows = matches.map((r, seq) => ({ seq, ...recordRow(r, wanted) }));
  const size = Math.min(ctx.req.intParam('batchSize') ?? MAX_BATCH, MAX_BATCH);
  const key = `co|${type.name}|${filterType}|${JSON.stringify(input ?? values)}|${wanted.join(',')}`;
  return positionPage(ctx, rows, key, size);
}

function coerce(
  type: CustomObjectType,
  name: string,
  raw: unknown,
): { value: CustomValue } | { error: string } {
  const field = type.fields.find((f) => f.name === name);
  if (!field) return { error: `Field '${name}' not found` };
  if (raw === null || raw === undefined || raw === '') return { value: null };
  if (['integer', 'link', 'float', 'currency'].includes(field.dataType)) {
    const n = Number(raw);
    if (
      !Number.isFinite(n) ||
      ((field.dataType === 'integer' || field.dataType === 'link') && !Number.isInteger(n))
    ) {
      return { error: `Invalid value '${String(raw)}'. Required of type '${field.dataType}'` };
    }
    return { value: n };
  }
  if (field.dataType === 'boolean') return { value: raw === true || raw === 'true' };
  return { value: String(raw) };
}

function inputOf(body: Record<string, unknown>): Record<string, unknown>[] {
  const input = body.input;
  if (!Array.isArray(input) || input.length === 0)
    throw new MarketoRequestError('701', 'input cannot be blank');
  if (input.length > MAX_BATCH)
    throw new MarketoRequestError('1003', `Batch size exceeds the limit of ${MAX_BATCH}`);
  return input as Record<string, unknown>[];
}

function sync(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  const body = ctx.req.json();
  const action = (body.action as string | undefined) ?? 'createOrUpdate';
  if (!['createOnly', 'updateOnly', 'createOrUpdate'].includes(action)) {
    throw new MarketoRequestError('1003', `Invalid action '${action}'`);
  }
  const dedupeBy = (body.dedupeBy as string | undefined) ?? 'dedupeFields';
  if (dedupeBy !== 'dedupeFields' && !(dedupeBy === 'idField' && action === 'updateOnly')) {
    throw new MarketoRequestError('1003', `Invalid dedupeBy '${dedupeBy}' for action '${action}'`);
  }
  const store = ctx.store.customObjects;
  return ok(
    inputOf(body).map((record, seq) => {
      const values: Record<string, CustomValue> = {};
      for (const [name, raw] of Object.entries(record ?? {})) {
        if (name === 'marketoGUID') continue;
        const coerced = coerce(type, name, raw);
        if ('error' in coerced)
          return skipped(seq, coerced.error.startsWith('Field') ? '1006' : '1001', coerced.error);
        values[name] = coerced.value;
      }
      // The link field names a person Marketo must have (custom-objects.md's skip example: 1004).
      const linked = type.link?.leadField === 'id' ? values[type.link.field] : undefined;
      if (linked !== undefined && linked !== null && !ctx.store.leads.get(Number(linked)))
        return skipped(seq, '1004', 'Lead not found');
      const key = dedupeKey(type, values);
      const guid =
        dedupeBy === 'idField'
          ? String(record?.marketoGUID ?? '')
          : key
            ? type.dedupeIndex.get(key)
            : undefined;
      const existing = guid ? type.records.get(guid) : undefined;
      const now = ctx.store.now();
      if (existing) {
        if (action === 'createOnly') return skipped(seq, '1017', 'Object already exists');
        Object.assign(existing.values, values);
        existing.updatedAt = now;
        return { seq, marketoGUID: existing.marketoGUID, status: 'updated' };
      }
      if (action === 'updateOnly') return skipped(seq, '1013', 'Object not found');
      if (!key)
        return skipped(seq, '1003', `Value for dedupe field '${type.dedupeFields.join(',')}' not specified`);
      const created: CustomObjectRecord = {
        marketoGUID: store.newGuid(),
        createdAt: now,
        updatedAt: now,
        values,
      };
      type.records.set(created.marketoGUID, created);
      type.dedupeIndex.set(key, created.marketoGUID);
      return { seq, marketoGUID: created.marketoGUID, status: 'created' };
    }),
  );
}

function remove(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  const body = ctx.req.json();
  const deleteBy = (body.deleteBy as string | undefined) ?? 'dedupeFields';
  if (deleteBy !== 'dedupeFields' && deleteBy !== 'idField') {
    throw new MarketoRequestError('1003', `Invalid deleteBy '${deleteBy}'`);
  }
  return ok(
    inputOf(body).map((record, seq) => {
      const key = dedupeKey(type, record ?? {});
      const guid =
        deleteBy === 'idField' ? String(record?.marketoGUID ?? '') : key && type.dedupeIndex.get(key);
      const existing = guid ? type.records.get(guid) : undefined;
      if (!existing) return skipped(seq, '1013', 'Object not found');
      type.records.delete(existing.marketoGUID);
      const existingKey = dedupeKey(type, existing.values);
      if (existingKey) type.dedupeIndex.delete(existingKey);
      return { seq, marketoGUID: existing.marketoGUID, status: 'deleted' };
    }),
  );
}

export const customObjectRoutes: Route[] = [
  { methods: ['GET'], pattern: /^\/rest\/v1\/customobjects\.json$/, handle: list },
  { methods: ['GET'], pattern: /^\/rest\/v1\/customobjects\/([^/]+)\/describe\.json$/, handle: describe },
  { methods: ['POST'], pattern: /^\/rest\/v1\/customobjects\/([^/]+)\/delete\.json$/, handle: remove },
  {
    methods: ['GET', 'POST'],
    pattern: /^\/rest\/v1\/customobjects\/(?!schema$)([^/]+)\.json$/,
    handle: (ctx) => (ctx.req.method === 'GET' ? query(ctx) : sync(ctx)),
  },
];
