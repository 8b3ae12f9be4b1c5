// Lead database routes (api-facts B5): describe, describe2, schema/fields, partitions, get by id,
// get by filter type, sync, push, delete (both forms) and merge.
import { ACTIVITY } from './activityTypes';
import { MarketoRequestError } from './envelope';
import {
  DEFAULT_LEAD_FIELDS,
  describe2Field,
  describeField,
  FIELD_BY_NAME,
  LEAD_FIELDS,
  SEARCHABLE_FIELDS,
  schemaField,
} from './fields';
import { type Body, ok, type Route, type RouteContext } from './format';
import { API_ORIGIN, deleteLead, mergeLeads } from './leadOps';
import type { Lead } from './leadStore';
import { MAX_BATCH, syncParameters, syncRecord } from './leadSync';
import { leadRow, unknownFields } from './leadValues';
import { decodePositionToken, encodePositionToken } from './pagingToken';

const MAX_FILTER_VALUES = 300;
const MAX_MERGE_LOSERS = 25;

function requestedFields(ctx: RouteContext): string[] {
  const fields = ctx.req.list('fields');
  if (fields.length === 0) return DEFAULT_LEAD_FIELDS;
  const unknown = unknownFields(fields);
  if (unknown.length) throw new MarketoRequestError('1006', `Field '${unknown[0]}' not found`);
  return fields;
}

function batchSize(ctx: RouteContext): number {
  const size = ctx.req.intParam('batchSize') ?? MAX_BATCH;
  // Marketo caps pages at 300; larger requests are served at the cap (tolerant, unconfirmed).
  return Math.max(1, Math.min(size, MAX_BATCH));
}

/** Offset paging with an opaque token tied to the query. */
export function positionPage<T>(ctx: RouteContext, items: T[], queryKey: string, size: number): Body {
  const token = ctx.req.param('nextPageToken');
  let offset = 0;
  if (token !== undefined) {
    const decoded = decodePositionToken(token, queryKey);
    if (decoded === null) throw new MarketoRequestError('1003', 'Invalid nextPageToken');
    offset = decoded;
  }
  const page = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return {
    success: true,
    result: page,
    moreResult: more,
    ...(more ? { nextPageToken: encodePositionToken(offset + size, queryKey) } : {}),
  };
}

function describe(ctx: RouteContext): Body {
  return ok(LEAD_FIELDS.map((f) => describeField(f, ctx.store.settings.sfdcFieldsCrmManaged)));
}

function describe2(ctx: RouteContext): Body {
  const crm = ctx.store.settings.sfdcFieldsCrmManaged;
  return ok([
    {
      name: 'API Lead',
      searchableFields: SEARCHABLE_FIELDS.map((f) => [f]),
      fields: LEAD_FIELDS.map((f) => describe2Field(f, crm)),
    },
  ]);
}

function schemaFields(ctx: RouteContext): Body {
  return positionPage(ctx, LEAD_FIELDS.map(schemaField), 'schema/fields', batchSize(ctx));
}

function schemaField1(ctx: RouteContext): Body {
  const field = FIELD_BY_NAME.get(decodeURIComponent(ctx.match[1]!));
  if (!field) throw new MarketoRequestError('1006', `Field '${ctx.match[1]}' not found`);
  return ok([schemaField(field)]);
}

function partitions(): Body {
  return ok([{ id: 1, name: 'Default', description: 'Initial system lead partition' }]);
}

function leadById(ctx: RouteContext): Body {
  const fields = requestedFields(ctx);
  const lead = ctx.store.leads.get(Number(ctx.match[1]));
  // Unknown id: an empty result (api-facts B5, unconfirmed).
  return ok(lead ? [leadRow(lead, fields)] : []);
}

function leadsByFilter(ctx: RouteContext): Body {
  const filterType = ctx.req.param('filterType');
  if (!filterType) throw new MarketoRequestError('701', 'filterType cannot be blank');
  if (!SEARCHABLE_FIELDS.includes(filterType)) {
    throw new MarketoRequestError('1011', `Field '${filterType}' not supported`);
  }
  const values = ctx.req.list('filterValues');
  if (values.length === 0) throw new MarketoRequestError('701', 'filterValues cannot be blank');
  if (values.length > MAX_FILTER_VALUES) {
    throw new MarketoRequestError('1003', `filterValues exceeds the limit of ${MAX_FILTER_VALUES} values`);
  }
  const fields = requestedFields(ctx);
  const ids = new Set<number>();
  for (const value of values) for (const id of ctx.store.leads.find(filterType, value)) ids.add(id);
  if (ids.size > ctx.store.settings.maxFilterMatches) {
    throw new MarketoRequestError('1003', 'Too many results match the filter');
  }
  const rows = [...ids].sort((a, b) => a - b).map((id) => leadRow(ctx.store.leads.get(id)!, fields));
  const key = `leads|${filterType}|${values.join(',')}|${fields.join(',')}`;
  const body = positionPage(ctx, rows, key, batchSize(ctx));
  // A single page answers without paging keys, as Marketo's fixtures show.
  if (body.moreResult === false && ctx.req.param('nextPageToken') === undefined) delete body.moreResult;
  return body;
}

function sync(ctx: RouteContext): Body {
  const { action, lookupField, input } = syncParameters(ctx.req.json());
  return ok(input.map((record) => syncRecord(ctx.store, record, action, lookupField, API_ORIGIN)));
}

function push(ctx: RouteContext): Body {
  const body = ctx.req.json();
  const programName = typeof body.programName === 'string' ? body.programName : undefined;
  if (!programName) throw new MarketoRequestError('701', 'programName cannot be blank');
  const program = ctx.store.programs.byName(programName);
  if (!program) throw new MarketoRequestError('1013', `Program '${programName}' not found`);
  const { lookupField, input } = syncParameters({ ...body, action: 'createOrUpdate' });
  const reason = typeof body.reason === 'string' ? body.reason : 'Web service API';
  const source = typeof body.source === 'string' ? body.source : 'Web service API';
  const origin = { reason, source, sourceType: 'Web service API' };
  const writeActivity = (lead: Lead) =>
    ctx.store.activities.append({
      leadId: lead.id,
      date: ctx.store.now(),
      typeId: ACTIVITY.pushLeadToMarketo,
      primaryAttributeValueId: program.id,
      primaryAttributeValue: program.name,
      attributes: [
        { name: 'Reason', value: reason },
        { name: 'Source', value: source },
      ],
    });
  return ok(
    input.map((record) =>
      syncRecord(ctx.store, record, 'createOrUpdate', lookupField, origin, writeActivity),
    ),
  );
}

function deleteLeads(ctx: RouteContext): Body {
  const body = ctx.req.optionalJson() ?? (ctx.req.rawBody.trim() ? ctx.req.json() : {});
  const fromBody = Array.isArray(body.input) ? body.input.map((r) => (r as { id?: unknown })?.id) : [];
  const ids = fromBody.length ? fromBody : ctx.req.list('id');
  if (ids.length === 0) throw new MarketoRequestError('701', 'input cannot be blank');
  if (ids.length > MAX_BATCH)
    throw new MarketoRequestError('1003', `Batch size exceeds the limit of ${MAX_BATCH}`);
  return ok(
    ids.map((raw) => {
      const id = Number(raw);
      if (Number.isInteger(id) && deleteLead(ctx.store, id)) return { id, status: 'deleted' };
      return {
        ...(Number.isInteger(id) ? { id } : {}),
        status: 'skipped',
        reasons: [{ code: '1004', message: 'Lead not found' }],
      };
    }),
  );
}

function merge(ctx: RouteContext): Body {
  const winner = ctx.store.leads.get(Number(ctx.match[1]));
  const loserIds = [...ctx.req.list('leadId'), ...ctx.req.list('leadIds')].map(Number);
  if (loserIds.length === 0) throw new MarketoRequestError('701', 'leadId cannot be blank');
  if (loserIds.length > MAX_MERGE_LOSERS) {
    throw new MarketoRequestError('1080', `Number of leadIds exceeds the limit of ${MAX_MERGE_LOSERS}`);
  }
  if (!winner) throw new MarketoRequestError('1004', 'Lead not found');
  const losers = loserIds.map((id) => ctx.store.leads.get(id));
  if (losers.some((l) => !l || l.id === winner.id)) throw new MarketoRequestError('1004', 'Lead not found');
  mergeLeads(ctx.store, winner, losers as Lead[], API_ORIGIN, ctx.req.param('mergeInCRM') === 'true');
  return { success: true };
}

export const leadRoutes: Route[] = [
  { methods: ['GET'], pattern: /^\/rest\/v1\/leads\/describe\.json$/, handle: describe },
  { methods: ['GET'], pattern: /^\/rest\/v1\/leads\/describe2\.json$/, handle: describe2 },
  { methods: ['GET'], pattern: /^\/rest\/v1\/leads\/schema\/fields\.json$/, handle: schemaFields },
  { methods: ['GET'], pattern: /^\/rest\/v1\/leads\/schema\/fields\/([^/]+)\.json$/, handle: schemaField1 },
  { methods: ['GET'], pattern: /^\/rest\/v1\/leads\/partitions\.json$/, handle: partitions },
  { methods: ['GET'], pattern: /^\/rest\/v1\/lead\/(\d+)\.json$/, handle: leadById },
  { methods: ['POST'], pattern: /^\/rest\/v1\/leads\/push\.json$/, handle: push },
  { methods: ['POST'], pattern: /^\/rest\/v1\/leads\/delete\.json$/, handle: deleteLeads },
  { methods: ['POST'], pattern: /^\/rest\/v1\/leads\/(\d+)\/merge\.json$/, handle: merge },
  {
    methods: ['GET', 'POST', 'DELETE'],
    pattern: /^\/rest\/v1\/leads\.json$/,
    handle: (ctx) => {
      if (ctx.req.method === 'GET') return leadsByFilter(ctx);
      if (ctx.req.method === 'DELETE') return deleteLeads(ctx);
      return sync(ctx);
    },
  },
];
