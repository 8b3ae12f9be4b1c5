// Init Link to Program (Campaign; issue 17): the first load of each campaign ⇄ program pair the
// admin configured (settings programPairs), and again when a campaign is relinked to another
// program. Both sides are read in full — the campaign's members (SOQL) and the program's members
// with their statuses (Get Leads by Program) — and made to agree:
// - a member on both sides at the same status: Skipped (its sync state is recorded);
// - at different statuses: the later one in the channel's progression wins (statuses move forward);
// - only in Salesforce: added to the program (memberWriter.ts); only in Marketo: added to the
//   campaign (campaignWriter.ts), each as the pair's direction allows.
// Everything written counts Updated (the seed dashboard's counter for this operation), and so does
// the campaign itself once its pair is loaded. The pair is marked loaded (`link:<campaignId>` =
// program id) in the last commit; a stop before it loads the pair again, and what was written by
// then agrees and is skipped, so nothing is written twice.
// A member whose person is excluded by the sync filter is Excluded and queued (memberRows.ts,
// memberQueue.ts), and so is one whose person is not in Marketo yet: Pull Updates writes it once
// the person is there. A pair's Sync now loads its pair when it is not loaded yet.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import { MarketoApiError } from '../../../marketo';
import type { StepContext } from '../../context';
import { readCursor } from '../../cursors';
import type { OperationModule } from '../../plan';
import { chunks } from '../common';
import { applyToCampaigns, type MemberChange } from './campaignWriter';
import { loadMarketoOnly } from './initLinkMarketo';
import { queueAfter } from './memberQueue';
import { exclusionOf, type MemberRow, memberFields, memberRowSchema, personOf } from './memberRows';
import { writeMembers } from './memberWriter';
import {
  cyclePairs,
  marketoStatusOf,
  type Pair,
  pairSteps,
  programCursorKeys,
  putMemberState,
  toCampaign,
  toProgram,
} from './pairs';

const BATCH = 300;

export const initLinkToProgram: OperationModule = {
  operation: 'Init Link to Program',
  steps: (scope) =>
    pairSteps(scope, () => [
      { operation: 'Init Link to Program', objectType: 'Campaign', sobject: 'Campaign' },
    ]),
  async run(ctx) {
    const pending: { pair: Pair; previous: string | undefined }[] = [];
    for (const pair of cyclePairs(ctx)) {
      const previous = await readCursor(ctx.db, programCursorKeys.link(pair.campaignId));
      if (previous !== String(pair.programId)) pending.push({ pair, previous });
    }
    for (const { pair, previous } of pending) await loadPair(ctx, pair, previous);
  },
};

function pairFailure(pair: Pair, code: string, what: string): PackedOutcome {
  return {
    sfId: pair.campaignId,
    ...(pair.campaignName && { name: pair.campaignName }),
    outcome: 'failed',
    error: {
      code,
      message: `Campaign ${pair.campaignName || pair.campaignId} cannot be linked to ${pair.programName || `program ${pair.programId}`}: the ${code === 'CAMPAIGN_NOT_FOUND' ? 'campaign' : 'program'} ${what}. Link another one, or remove the pair, in Options → Campaigns ⇄ Programs`,
      fields: [],
    },
  };
}

/** Program members by Marketo person id → status; undefined when the program is gone. */
async function programMembers(ctx: StepContext, pair: Pair): Promise<Map<number, string> | undefined> {
  const members = new Map<number, string>();
  try {
    ctx.budget.check();
    for await (const page of ctx.marketo.programs.leadsByProgram(pair.programId)) {
      for (const lead of page) members.set(lead.id, lead.membership.progressionStatus);
      ctx.budget.check();
    }
  } catch (error) {
    if (error instanceof MarketoApiError && error.code === '1013') return undefined;
    throw error;
  }
  return members;
}

/** Whether the campaign is there (asked only when it has no members: members prove it is). */
async function campaignExists(ctx: StepContext, pair: Pair): Promise<boolean> {
  ctx.budget.check();
  for await (const page of ctx.salesforce.query(`SELECT Id FROM Campaign WHERE Id = '${pair.campaignId}'`))
    if (page.records.length > 0) return true;
  return false;
}

async function loadPair(ctx: StepContext, pair: Pair, previous: string | undefined) {
  const rows: MemberRow[] = [];
  const fields = await memberFields(ctx);
  ctx.budget.check();
  for await (const page of ctx.salesforce.query(
    `SELECT ${fields} FROM CampaignMember WHERE CampaignId = '${pair.campaignId}' ORDER BY Id`,
    { schema: memberRowSchema },
  ))
    rows.push(...page.records);
  if (rows.length === 0 && !(await campaignExists(ctx, pair))) {
    await ctx.commit({
      outcomes: [
        pairFailure(pair, 'CAMPAIGN_NOT_FOUND', 'was deleted in Salesforce or is hidden from the sync user'),
      ],
    });
    return;
  }
  const inProgram = await programMembers(ctx, pair);
  if (!inProgram) {
    await ctx.commit({
      outcomes: [pairFailure(pair, 'PROGRAM_NOT_FOUND', 'was not found in Marketo (deleted?)')],
    });
    return;
  }
  const pairs = new Map([[pair.campaignId, pair]]);
  const rank = (status: string | undefined) =>
    status === undefined ? -1 : pair.programStatuses.indexOf(status);
  const persons = await loadStates(
    ctx.db,
    rows.flatMap((r) => personOf(r) ?? []),
  );
  const seen = new Set<number>();
  for (const batch of chunks(rows, BATCH)) {
    const outcomes: PackedOutcome[] = [];
    const states = new Map<string, SyncState | null>();
    const toWrite: MemberRow[] = [];
    const marketoAhead: MemberChange[] = [];
    const queued: string[] = [];
    for (const row of batch) {
      const personState = persons.get(personOf(row) ?? '');
      const leadId = personState?.marketoId;
      const wanted = marketoStatusOf(pair, row.Status ?? '');
      const current = leadId === undefined ? undefined : inProgram.get(leadId);
      if (leadId !== undefined) seen.add(leadId);
      const sobject = row.ContactId ? 'Contact' : 'Lead';
      const excluded = exclusionOf(ctx, row, { sobject, state: personState });
      if (excluded) {
        // Not written either way; Pull Updates writes it from the queue once the person is not excluded.
        outcomes.push({
          sfId: row.Id,
          ...(leadId !== undefined && { mktoId: leadId }),
          outcome: 'excluded',
          reason: excluded,
        });
        if (toProgram(pair)) queued.push(row.Id);
      } else if (leadId !== undefined && wanted !== undefined && current === wanted) {
        outcomes.push({ sfId: row.Id, mktoId: leadId, outcome: 'skipped' });
        putMemberState(states, row.Id, pair.programId, leadId, wanted);
      } else if (
        leadId !== undefined &&
        current !== undefined &&
        rank(current) > rank(wanted) &&
        toCampaign(pair)
      ) {
        marketoAhead.push({
          pair,
          leadId,
          person: { sfId: personOf(row)!, sobject },
          marketoStatus: current,
          success: false,
          existing: row,
        });
      } else if (toProgram(pair)) toWrite.push(row);
      else
        outcomes.push({
          sfId: row.Id,
          outcome: 'skipped',
          reason: 'the pair syncs Marketo → Salesforce only',
        });
    }
    const written = await writeMembers(ctx, toWrite, pairs, 'updated');
    const updated = marketoAhead.length ? await applyToCampaigns(ctx, marketoAhead, 'updated') : undefined;
    await ctx.commit({
      outcomes: [...outcomes, ...written.outcomes, ...(updated?.outcomes ?? [])],
      states: new Map([...states, ...written.states, ...(updated?.states ?? [])]),
      ...(queued.length + written.queued.length > 0 && {
        keptCursors: [await queueAfter(ctx, [], [...queued, ...written.queued])],
      }),
    });
  }
  if (toCampaign(pair)) await loadMarketoOnly(ctx, pair, inProgram, seen);
  // The pair is loaded: from now on Pull Updates and Sync to Program keep it in step.
  await ctx.commit({
    outcomes: [
      {
        sfId: pair.campaignId,
        ...(pair.campaignName && { name: pair.campaignName }),
        outcome: 'updated',
        changes: [{ field: 'Program', old: previous ? Number(previous) : null, new: pair.programId }],
      },
    ],
    keptCursors: [{ key: programCursorKeys.link(pair.campaignId), value: String(pair.programId) }],
  });
}
