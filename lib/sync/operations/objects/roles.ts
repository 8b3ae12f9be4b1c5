// Pull Updates Opportunity Contact Role (issue 19): each role → a Marketo opportunity role on the
// contact's person, keyed by (externalOpportunityId, leadId, role) (api-facts E2.3). The person is
// the contact's Marketo lead id from the log; a role whose contact (or opportunity) is not in
// Marketo yet is queued (Skipped with "Queued: …"), and written once it is (queue.ts). A contact
// excluded by the sync filter excludes its roles (Excluded, counted), read with the role
// (`Contact.<field>`: no call more). A change of any key part (the contact re-parented, merged,
// its person relinked, the role renamed) is a new Marketo role: the new one is written, then the
// old one (by the marketoGUID in the state) deleted — a resend after a stop finds both done.
// A null Role is sent as "Unspecified": Marketo's key needs a value (docs/objects.md).
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import { hashText } from '../../hash';
import { failedState, failure, throwIfCrmRefused } from './crm';
import type { ObjectPullSpec, ObjectRow, WrittenBatch } from './objectPull';

export const NO_ROLE = 'Unspecified';
export const ROLE_QUEUE = 'queue:OpportunityContactRole';

const roleKey = (row: ObjectRow, leadId: number) => ({
  externalOpportunityId: String(row.OpportunityId),
  leadId,
  role: typeof row.Role === 'string' && row.Role ? row.Role : NO_ROLE,
});

/** What a role's state keeps: the written key and values, and the Marketo role's guid. */
function roleState(row: ObjectRow, leadId: number, guid: string): SyncState {
  const key = roleKey(row, leadId);
  return {
    sobject: 'OpportunityContactRole',
    hashes: {
      '@guid': guid,
      '@lead': String(leadId),
      '@contact': String(row.ContactId),
      '@opportunity': key.externalOpportunityId,
      Role: hashText(key.role),
      IsPrimary: hashText(String(row.IsPrimary === true)),
    },
  };
}

const agrees = (state: SyncState | undefined, row: ObjectRow, leadId: number) => {
  if (!state?.hashes['@guid']) return false;
  const wanted = roleState(row, leadId, state.hashes['@guid']).hashes;
  return Object.entries(wanted).every(([k, v]) => state.hashes[k] === v);
};

export function rolePull(ctx: StepContext): ObjectPullSpec {
  const filter = ctx.settings.syncFilterField;
  const select = ['Id', 'SystemModstamp', 'OpportunityId', 'ContactId', 'Role', 'IsPrimary', 'CreatedDate'];
  return {
    target: 'OpportunityContactRole',
    sobject: 'OpportunityContactRole',
    stateObject: 'OpportunityContactRole',
    select: [
      ...select,
      ...(filter && ctx.settings.objects.Contact?.enabled ? [`Contact.${filter}`] : []),
    ].join(', '),
    queue: {
      key: ROLE_QUEUE,
      // A queued role waits for its contact or its opportunity.
      ready: async (c) =>
        (await salesforceChanged(c, 'Contact')) || (await salesforceChanged(c, 'Opportunity')),
    },
    write: (rows, quiet) => writeRoles(ctx, rows, quiet),
  };
}

async function writeRoles(
  ctx: StepContext,
  rows: ObjectRow[],
  quiet: ReadonlySet<string>,
): Promise<WrittenBatch> {
  const filter = ctx.settings.syncFilterField;
  const ids = [
    ...rows.map((r) => r.Id),
    ...rows.map((r) => String(r.ContactId)),
    ...rows.map((r) => String(r.OpportunityId)),
  ];
  const states = await loadStates(ctx.db, ids);
  const out: WrittenBatch = { outcomes: [], states: new Map(), queued: [] };
  const writes: { row: ObjectRow; leadId: number; state: SyncState | undefined }[] = [];
  for (const row of rows) {
    const state = states.get(row.Id);
    const contact = states.get(String(row.ContactId));
    const leadId = contact?.marketoId;
    const excludedNow = filter ? (row.Contact as Record<string, unknown> | null)?.[filter] === true : false;
    const base: Pick<PackedOutcome, 'sfId' | 'mktoId'> = {
      sfId: row.Id,
      ...(leadId !== undefined && { mktoId: leadId }),
    };
    if (excludedNow || contact?.excluded) {
      out.queued!.push(row.Id);
      out.outcomes.push({
        ...base,
        outcome: 'excluded',
        reason: `its contact is excluded by the sync filter (${filter} is checked)`,
      });
      continue;
    }
    if (leadId === undefined || !states.get(String(row.OpportunityId))?.hashes['@guid']) {
      out.queued!.push(row.Id);
      const what = leadId === undefined ? 'contact' : 'opportunity';
      out.outcomes.push({
        ...base,
        outcome: 'skipped',
        reason: `Queued: its ${what} is not in Marketo yet; the role is written once the ${what} is synced`,
      });
      continue;
    }
    if (agrees(state, row, leadId)) {
      if (!quiet.has(row.Id)) out.outcomes.push({ ...base, outcome: 'skipped' });
      continue;
    }
    writes.push({ row, leadId, state });
  }
  if (writes.length === 0) return out;
  ctx.budget.check();
  const results = await ctx.marketo.opportunityRoles.sync({
    action: 'createOrUpdate',
    input: writes.map((w) => ({
      ...roleKey(w.row, w.leadId),
      isPrimary: w.row.IsPrimary === true,
      externalCreatedDate: w.row.CreatedDate ?? null,
    })),
  });
  throwIfCrmRefused(results, 'POST /rest/v1/opportunities/roles.json');
  // Roles whose key moved: the old Marketo role goes once the new one is there.
  const stale: string[] = [];
  writes.forEach((w, i) => {
    const result = results[i]!;
    if (result.status === 'skipped' || typeof result.id !== 'string') {
      out.outcomes.push({ sfId: w.row.Id, mktoId: w.leadId, outcome: 'failed', error: failure(result) });
      out.states.set(w.row.Id, failedState(w.state, 'OpportunityContactRole'));
      return;
    }
    const old = w.state?.hashes['@guid'];
    if (old && old !== result.id) stale.push(old);
    out.states.set(w.row.Id, roleState(w.row, w.leadId, result.id));
    const moved = w.state && w.state.hashes['@lead'] !== String(w.leadId);
    out.outcomes.push({
      sfId: w.row.Id,
      mktoId: w.leadId,
      outcome: w.state?.hashes['@guid'] ? 'updated' : 'new',
      changes: [
        { field: 'Role', old: null, new: roleKey(w.row, w.leadId).role },
        { field: 'IsPrimary', old: null, new: w.row.IsPrimary === true },
        ...(moved ? [{ field: 'ContactId', old: null, new: w.row.ContactId ?? null }] : []),
      ],
    });
  });
  if (stale.length) {
    ctx.budget.check();
    const removed = await ctx.marketo.opportunityRoles.delete({
      deleteBy: 'idField',
      input: stale.map((marketoGUID) => ({ marketoGUID })),
    });
    throwIfCrmRefused(removed, 'POST /rest/v1/opportunities/roles/delete.json');
  }
  return out;
}
