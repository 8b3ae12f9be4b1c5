// Program member routes of the lead-database API (api-facts B7): describe, query (leadId or
// updatedAt filters, `seq` on items), set status (1025 unknown status, 1037 already at or past
// it), update member data (1013 not a member) and remove.
import { MarketoRequestError } from './envelope';
import { type Body, isoSeconds, ok, parseDateTime, type Route, type RouteContext } from './format';
import { MAX_BATCH } from './leadSync';
import { positionPage } from './leads';
import { API_REASON, changeMemberStatus, removeMember } from './memberOps';
import type { Program, ProgramMember } from './programStore';

type MemberField = [name: string, displayName: string, dataType: string, updateable: boolean];

const STANDARD_FIELDS: MemberField[] = [
  ['acquiredBy', 'acquiredBy', 'boolean', false],
  ['attendanceLikelihood', 'attendanceLikelihood', 'integer', false],
  ['createdAt', 'createdAt', 'datetime', false],
  ['isExhausted', 'isExhausted', 'boolean', false],
  ['leadId', 'leadId', 'integer', false],
  ['membershipDate', 'membershipDate', 'datetime', false],
  ['nurtureCadence', 'nurtureCadence', 'string', false],
  ['programId', 'programId', 'integer', false],
  ['reachedSuccess', 'reachedSuccess', 'boolean', false],
  ['reachedSuccessDate', 'reachedSuccessDate', 'datetime', false],
  ['registrationLikelihood', 'registrationLikelihood', 'integer', false],
  ['statusName', 'statusName', 'string', false],
  ['statusReason', 'statusReason', 'string', false],
  ['trackName', 'trackName', 'string', false],
  ['updatedAt', 'updatedAt', 'datetime', false],
  ['webinarUrl', 'webinarUrl', 'string', false],
];

/** Custom member fields (updateable through members.json). */
const CUSTOM_FIELDS: MemberField[] = [
  ['sfdcCampaignMemberId', 'SFDC Campaign Member Id', 'string', true],
  ['attendeeNotes', 'Attendee Notes', 'string', true],
];

const ALL_FIELDS = [...STANDARD_FIELDS, ...CUSTOM_FIELDS];
const FIELD_NAMES = new Set(ALL_FIELDS.map((f) => f[0]));
const CUSTOM_NAMES = new Set(CUSTOM_FIELDS.map((f) => f[0]));
const DEFAULT_FIELDS = ['acquiredBy', 'leadId', 'membershipDate', 'programId', 'reachedSuccess'];
const MAX_NON_LEAD_MATCHES = 100_000;
const MAX_UPDATED_RANGE_MS = 7 * 24 * 3_600_000;

export function program(ctx: RouteContext): Program {
  const found = ctx.store.programs.programs.get(Number(ctx.match[1]));
  if (!found) throw new MarketoRequestError('1013', 'Program not found');
  return found;
}

function memberRow(member: ProgramMember, fields: string[]): Body {
  const row: Body = {};
  for (const name of fields) {
    let value: unknown;
    if (name === 'membershipDate' || name === 'createdAt' || name === 'updatedAt') {
      value = isoSeconds(member[name]);
    } else if (CUSTOM_NAMES.has(name)) value = member.data[name];
    else value = (member as unknown as Record<string, unknown>)[name];
    if (value !== undefined && value !== null) row[name] = value;
  }
  return row;
}

function describe(): Body {
  return ok([
    {
      name: 'API Program Membership',
      description: 'Map for API program membership fields',
      createdAt: '2016-05-16T19:12:33Z',
      updatedAt: '2016-05-16T19:12:33Z',
      dedupeFields: ['leadId', 'programId'],
      searchableFields: [['leadId'], ['updatedAt'], ['statusName'], ...CUSTOM_FIELDS.map((f) => [f[0]])],
      fields: ALL_FIELDS.map(([name, displayName, dataType, updateable]) => ({
        name,
        displayName,
        dataType,
        ...(dataType === 'string' ? { length: 255 } : {}),
        updateable,
        crmManaged: false,
      })),
    },
  ]);
}

function query(ctx: RouteContext): Body {
  const target = program(ctx);
  const filterType = ctx.req.param('filterType');
  if (!filterType) throw new MarketoRequestError('701', 'filterType cannot be blank');
  const fields = ctx.req.list('fields');
  const unknown = fields.find((f) => !FIELD_NAMES.has(f));
  if (unknown) throw new MarketoRequestError('1006', `Field '${unknown}' not found`);
  const wanted = fields.length ? fields : DEFAULT_FIELDS;
  const members = ctx.store.programs.membersOf(target.id);
  let matches: ProgramMember[];
  if (filterType === 'leadId') {
    const ids = ctx.req.list('filterValues').map(Number);
    if (ids.length === 0) throw new MarketoRequestError('701', 'filterValues cannot be blank');
    if (ids.length > MAX_BATCH)
      throw new MarketoRequestError('1003', 'filterValues exceeds the limit of 300');
    matches = ids.map((id) => members.get(id)).filter((m): m is ProgramMember => m !== undefined);
  } else {
    let accept: (m: ProgramMember) => boolean;
    if (filterType === 'updatedAt') {
      const start = parseDateTime(ctx.req.param('startAt') ?? '');
      const end = parseDateTime(ctx.req.param('endAt') ?? '');
      if (start === null || end === null)
        throw new MarketoRequestError('1003', 'startAt and endAt are required');
      if (end - start > MAX_UPDATED_RANGE_MS)
        throw new MarketoRequestError('1003', 'Date range exceeds 7 days');
      accept = (m) => m.updatedAt >= start && m.updatedAt <= end;
    } else if (filterType === 'statusName' || CUSTOM_NAMES.has(filterType)) {
      const values = new Set(ctx.req.list('filterValues'));
      accept = (m) =>
        values.has(String(filterType === 'statusName' ? m.statusName : (m.data[filterType] ?? '')));
    } else throw new MarketoRequestError('1011', `Field '${filterType}' not supported`);
    if (members.size > MAX_NON_LEAD_MATCHES) {
      throw new MarketoRequestError(
        '1003',
        `Total membership size exceeds the limit allowed ${MAX_NON_LEAD_MATCHES}`,
      );
    }
    matches = [...members.values()].filter(accept);
  }
  const rows = matches.map((m, seq) => ({ seq, ...memberRow(m, wanted) }));
  const size = Math.min(ctx.req.intParam('batchSize') ?? MAX_BATCH, MAX_BATCH);
  const key = `members|${target.id}|${ctx.req.params.toString().replace(/&?nextPageToken=[^&]*/, '')}`;
  return positionPage(ctx, rows, key, size);
}

function inputOf(ctx: RouteContext): unknown[] {
  const input = ctx.req.json().input;
  if (!Array.isArray(input) || input.length === 0)
    throw new MarketoRequestError('701', 'input cannot be blank');
  if (input.length > MAX_BATCH)
    throw new MarketoRequestError('1003', `Batch size exceeds the limit of ${MAX_BATCH}`);
  return input;
}

function leadIdOf(record: unknown): number {
  return Number((record as { leadId?: unknown } | null)?.leadId);
}

function setStatus(ctx: RouteContext): Body {
  const target = program(ctx);
  const statusName = ctx.req.json().statusName;
  const status = ctx.store.programs.statusesOf(target).find((s) => s.name === statusName);
  if (!status) throw new MarketoRequestError('1025', `Program status '${String(statusName)}' not found`);
  return ok(
    inputOf(ctx).map((record, seq) => {
      const change = changeMemberStatus(ctx.store, target, leadIdOf(record), status, {
        forward: true,
        reason: API_REASON,
      });
      // Skipped rows carry no leadId (program-members.md's examples).
      if (change.kind === 'skipped')
        return { seq, status: 'skipped', reasons: [{ code: change.code, message: change.message }] };
      return { seq, leadId: change.member.leadId, status: change.kind };
    }),
  );
}

function updateData(ctx: RouteContext): Body {
  const target = program(ctx);
  const members = ctx.store.programs.membersOf(target.id);
  return ok(
    inputOf(ctx).map((record, seq) => {
      const leadId = leadIdOf(record);
      const member = members.get(leadId);
      if (!member)
        return { seq, status: 'skipped', reasons: [{ code: '1013', message: 'Membership not found' }] };
      for (const [name, value] of Object.entries(record as Record<string, unknown>)) {
        if (name === 'leadId') continue;
        if (!CUSTOM_NAMES.has(name)) {
          return {
            seq,
            status: 'skipped',
            reasons: [{ code: '1006', message: `Field '${name}' not found` }],
          };
        }
        member.data[name] = value === null || value === undefined ? null : String(value);
      }
      member.updatedAt = ctx.store.now();
      return { seq, leadId, status: 'updated' };
    }),
  );
}

function remove(ctx: RouteContext): Body {
  const target = program(ctx);
  return ok(
    inputOf(ctx).map((record, seq) => {
      const leadId = leadIdOf(record);
      if (!removeMember(ctx.store, target, leadId, API_REASON)) {
        // program-members.md's example of a skipped delete.
        return { seq, status: 'skipped', reasons: [{ code: '1037', message: 'Lead not in program' }] };
      }
      return { seq, leadId, status: 'deleted' };
    }),
  );
}

export const programMemberRoutes: Route[] = [
  { methods: ['GET'], pattern: /^\/rest\/v1\/programs\/members\/describe\.json$/, handle: describe },
  { methods: ['POST'], pattern: /^\/rest\/v1\/programs\/(\d+)\/members\/status\.json$/, handle: setStatus },
  { methods: ['POST'], pattern: /^\/rest\/v1\/programs\/(\d+)\/members\/delete\.json$/, handle: remove },
  {
    methods: ['GET', 'POST'],
    pattern: /^\/rest\/v1\/programs\/(\d+)\/members\.json$/,
    handle: (ctx) => (ctx.req.method === 'GET' ? query(ctx) : updateData(ctx)),
  },
];
