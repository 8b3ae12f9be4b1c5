// Add Custom Activities, `POST /rest/v1/activities/external.json` (activities.md; api-facts E2.8):
// at most 300 activities per call (more: 1003 for the call), each with leadId, activityDate,
// activityTypeId, primaryAttributeValue and attributes (by apiName or name). Results come in input
// order: `{id, marketoGUID, status:"added"}`, or `{status:"skipped", errors:[…]}` — `errors`, not
// the `reasons` other record-level results carry (the doc's example; MKD-mapi CustomActivity).
// Per record: 1004 "Lead not found" (the doc's example); an unknown or never-approved type 1013; a
// missing member 1002; a value of the wrong type or too long 1001; an unknown attribute 1006 (the
// codes beyond 1004 are error-codes.md's meanings, our choice: docs/activities.md). Added
// activities are write-once and appear in /activities.json under the type's id.
import type { ActivityAttribute } from './activityLog';
import type { TypeAttribute, TypeVersion } from './customActivityStore';
import { MarketoRequestError } from './envelope';
import { type Body, ok, parseDateTime, type Route, type RouteContext } from './format';
import { MAX_BATCH } from './leadSync';

type Outcome = { value: ActivityAttribute['value'] } | { error: [code: string, message: string] };

/** A value in the attribute's type (api-facts E2.8: the Marketo field types). */
function coerce(attr: TypeAttribute, raw: unknown): Outcome {
  if (raw === null || raw === undefined || raw === '') return { value: null };
  const bad: Outcome = {
    error: ['1001', `Invalid value '${String(raw)}'. Required of type '${attr.dataType}'`],
  };
  switch (attr.dataType) {
    case 'integer':
    case 'float':
    case 'currency': {
      const n = Number(raw);
      if (!Number.isFinite(n) || (attr.dataType === 'integer' && !Number.isInteger(n))) return bad;
      return { value: n };
    }
    case 'boolean':
      if (raw === true || raw === 'true') return { value: true };
      if (raw === false || raw === 'false') return { value: false };
      return bad;
    case 'date':
    case 'datetime': {
      const ms = parseDateTime(String(raw));
      if (ms === null) return bad;
      const iso = new Date(ms).toISOString();
      return { value: attr.dataType === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z` };
    }
    case 'text':
      return { value: String(raw) };
    default: {
      const value = String(raw);
      return value.length > 255 ? bad : { value };
    }
  }
}

function addOne(ctx: RouteContext, item: Record<string, unknown>): Body {
  const skipped = (code: string, message: string) => ({ status: 'skipped', errors: [{ code, message }] });
  for (const key of ['leadId', 'activityDate', 'activityTypeId', 'primaryAttributeValue'])
    if (item[key] === undefined || item[key] === null || item[key] === '')
      return skipped('1002', `Missing value for the required parameter '${key}'`);
  const typeId = Number(item.activityTypeId);
  const type = Number.isInteger(typeId) ? ctx.store.customActivities.byId(typeId) : undefined;
  // Only an approved (live) version takes activities; a draft alone is not usable yet.
  const version: TypeVersion | undefined = type?.approved;
  if (!version) return skipped('1013', `Activity type '${String(item.activityTypeId)}' not found`);
  const leadId = Number(item.leadId);
  if (!Number.isInteger(leadId) || !ctx.store.leads.byId.has(leadId))
    return skipped('1004', 'Lead not found');
  const date = parseDateTime(String(item.activityDate));
  if (date === null)
    return skipped('1001', `Invalid value '${String(item.activityDate)}'. Required of type 'datetime'`);
  const primary = coerce(version.primaryAttribute, item.primaryAttributeValue);
  if ('error' in primary) return skipped(...primary.error);
  if (!Array.isArray(item.attributes))
    return skipped('1002', "Missing value for the required parameter 'attributes'");
  const attributes: ActivityAttribute[] = [];
  for (const raw of item.attributes as Record<string, unknown>[]) {
    const key = raw?.apiName ?? raw?.name;
    const attr = version.attributes.find((a) => a.apiName === key || a.name === key);
    if (!attr) return skipped('1006', `Field '${String(key)}' not found`);
    const value = coerce(attr, raw.value);
    if ('error' in value) return skipped(...value.error);
    if (value.value !== null) attributes.push({ name: attr.name, value: value.value });
  }
  const activity = ctx.store.activities.append({
    leadId,
    date,
    typeId,
    primaryAttributeValue: String(primary.value ?? ''),
    attributes,
  });
  return { id: activity.id, marketoGUID: String(activity.id), status: 'added' };
}

function add(ctx: RouteContext): Body {
  const input = ctx.req.json().input;
  if (!Array.isArray(input) || input.length === 0)
    throw new MarketoRequestError('701', 'input cannot be blank');
  if (input.length > MAX_BATCH)
    throw new MarketoRequestError('1003', `Batch size exceeds the limit of ${MAX_BATCH}`);
  return ok(
    input.map((raw) => addOne(ctx, raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {})),
  );
}

export const customActivityRoutes: Route[] = [
  { methods: ['POST'], pattern: /^\/rest\/v1\/activities\/external\.json$/, handle: add },
];

/** The approved custom types as /activities/types.json lists them (without saying they are custom). */
export function customTypesResult(ctx: RouteContext): Body[] {
  return [...ctx.store.customActivities.types.values()].flatMap((type) => {
    const v = type.approved;
    if (!v) return [];
    return [
      {
        id: type.id,
        name: v.name,
        description: v.description ?? '',
        primaryAttribute: { name: v.primaryAttribute.name, dataType: v.primaryAttribute.dataType },
        attributes: v.attributes.map((a) => ({ name: a.name, dataType: a.dataType })),
      },
    ];
  });
}
