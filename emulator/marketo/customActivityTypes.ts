// Custom activity type routes (activities.md "Custom Activity Types", MKD-mapi; api-facts E2.8):
// list, describe (live version, or the draft with ?draft=true), create (a draft), update, approve,
// discard draft, delete, and attribute create/update/delete (on the draft). Call-level errors:
// 701 a required parameter missing; 1003 an invalid value, the instance's type limit (our wording:
// the docs name no code for it, docs/activities.md) or nothing to approve; 1013 an unknown type;
// 1017 an apiName or a display, trigger or filter name already in use.
import {
  ATTRIBUTE_TYPES,
  type AttributeType,
  type CustomActivityType,
  MAX_SECONDARY_ATTRIBUTES,
  statusOf,
  type TypeAttribute,
  type TypeVersion,
} from './customActivityStore';
import { MarketoRequestError } from './envelope';
import { type Body, isoSeconds, ok, type Route, type RouteContext } from './format';

const API_NAME = /^[A-Za-z0-9]{1,255}$/;
/** Display names: letters, digits, spaces and underscores, with at least one letter (activities.md). */
const DISPLAY_NAME = /^(?=.*[A-Za-z])[A-Za-z0-9 _]{1,255}$/;

const text = (body: Record<string, unknown>, key: string): string | undefined =>
  typeof body[key] === 'string' && (body[key] as string).trim() !== '' ? (body[key] as string) : undefined;

function required(body: Record<string, unknown>, key: string): string {
  const value = text(body, key);
  if (value === undefined) throw new MarketoRequestError('701', `${key} cannot be blank`);
  return value;
}

function attributeOf(raw: unknown, primary = false): TypeAttribute {
  const a = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const apiName = required(a, 'apiName');
  if (!API_NAME.test(apiName)) throw new MarketoRequestError('1003', `Invalid apiName '${apiName}'`);
  const dataType = (text(a, 'dataType') ?? (primary ? 'string' : undefined)) as AttributeType | undefined;
  if (!dataType) throw new MarketoRequestError('701', 'dataType cannot be blank');
  if (!ATTRIBUTE_TYPES.includes(dataType))
    throw new MarketoRequestError('1003', `Invalid dataType '${dataType}'`);
  const description = text(a, 'description');
  return { apiName, name: required(a, 'name'), dataType, ...(description && { description }) };
}

export function typeRow(type: CustomActivityType, version: TypeVersion, withAttributes: boolean): Body {
  const attr = (a: TypeAttribute) => ({ ...a, ...(a.description === undefined && { description: '' }) });
  return {
    id: type.id,
    apiName: type.apiName,
    name: version.name,
    description: version.description ?? '',
    triggerName: version.triggerName,
    filterName: version.filterName,
    createdAt: isoSeconds(type.createdAt),
    updatedAt: isoSeconds(type.updatedAt),
    status: statusOf(type),
    ...(withAttributes && {
      primaryAttribute: attr(version.primaryAttribute),
      attributes: version.attributes.map(attr),
    }),
  };
}

function typeOf(ctx: RouteContext): CustomActivityType {
  const apiName = decodeURIComponent(ctx.match[1]!);
  const type = ctx.store.customActivities.types.get(apiName);
  if (!type) throw new MarketoRequestError('1013', `Activity type '${apiName}' not found`);
  return type;
}

/** Display, trigger and filter names are unique across the instance's types. */
function checkNamesFree(ctx: RouteContext, version: TypeVersion, self?: CustomActivityType) {
  for (const other of ctx.store.customActivities.types.values()) {
    if (other === self) continue;
    for (const v of [other.approved, other.draft]) {
      if (!v) continue;
      for (const key of ['name', 'triggerName', 'filterName'] as const)
        if (v[key].toLowerCase() === version[key].toLowerCase())
          throw new MarketoRequestError('1017', `${key} '${version[key]}' is already in use`);
    }
  }
}

function versionFrom(body: Record<string, unknown>, base?: TypeVersion): TypeVersion {
  const name = text(body, 'name') ?? base?.name ?? required(body, 'name');
  if (!DISPLAY_NAME.test(name)) throw new MarketoRequestError('1003', `Invalid name '${name}'`);
  const description = text(body, 'description') ?? base?.description;
  return {
    name,
    ...(description !== undefined && { description }),
    triggerName: text(body, 'triggerName') ?? base?.triggerName ?? required(body, 'triggerName'),
    filterName: text(body, 'filterName') ?? base?.filterName ?? required(body, 'filterName'),
    primaryAttribute:
      body.primaryAttribute !== undefined
        ? attributeOf(body.primaryAttribute, true)
        : (base?.primaryAttribute ?? attributeOf(undefined, true)),
    attributes: base?.attributes ?? [],
  };
}

function create(ctx: RouteContext): Body {
  const body = ctx.req.json();
  const apiName = required(body, 'apiName');
  if (!API_NAME.test(apiName)) throw new MarketoRequestError('1003', `Invalid apiName '${apiName}'`);
  const store = ctx.store.customActivities;
  if (store.types.has(apiName))
    throw new MarketoRequestError('1017', `Activity type '${apiName}' already exists`);
  const version = versionFrom(body);
  checkNamesFree(ctx, version);
  if (store.types.size >= store.typeLimit)
    throw new MarketoRequestError(
      '1003',
      `Custom activity type limit reached: this instance allows ${store.typeLimit}`,
    );
  const type = store.create(apiName, version);
  return ok([typeRow(type, version, true)]);
}

function update(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  const draft = ctx.store.customActivities.editable(type);
  const next = versionFrom(ctx.req.json(), draft);
  checkNamesFree(ctx, next, type);
  Object.assign(draft, next);
  return ok([typeRow(type, draft, true)]);
}

function describe(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  const draft = ctx.req.param('draft') === 'true';
  return ok([typeRow(type, ctx.store.customActivities.versionOf(type, draft), true)]);
}

function approve(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  if (!type.draft) throw new MarketoRequestError('1003', `Activity type '${type.apiName}' has no draft`);
  type.approved = type.draft;
  delete type.draft;
  type.updatedAt = ctx.store.now();
  return ok([typeRow(type, type.approved, true)]);
}

function discardDraft(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  if (!type.draft || !type.approved)
    throw new MarketoRequestError('1003', `Activity type '${type.apiName}' has no draft to discard`);
  delete type.draft;
  return ok([typeRow(type, type.approved, true)]);
}

function remove(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  ctx.store.customActivities.types.delete(type.apiName);
  return ok([{ id: type.id, apiName: type.apiName }]);
}

function attributes(ctx: RouteContext): Body {
  const type = typeOf(ctx);
  const action = ctx.match[2]!;
  const list = ctx.req.json().attributes;
  if (!Array.isArray(list) || list.length === 0)
    throw new MarketoRequestError('701', 'attributes cannot be blank');
  const draft = ctx.store.customActivities.editable(type);
  for (const raw of list) {
    if (action === 'delete') {
      const apiName = required((raw ?? {}) as Record<string, unknown>, 'apiName');
      draft.attributes = draft.attributes.filter((a) => a.apiName !== apiName);
      continue;
    }
    const attr = attributeOf(raw);
    const at = draft.attributes.findIndex((a) => a.apiName === attr.apiName);
    if (action === 'update') {
      if (at < 0) throw new MarketoRequestError('1013', `Attribute '${attr.apiName}' not found`);
      draft.attributes[at] = attr;
    } else {
      if (at >= 0 || attr.apiName === draft.primaryAttribute.apiName)
        throw new MarketoRequestError('1017', `Attribute '${attr.apiName}' already exists`);
      if (draft.attributes.length >= MAX_SECONDARY_ATTRIBUTES)
        throw new MarketoRequestError(
          '1003',
          `attributes exceed the limit of ${MAX_SECONDARY_ATTRIBUTES} per activity type`,
        );
      draft.attributes.push(attr);
    }
  }
  return ok([typeRow(type, draft, true)]);
}

const TYPE = '^\\/rest\\/v1\\/activities\\/external\\/type\\/([^/]+)';

export const customActivityTypeRoutes: Route[] = [
  {
    methods: ['GET'],
    pattern: /^\/rest\/v1\/activities\/external\/types\.json$/,
    handle: (ctx) =>
      ok(
        [...ctx.store.customActivities.types.values()].map((t) =>
          typeRow(t, ctx.store.customActivities.versionOf(t, false), false),
        ),
      ),
  },
  { methods: ['POST'], pattern: /^\/rest\/v1\/activities\/external\/type\.json$/, handle: create },
  { methods: ['GET'], pattern: new RegExp(`${TYPE}\\/describe\\.json$`), handle: describe },
  { methods: ['POST'], pattern: new RegExp(`${TYPE}\\/approve\\.json$`), handle: approve },
  { methods: ['POST'], pattern: new RegExp(`${TYPE}\\/discardDraft\\.json$`), handle: discardDraft },
  { methods: ['POST'], pattern: new RegExp(`${TYPE}\\/delete\\.json$`), handle: remove },
  {
    methods: ['POST'],
    pattern: new RegExp(`${TYPE}\\/attributes\\/(create|update|delete)\\.json$`),
    handle: attributes,
  },
  { methods: ['POST'], pattern: new RegExp(`${TYPE}\\.json$`), handle: update },
];
