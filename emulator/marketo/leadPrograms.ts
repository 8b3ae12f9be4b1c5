// The lead-database's older program endpoints (api-facts B7, E2.6), still published and used by
// clients (marketo-rest-python): Get Leads by Program (leads with a `membership` object), Change
// Lead Program Status (existing members only, items `{id, status}`) and a lead's program
// memberships. Both GETs also come as `POST …?_method=GET` with a form body (request.ts).
import { MarketoRequestError } from './envelope';
import { type Body, isoSeconds, ok, parseDateTime, type Route, type RouteContext } from './format';
import { MAX_BATCH } from './leadSync';
import { positionPage } from './leads';
import { leadRow, unknownFields } from './leadValues';
import { API_REASON, changeMemberStatus } from './memberOps';
import { program } from './programMembers';
import type { Program, ProgramMember } from './programStore';
import type { MarketoStore } from './store';

/** leads.md: the default fields of Get Leads by Program. */
const DEFAULT_FIELDS = ['email', 'updatedAt', 'createdAt', 'lastName', 'firstName', 'id'];

function membershipOf(store: MarketoStore, target: Program, member: ProgramMember): Body {
  const status = store.programs.statusesOf(target).find((s) => s.name === member.statusName);
  return {
    progressionStatus: member.statusName,
    progressionStatusType: status?.success ? 'Success' : 'Not Success',
    acquiredBy: member.acquiredBy,
    reachedSuccess: member.reachedSuccess,
    membershipDate: isoSeconds(member.membershipDate),
    updatedAt: isoSeconds(member.updatedAt),
  };
}

function leadsByProgram(ctx: RouteContext): Body {
  const target = program(ctx);
  const requested = ctx.req.list('fields');
  const unknown = unknownFields(requested.filter((f) => f !== 'membership'));
  if (unknown.length) throw new MarketoRequestError('1006', `Field '${unknown[0]}' not found`);
  const fields = requested.length ? requested : [...DEFAULT_FIELDS, 'membership'];
  const size = Math.max(1, Math.min(ctx.req.intParam('batchSize') ?? MAX_BATCH, MAX_BATCH));
  const members = [...ctx.store.programs.membersOf(target.id).values()].sort((a, b) => a.leadId - b.leadId);
  const rows = members.flatMap((member) => {
    const lead = ctx.store.leads.get(member.leadId);
    if (!lead) return [];
    const row: Body = leadRow(
      lead,
      fields.filter((f) => f !== 'membership'),
    );
    if (fields.includes('membership')) row.membership = membershipOf(ctx.store, target, member);
    return [row];
  });
  return positionPage(ctx, rows, `leadsByProgram|${target.id}|${fields.join(',')}`, size);
}

function changeLeadProgramStatus(ctx: RouteContext): Body {
  const target = program(ctx);
  const body = ctx.req.json();
  const status = ctx.store.programs.statusesOf(target).find((s) => s.name === body.status);
  if (!status) throw new MarketoRequestError('1025', `Program status '${String(body.status)}' not found`);
  const input = body.input;
  if (!Array.isArray(input) || input.length === 0)
    throw new MarketoRequestError('701', 'input cannot be blank');
  if (input.length > MAX_BATCH)
    throw new MarketoRequestError('1003', `Batch size exceeds the limit of ${MAX_BATCH}`);
  return ok(
    input.map((record) => {
      const id = Number((record as { id?: unknown } | null)?.id);
      // Superseded endpoint: changes existing members only, and may move one back.
      const change = changeMemberStatus(ctx.store, target, id, status, {
        forward: false,
        reason: API_REASON,
        membersOnly: true,
      });
      if (change.kind === 'skipped')
        return { id, status: 'skipped', reasons: [{ code: change.code, message: change.message }] };
      return { id, status: 'updated' };
    }),
  );
}

function programMembership(ctx: RouteContext): Body {
  const leadId = Number(ctx.match[1]);
  if (!ctx.store.leads.get(leadId)) throw new MarketoRequestError('1004', 'Lead not found');
  const filterType = ctx.req.param('filterType');
  if (filterType && filterType !== 'programId')
    throw new MarketoRequestError('1003', `Invalid filterType '${filterType}'`);
  const only = new Set(ctx.req.list('filterValues').map(Number));
  const earliest = parseDateTime(ctx.req.param('earliestUpdatedAt') ?? '');
  const latest = parseDateTime(ctx.req.param('latestUpdatedAt') ?? '');
  const rows: Body[] = [];
  for (const target of ctx.store.programs.programs.values()) {
    if (filterType && !only.has(target.id)) continue;
    const member = ctx.store.programs.membersOf(target.id).get(leadId);
    if (!member) continue;
    if (earliest !== null && member.updatedAt < earliest) continue;
    if (latest !== null && member.updatedAt > latest) continue;
    const { progressionStatusType: _type, ...membership } = membershipOf(ctx.store, target, member);
    rows.push({ id: target.id, ...membership, isExhausted: false });
  }
  return ok(rows);
}

export const leadProgramRoutes: Route[] = [
  { methods: ['GET'], pattern: /^\/rest\/v1\/leads\/programs\/(\d+)\.json$/, handle: leadsByProgram },
  {
    methods: ['POST'],
    pattern: /^\/rest\/v1\/leads\/programs\/(\d+)\/status\.json$/,
    handle: changeLeadProgramStatus,
  },
  {
    methods: ['GET'],
    pattern: /^\/rest\/v1\/leads\/(\d+)\/programMembership\.json$/,
    handle: programMembership,
  },
];
