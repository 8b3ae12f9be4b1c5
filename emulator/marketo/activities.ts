// Activity routes (api-facts B6): types, date-based paging tokens, activities, lead changes and
// deleted leads. Feeds always return nextPageToken; pages may be short with moreResult:true.
import type { Activity } from './activityLog';
import { ACTIVITY, activityTypesResult } from './activityTypes';
import { customTypesResult } from './customActivities';
import { MarketoRequestError } from './envelope';
import { FIELD_BY_NAME } from './fields';
import { type Body, isoSeconds, ok, parseDateTime, type Route, type RouteContext } from './format';
import { type ActivityCursor, decodeActivityToken, encodeActivityToken } from './pagingToken';

const MAX_TYPE_IDS = 10;
const MAX_LEAD_IDS = 30;

function cursorFrom(ctx: RouteContext): ActivityCursor {
  const token = ctx.req.param('nextPageToken');
  if (!token) throw new MarketoRequestError('701', 'nextPageToken cannot be blank');
  const cursor = decodeActivityToken(token);
  if (!cursor) throw new MarketoRequestError('1003', `Invalid token value: ${token}`);
  return cursor;
}

function pageSize(ctx: RouteContext): number {
  const requested = ctx.req.intParam('batchSize') ?? 300;
  return Math.max(1, Math.min(requested, 300, ctx.store.settings.activityPageSize));
}

function leadIdsFrom(ctx: RouteContext): number[] | undefined {
  if (ctx.req.param('listId') !== undefined) {
    // The emulator has no static lists, so every list id is unknown.
    throw new MarketoRequestError('1013', `Static list '${ctx.req.param('listId')}' not found`);
  }
  const leadIds = ctx.req.list('leadIds').map(Number);
  if (leadIds.some((id) => !Number.isInteger(id))) throw new MarketoRequestError('1003', 'Invalid leadIds');
  if (leadIds.length > MAX_LEAD_IDS) {
    throw new MarketoRequestError('1003', `leadIds exceeds the limit of ${MAX_LEAD_IDS}`);
  }
  return leadIds.length ? leadIds : undefined;
}

function feed(
  ctx: RouteContext,
  typeIds: number[],
  cursor: ActivityCursor,
  accept: (a: Activity) => boolean,
  row: (a: Activity) => Body,
  leadIds?: number[],
): Body {
  const { settings, activities } = ctx.store;
  const page = activities.page({
    cursor,
    typeIds,
    leadIds,
    pageSize: pageSize(ctx),
    scanLimit: settings.activityScanLimit,
    accept,
  });
  return {
    success: true,
    nextPageToken: encodeActivityToken(page.cursor),
    moreResult: page.more,
    result: page.items.map(row),
  };
}

function baseRow(a: Activity): Body {
  return {
    id: a.id,
    marketoGUID: String(a.id),
    leadId: a.leadId,
    activityDate: isoSeconds(a.date),
    activityTypeId: a.typeId,
    ...(a.campaignId !== undefined ? { campaignId: a.campaignId } : {}),
  };
}

function activityRow(a: Activity): Body {
  return {
    ...baseRow(a),
    ...(a.primaryAttributeValueId !== undefined
      ? { primaryAttributeValueId: a.primaryAttributeValueId }
      : {}),
    ...(a.primaryAttributeValue !== undefined ? { primaryAttributeValue: a.primaryAttributeValue } : {}),
    attributes: a.attributes,
  };
}

function leadChangeRow(a: Activity): Body {
  if (a.typeId !== ACTIVITY.changeDataValue) return { ...baseRow(a), attributes: a.attributes };
  const attributes = a.attributes.filter((x) => x.name === 'Reason' || x.name === 'Source');
  return {
    ...baseRow(a),
    fields: a.fields,
    attributes: [...attributes, { name: 'Lead ID', value: a.leadId }],
  };
}

function pagingToken(ctx: RouteContext): Body {
  const since = ctx.req.param('sinceDatetime');
  if (!since) throw new MarketoRequestError('701', 'sinceDatetime cannot be blank');
  const date = parseDateTime(since);
  if (date === null)
    throw new MarketoRequestError('1001', `Invalid value '${since}'. Required of type 'datetime'`);
  return {
    success: true,
    nextPageToken: encodeActivityToken({ date: date - 1, id: Number.MAX_SAFE_INTEGER }),
  };
}

function activities(ctx: RouteContext): Body {
  const cursor = cursorFrom(ctx);
  const typeIds = ctx.req.list('activityTypeIds').map(Number);
  if (typeIds.length === 0) throw new MarketoRequestError('701', 'activityTypeIds cannot be blank');
  if (typeIds.some((id) => !Number.isInteger(id)))
    throw new MarketoRequestError('1003', 'Invalid activityTypeIds');
  if (typeIds.length > MAX_TYPE_IDS) {
    throw new MarketoRequestError('1003', `activityTypeIds exceeds the limit of ${MAX_TYPE_IDS}`);
  }
  const leads = ctx.store.leads;
  const visible = (a: Activity) => a.typeId === ACTIVITY.deleteLead || leads.byId.has(a.leadId);
  return feed(ctx, typeIds, cursor, visible, activityRow, leadIdsFrom(ctx));
}

function leadChanges(ctx: RouteContext): Body {
  const cursor = cursorFrom(ctx);
  const fields = ctx.req.list('fields');
  if (fields.length === 0) throw new MarketoRequestError('701', 'fields cannot be blank');
  const unknown = fields.find((f) => !FIELD_BY_NAME.has(f));
  if (unknown) throw new MarketoRequestError('1006', `Field '${unknown}' not found`);
  const wanted = new Set(fields);
  const leads = ctx.store.leads;
  const accept = (a: Activity) =>
    leads.byId.has(a.leadId) && (a.typeId === ACTIVITY.newLead || wanted.has(a.fields?.[0]?.name ?? ''));
  const typeIds = [ACTIVITY.newLead, ACTIVITY.changeDataValue];
  return feed(ctx, typeIds, cursor, accept, leadChangeRow, leadIdsFrom(ctx));
}

function deletedLeads(ctx: RouteContext): Body {
  let cursor = cursorFrom(ctx);
  // Deletions older than the retention (14 days) are pruned.
  const oldest = ctx.store.now() - ctx.store.settings.deletedLeadRetentionMs;
  if (cursor.date < oldest) cursor = { date: oldest, id: 0 };
  return feed(ctx, [ACTIVITY.deleteLead], cursor, () => true, activityRow);
}

export const activityRoutes: Route[] = [
  {
    methods: ['GET'],
    pattern: /^\/rest\/v1\/activities\/types\.json$/,
    handle: (ctx) => ok([...activityTypesResult(), ...customTypesResult(ctx)]),
  },
  { methods: ['GET'], pattern: /^\/rest\/v1\/activities\/pagingtoken\.json$/, handle: pagingToken },
  { methods: ['GET'], pattern: /^\/rest\/v1\/activities\.json$/, handle: activities },
  { methods: ['GET'], pattern: /^\/rest\/v1\/activities\/leadchanges\.json$/, handle: leadChanges },
  { methods: ['GET'], pattern: /^\/rest\/v1\/activities\/deletedleads\.json$/, handle: deletedLeads },
];
