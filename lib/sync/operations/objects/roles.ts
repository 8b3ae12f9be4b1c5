// Pull Updates Opportunity Contact Role (issue 19): each role → a Marketo opportunity role on the
// contact's person, keyed by (externalOpportunityId, leadId, role) (api-facts E2.3). The person is
// the contact's Marketo lead id from the log; a role whose contact (or opportunity) is not in
// Marketo yet is queued (Skipped with "Queued: …"), and written once it is (queue.ts). A contact
// excluded by the sync filter excludes its roles (Excluded, counted), read with the role
// (`Contact.<field>`: no call more). A change of any key part (the contact re-parented, merged,
// its person relinked, the role renamed) is a new Marketo role: the new one is written, then the
// old one (by the marketoGUID in the state) deleted — a resend after a stop finds both done.
// A null Role is sent as "Unspecified": Marketo's key needs a value (docs/objects.md). A role moved
// to a contact it cannot be written on yet (excluded, not in Marketo) leaves its former contact's
// person at once: Salesforce no longer says that person is on the opportunity (formerLinks.ts).
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import { hashText } from '../../hash';
import { failedState, failure, throwIfCrmRefused } from './crm';
import { deleteLeft, failLeaving, type Leaving } from './formerLinks';
import type { ObjectPullSpec, ObjectRow, WrittenBatch } from './objectPull';
import { type IndexedRole, RoleIndex } from './roleIndex';
import { DeferredRoleLists, type ListedRole } from './roleLists';

export const NO_ROLE = 'Unspecified';

const queuedReason = (what: 'contact' | 'opportunity') =>
  `Queued: its ${what} is not in Marketo yet; the role is written once the ${what} is synced`;
export const ROLE_QUEUE = 'queue:OpportunityContactRole';

const roleKey = (row: ObjectRow, leadId: number) => ({
  externalOpportunityId: String(row.OpportunityId),
  leadId,
  role: typeof row.Role === 'string' && row.Role ? row.Role : NO_ROLE,
});

/** A role's entry in its contact's list (roleIndex.ts). */
function entryOf(row: ObjectRow, leadId: number): IndexedRole {
  const { externalOpportunityId, role } = roleKey(row, leadId);
  return { opportunityId: externalOpportunityId, role, primary: row.IsPrimary === true };
}

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
  const contacts: ContactCache = new Map();
  const index = new RoleIndex(ctx);
  const lists = new DeferredRoleLists(ctx, index);
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
    // Shared between batches: the contacts' states (only read) and the lists (roleIndex.ts). In
    // the read the lists wait (deferred), so a batch's list changes before its Marketo call commute
    // with the batch before it; what follows the call waits for inTurn.
    overlap: true,
    write: (rows, quiet, fresh, inTurn) =>
      writeRoles(ctx, rows, quiet, { contacts, index, lists, inTurn }, fresh),
    beforeRead: (position) => lists.beforeRead(position),
    afterRead: () => lists.afterRead(),
  };
}

/**
 * The contacts' states, read once per step: a contact has several roles, spread over the batches
 * (reading them again per batch cost the role pull ten times the opportunity pull's time).
 */
type ContactCache = Map<string, SyncState | undefined>;

async function contactStates(ctx: StepContext, cache: ContactCache, rows: ObjectRow[]) {
  const missing = [...new Set(rows.map((r) => String(r.ContactId)))].filter((id) => !cache.has(id));
  const loaded = await loadStates(ctx.db, missing);
  for (const id of missing) cache.set(id, loaded.get(id));
  // It holds what the current read needs, not the whole org.
  if (cache.size > 20_000) for (const id of [...cache.keys()].slice(0, 10_000)) cache.delete(id);
}

async function writeRoles(
  ctx: StepContext,
  rows: ObjectRow[],
  quiet: ReadonlySet<string>,
  {
    contacts,
    index,
    lists,
    inTurn = async () => undefined,
  }: {
    contacts: ContactCache;
    index: RoleIndex;
    lists?: DeferredRoleLists;
    inTurn?: () => Promise<void>;
  },
  fresh = false,
): Promise<WrittenBatch> {
  const filter = ctx.settings.syncFilterField;
  await contactStates(ctx, contacts, rows);
  const states = fresh
    ? new Map<string, SyncState>()
    : await loadStates(
        ctx.db,
        rows.map((r) => r.Id),
      );
  for (const row of rows) {
    const contact = contacts.get(String(row.ContactId));
    if (contact) states.set(String(row.ContactId), contact);
  }
  const out: WrittenBatch = { outcomes: [], states: new Map(), queued: [] };
  const writes: { row: ObjectRow; leadId: number; state: SyncState | undefined }[] = [];
  // Roles the log agrees on, re-read to rebuild the lists a dead worker owed.
  const relisted: ListedRole[] = [];
  // Roles written on another contact that cannot be written on their own one yet.
  const leaving: Leaving[] = [];
  const leaves = (row: ObjectRow, state: SyncState | undefined) => {
    const [guid, from] = [state?.hashes['@guid'], state?.hashes['@contact']];
    if (guid && from && from !== String(row.ContactId)) leaving.push({ id: row.Id, guid, from });
  };
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
      leaves(row, state);
      out.queued!.push(row.Id);
      out.outcomes.push({
        ...base,
        outcome: 'excluded',
        reason: `its contact is excluded by the sync filter (${filter} is checked)`,
      });
      continue;
    }
    if (leadId === undefined) {
      leaves(row, state);
      out.queued!.push(row.Id);
      out.outcomes.push({ ...base, outcome: 'skipped', reason: queuedReason('contact') });
      continue;
    }
    if (agrees(state, row, leadId)) {
      if (!quiet.has(row.Id)) out.outcomes.push({ ...base, outcome: 'skipped' });
      if (lists?.rebuilding)
        relisted.push({ roleId: row.Id, contactId: String(row.ContactId), entry: entryOf(row, leadId) });
      continue;
    }
    writes.push({ row, leadId, state });
  }
  if (leaving.length) await leaveFormerContacts(ctx, index, leaving, out);
  if (relisted.length) await lists?.relist(relisted, out);
  const written = writes.length ? await writeChanged(ctx, writes, index, out, fresh, inTurn) : out;
  await inTurn();
  lists?.markOwed(written);
  return written;
}

/** Writes the roles that changed to Marketo, and their states and lists. */
async function writeChanged(
  ctx: StepContext,
  writes: { row: ObjectRow; leadId: number; state: SyncState | undefined }[],
  index: RoleIndex,
  out: WrittenBatch,
  fresh: boolean,
  inTurn: () => Promise<void>,
): Promise<WrittenBatch> {
  await index.load(
    writes.flatMap((w) => [String(w.row.ContactId), w.state?.hashes['@contact'] ?? '']),
    fresh,
  );
  const listsChanged = new Set<string>();
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
  await inTurn();
  // Roles whose key moved: the old Marketo role goes once the new one is there.
  const stale: string[] = [];
  writes.forEach((w, i) => {
    const result = results[i]!;
    // Marketo has no such opportunity (1013): it is not synced yet (failing, or newer than its read).
    if (result.reasons[0]?.code === '1013') {
      out.queued!.push(w.row.Id);
      out.outcomes.push({
        sfId: w.row.Id,
        mktoId: w.leadId,
        outcome: 'skipped',
        reason: queuedReason('opportunity'),
      });
      return;
    }
    if (result.status === 'skipped' || typeof result.id !== 'string') {
      out.outcomes.push({ sfId: w.row.Id, mktoId: w.leadId, outcome: 'failed', error: failure(result) });
      out.states.set(w.row.Id, failedState(w.state, 'OpportunityContactRole'));
      return;
    }
    const old = w.state?.hashes['@guid'];
    if (old && old !== result.id) stale.push(old);
    out.states.set(w.row.Id, roleState(w.row, w.leadId, result.id));
    const entry = entryOf(w.row, w.leadId);
    index.put(w.row.Id, w.state?.hashes['@contact'], String(w.row.ContactId), entry, listsChanged);
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
  index.states(listsChanged, out.states);
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

/** Roles leave their former contacts (formerLinks.ts): their states go, and they leave those lists. */
async function leaveFormerContacts(
  ctx: StepContext,
  index: RoleIndex,
  leaving: Leaving[],
  out: WrittenBatch,
): Promise<void> {
  await index.load(leaving.map((l) => l.from));
  const errors = await deleteLeft(
    ctx,
    leaving,
    (input) => ctx.marketo.opportunityRoles.delete({ deleteBy: 'idField', input }),
    'POST /rest/v1/opportunities/roles/delete.json',
  );
  const listsChanged = new Set<string>();
  for (const [i, l] of leaving.entries()) {
    if (errors[i]) failLeaving(out.outcomes, l.id, errors[i]);
    else {
      out.states.set(l.id, null);
      index.put(l.id, l.from, undefined, undefined, listsChanged);
    }
  }
  index.states(listsChanged, out.states);
}
