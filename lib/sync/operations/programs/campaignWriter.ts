// Marketo program memberships → Salesforce campaign members (Sync to Program, Init Link to
// Program). Each change is one person's new status in a linked program: the campaign member is
// created, its Status updated, or (status "Not in Program": removed from the program) deleted.
// The program status becomes the campaign status it maps to (pairs.ts); a status the campaign
// lacks is created on the campaign first (CampaignMemberStatus, responded when the program status
// is a success), and when Salesforce refuses that, the member fails saying what to do.
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome, RecordError } from '../../../db/types';
import type { SaveResult } from '../../../salesforce/collections';
import type { StepContext } from '../../context';
import { salesforceError } from '../common';
import { type MemberRow, memberFields, memberRowSchema } from './memberRows';
import { agreed, idList, NOT_IN_PROGRAM, type Pair, putMemberState, salesforceStatusOf } from './pairs';

export interface MemberChange {
  pair: Pair;
  leadId: number;
  person: { sfId: string; sobject: string };
  /** The program status, or NOT_IN_PROGRAM for a removal. */
  marketoStatus: string;
  /** The program status counts as success (a status created for it is a responded one). */
  success: boolean;
  /** The person's campaign member in the pair's campaign, when there is one. */
  existing?: MemberRow;
  /** The member's sync state, when it has one. */
  state?: SyncState;
}

export interface CampaignWrites {
  outcomes: PackedOutcome[];
  states: Map<string, SyncState | null>;
}

/** CampaignMember.Status holds at most 40 characters (api-facts-objects E1). */
const MAX_STATUS = 40;

/** The live member status labels of each campaign. */
export async function statusLabels(ctx: StepContext, campaignIds: readonly string[]) {
  const labels = new Map<string, string[]>(campaignIds.map((id) => [id, []]));
  if (campaignIds.length === 0) return labels;
  ctx.budget.check();
  for await (const page of ctx.salesforce.query(
    `SELECT CampaignId, Label FROM CampaignMemberStatus WHERE CampaignId IN (${idList(campaignIds)})`,
  ))
    for (const row of page.records) labels.get(String(row.CampaignId))?.push(String(row.Label));
  return labels;
}

/** Creates the statuses `changes` need and their campaigns lack; returns why each missing one failed. */
async function ensureStatuses(
  ctx: StepContext,
  changes: readonly MemberChange[],
  labels: Map<string, string[]>,
): Promise<Map<string, RecordError>> {
  const refused = new Map<string, RecordError>();
  const wanted = new Map<string, { CampaignId: string; Label: string; HasResponded: boolean }>();
  for (const c of changes) {
    if (c.marketoStatus === NOT_IN_PROGRAM) continue;
    const own = labels.get(c.pair.campaignId) ?? [];
    if (salesforceStatusOf(c.pair, c.marketoStatus, own)) continue;
    const key = `${c.pair.campaignId}|${c.marketoStatus}`;
    if (c.marketoStatus.length > MAX_STATUS)
      refused.set(key, {
        code: 'STATUS_TOO_LONG',
        message: `Program status "${c.marketoStatus}" is longer than a campaign member status may be (40): map it to a campaign status in Options → Campaigns ⇄ Programs`,
        fields: ['Status'],
      });
    else wanted.set(key, { CampaignId: c.pair.campaignId, Label: c.marketoStatus, HasResponded: c.success });
  }
  if (wanted.size === 0) return refused;
  ctx.budget.check();
  const results = await ctx.salesforce.create('CampaignMemberStatus', [...wanted.values()]);
  [...wanted.entries()].forEach(([key, status], i) => {
    const result = results[i]!;
    if (result.success) labels.get(status.CampaignId)?.push(status.Label);
    else {
      const cause = salesforceError(result);
      refused.set(key, {
        code: cause.code,
        message: `Campaign has no member status "${status.Label}" and Salesforce refused to create it (${cause.message}): add it to the campaign or map the program status in Options → Campaigns ⇄ Programs`,
        fields: ['Status'],
      });
    }
  });
  return refused;
}

/** Applies the changes (one per member) to Salesforce; `created` is the outcome of a new member. */
export async function applyToCampaigns(
  ctx: StepContext,
  changes: readonly MemberChange[],
  created: 'new' | 'updated',
): Promise<CampaignWrites> {
  const out: CampaignWrites = { outcomes: [], states: new Map() };
  const labels = await statusLabels(ctx, [...new Set(changes.map((c) => c.pair.campaignId))]);
  const refused = await ensureStatuses(ctx, changes, labels);
  const creates: { change: MemberChange; fields: Record<string, unknown>; status: string }[] = [];
  const updates: { change: MemberChange; id: string; status: string }[] = [];
  const deletes: { change: MemberChange; id: string }[] = [];
  for (const change of changes) {
    const { pair, existing, marketoStatus, leadId } = change;
    if (marketoStatus === NOT_IN_PROGRAM) {
      if (existing) deletes.push({ change, id: existing.Id });
      continue; // not a member on either side: our own removal coming back, nothing to do
    }
    // Both sides agreed on this program status last time (whatever campaign status stands for it):
    // our own write coming back, nothing to do.
    if (existing && agreed(change.state, pair.programId, leadId, marketoStatus)) continue;
    const status = salesforceStatusOf(pair, marketoStatus, labels.get(pair.campaignId) ?? []);
    if (!status) {
      const error = refused.get(`${pair.campaignId}|${marketoStatus}`)!;
      out.outcomes.push({
        sfId: existing?.Id ?? change.person.sfId,
        mktoId: leadId,
        outcome: 'failed',
        error,
      });
      continue;
    }
    if (existing?.Status === status) {
      // Both sides agree already, without our doing.
      out.outcomes.push({ sfId: existing.Id, mktoId: leadId, outcome: 'skipped' });
      putMemberState(out.states, existing.Id, pair.programId, leadId, marketoStatus);
    } else if (existing) updates.push({ change, id: existing.Id, status });
    else {
      const personField = change.person.sobject === 'Contact' ? 'ContactId' : 'LeadId';
      creates.push({
        change,
        status,
        fields: { CampaignId: pair.campaignId, [personField]: change.person.sfId, Status: status },
      });
    }
  }
  const record = (
    change: MemberChange,
    id: string | undefined,
    result: SaveResult,
    outcome: PackedOutcome['outcome'],
    status: string | null,
  ) => {
    const sfId = id ?? result.id ?? change.person.sfId;
    if (!result.success) {
      out.outcomes.push({ sfId, mktoId: change.leadId, outcome: 'failed', error: salesforceError(result) });
      return;
    }
    out.outcomes.push({
      sfId,
      mktoId: change.leadId,
      outcome,
      changes: [{ field: 'Status', old: change.existing?.Status ?? null, new: status }],
    });
    putMemberState(
      out.states,
      sfId,
      change.pair.programId,
      change.leadId,
      outcome === 'deleted' ? null : change.marketoStatus,
    );
  };
  if (creates.length) {
    ctx.budget.check();
    const results = await ctx.salesforce.create(
      'CampaignMember',
      creates.map((c) => c.fields),
    );
    creates.forEach((c, i) => {
      record(c.change, undefined, results[i]!, created, c.status);
    });
  }
  if (updates.length) {
    ctx.budget.check();
    const results = await ctx.salesforce.update(
      'CampaignMember',
      updates.map((u) => ({ Id: u.id, Status: u.status })),
    );
    updates.forEach((u, i) => {
      record(u.change, u.id, results[i]!, 'updated', u.status);
    });
  }
  if (deletes.length) {
    ctx.budget.check();
    const results = await ctx.salesforce.delete(deletes.map((d) => d.id));
    deletes.forEach((d, i) => {
      record(d.change, d.id, results[i]!, 'deleted', null);
    });
  }
  return out;
}

/** The current campaign members of `persons` in the pairs' campaigns, by "campaignId|personId". */
export async function membersOfPersons(
  ctx: StepContext,
  campaignIds: readonly string[],
  personIds: readonly string[],
): Promise<Map<string, MemberRow>> {
  const found = new Map<string, MemberRow>();
  const fields = await memberFields(ctx);
  for (let i = 0; i < personIds.length; i += 200) {
    const ids = idList(personIds.slice(i, i + 200));
    ctx.budget.check();
    for await (const page of ctx.salesforce.query(
      `SELECT ${fields} FROM CampaignMember WHERE CampaignId IN (${idList(campaignIds)}) AND (LeadId IN (${ids}) OR ContactId IN (${ids}))`,
      { schema: memberRowSchema },
    )) {
      for (const row of page.records) {
        if (row.LeadId) found.set(`${row.CampaignId}|${row.LeadId}`, row);
        if (row.ContactId) found.set(`${row.CampaignId}|${row.ContactId}`, row);
      }
    }
  }
  return found;
}
