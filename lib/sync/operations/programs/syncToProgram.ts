// Sync to Program (Campaign; issue 17): Marketo membership and status changes of linked programs →
// Salesforce campaign members (campaignWriter.ts). Marketo logs every membership change as a
// "Change Status in Progression" activity (104), removals too (status "Not in Program",
// docs/campaigns.md), so one read of that feed from this step's own token (`push:programs`) covers
// every program: an idle cycle costs one call here. An activity whose status both sides already
// agreed on (our own write coming back, found by program and person: pairs.ts programMemberKey) is
// dropped without a call; the members named by the others are read as they are now (the feed says
// who changed, the program what they are). Each page commits its outcomes, the members' states and
// the token after it in one transaction; a stop re-reads at most that page, and what it already
// wrote now agrees and is not written again.
// The Salesforce → Marketo half of a pair is Pull Updates Campaign Member (pullMembers.ts); each
// side's writes come back on the other side as changes that already agree, and stop there.
// A member whose person is excluded by the sync filter is not written (Excluded, memberRows.ts).
// A pair's Sync now reads the feed from the same token for that pair's program alone, and keeps
// the token where it was: the next whole cycle reads those pages again and finds them agreed.
import { loadStates, statesByMarketoId } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import { type MarketoActivity, MarketoApiError } from '../../../marketo';
import type { StepContext } from '../../context';
import { cursorKeys, parsePullCursor, parseSalesforceDate, readCursor } from '../../cursors';
import { hashText } from '../../hash';
import type { OperationModule } from '../../plan';
import { startToken } from '../pushFeed';
import { applyToCampaigns, type MemberChange, membersOfPersons } from './campaignWriter';
import { exclusionOf } from './memberRows';
import { currentStatuses } from './memberWriter';
import {
  CHANGE_PROGRAM_STATUS,
  linkedPairs,
  NOT_IN_PROGRAM,
  type Pair,
  pairSteps,
  programCursorKeys,
  programMemberKey,
  toCampaign,
} from './pairs';
import { isAfter } from './pullPosition';

export const syncToProgram: OperationModule = {
  operation: 'Sync to Program',
  steps: (scope) =>
    pairSteps(scope, () => [{ operation: 'Sync to Program', objectType: 'Campaign', sobject: 'Campaign' }]),
  async run(ctx) {
    const pairs = (await linkedPairs(ctx)).filter(toCampaign);
    // Nothing linked yet: Init Link's first load will cover what happened until then.
    if (pairs.length === 0) return;
    const byProgram = new Map(pairs.map((p) => [p.programId, p]));
    const key = programCursorKeys.feed;
    let token = await startToken(ctx, key);
    ctx.budget.check();
    for await (const page of ctx.marketo.activities.activities({
      nextPageToken: token,
      activityTypeIds: [CHANGE_PROGRAM_STATUS],
    })) {
      const changes = latestChanges(page.items, byProgram);
      const written = changes.length
        ? await apply(ctx, changes)
        : { outcomes: [], states: new Map<string, SyncState | null>() };
      await ctx.commit({ ...written, cursor: { key, value: page.nextPageToken } });
      token = page.nextPageToken;
      if (page.moreResult) ctx.budget.check();
    }
  },
};

interface FeedChange {
  pair: Pair;
  leadId: number;
  status: string;
  success: boolean;
}

const attribute = (activity: MarketoActivity, name: string) =>
  activity.attributes.find((a) => a.name === name)?.value;

/** Per program and person, the newest status on the page (the feed is in time order). */
function latestChanges(activities: readonly MarketoActivity[], byProgram: ReadonlyMap<number, Pair>) {
  const latest = new Map<string, FeedChange>();
  for (const activity of activities) {
    const pair = byProgram.get(Number(activity.primaryAttributeValueId));
    const status = attribute(activity, 'New Status');
    if (!pair || typeof status !== 'string') continue;
    latest.set(`${pair.programId}|${activity.leadId}`, {
      pair,
      leadId: activity.leadId,
      status,
      success: attribute(activity, 'Success') === true,
    });
  }
  return [...latest.values()];
}

/**
 * The feed says WHO changed; what each of them is now is read from the program (one call per
 * program and 300 persons): an activity may be older than what both sides have agreed on since —
 * a page read again after a stop, or changes the pair's first load already covered — and applying
 * its status would move a member back.
 */
/** Sets each change's status to the member's status now; returns the changes of programs that are gone. */
async function readCurrent(ctx: StepContext, changes: readonly FeedChange[]): Promise<Set<FeedChange>> {
  const gone = new Set<FeedChange>();
  const byProgram = new Map<number, FeedChange[]>();
  for (const c of changes) byProgram.set(c.pair.programId, [...(byProgram.get(c.pair.programId) ?? []), c]);
  for (const [programId, list] of byProgram) {
    let now: Map<number, string>;
    try {
      now = await currentStatuses(
        ctx,
        programId,
        list.map((c) => c.leadId),
      );
    } catch (error) {
      // 1013: the program was deleted in Marketo since the activity; nothing to bring over.
      if (!(error instanceof MarketoApiError && error.code === '1013')) throw error;
      for (const c of list) gone.add(c);
      continue;
    }
    for (const c of list) c.status = now.get(c.leadId) ?? NOT_IN_PROGRAM;
  }
  return gone;
}

async function apply(ctx: StepContext, page: FeedChange[]) {
  // Our own writes coming back (the status both sides agreed on, by program and person): nothing
  // to read or write for them. After a first load that is most of the feed.
  const agreedOn = await loadStates(
    ctx.db,
    page.map((c) => programMemberKey(c.pair.programId, c.leadId)),
  );
  const all = page.filter(
    (c) => agreedOn.get(programMemberKey(c.pair.programId, c.leadId))?.hashes.Status !== hashText(c.status),
  );
  const gone = await readCurrent(ctx, all);
  const changes = all.filter((c) => !gone.has(c));
  const linked = await statesByMarketoId(
    ctx.db,
    changes.map((c) => c.leadId),
  );
  const known = changes.filter((c) => linked.has(c.leadId));
  // A person the sync never linked to a lead or contact has no one to be a member in Salesforce
  // (Marketo's own sync would create a lead; this sync leaves creating leads to Salesforce users).
  const unknown = changes.filter((c) => !linked.has(c.leadId));
  const persons = known.map((c) => linked.get(c.leadId)!.sfId);
  const campaigns = [...new Set(known.map((c) => c.pair.campaignId))];
  const existing = persons.length ? await membersOfPersons(ctx, campaigns, persons) : new Map();
  const memberIds = [...existing.values()].map((m) => m.Id);
  const states = await loadStates(ctx.db, memberIds);
  const memberChanges: MemberChange[] = [];
  const excluded: { change: FeedChange; sfId: string; reason: string }[] = [];
  for (const c of known) {
    const person = linked.get(c.leadId)!;
    const member = existing.get(`${c.pair.campaignId}|${person.sfId}`);
    const reason = exclusionOf(ctx, member, { sobject: person.entry.sobject, state: person.entry });
    if (reason) {
      excluded.push({ change: c, sfId: member?.Id ?? person.sfId, reason });
      continue;
    }
    memberChanges.push({
      pair: c.pair,
      leadId: c.leadId,
      person: { sfId: person.sfId, sobject: person.entry.sobject },
      marketoStatus: c.status,
      success: c.success,
      ...(member && { existing: member, state: states.get(member.Id) }),
    });
  }
  // A member Salesforce changed after Pull Updates' position has a change of its own still to go
  // to Marketo (its pull was stopped or failed): that one goes first, and Marketo's answer to it
  // comes back through this feed. Writing Marketo's older status now would undo the user's edit.
  // (A pair's Sync now pulled its members without moving the position: those are not held back.)
  const pulled = parsePullCursor(await readCursor(ctx.db, cursorKeys.pull('CampaignMember')));
  const pending = (c: MemberChange) =>
    c.existing !== undefined &&
    pulled !== undefined &&
    ctx.notes.membersPulled?.get(c.existing.Id) !== c.existing.SystemModstamp &&
    isAfter({ at: parseSalesforceDate(c.existing.SystemModstamp), id: c.existing.Id }, pulled);
  const written = await applyToCampaigns(
    ctx,
    memberChanges.filter((c) => !pending(c)),
    'new',
  );
  for (const c of memberChanges.filter(pending))
    written.outcomes.push({
      sfId: c.existing!.Id,
      mktoId: c.leadId,
      outcome: 'skipped',
      reason: 'changed in Salesforce since the last pull: that change is written to Marketo first',
    });
  for (const { change, sfId, reason } of excluded)
    written.outcomes.push({ sfId, mktoId: change.leadId, outcome: 'excluded', reason });
  for (const c of gone)
    written.outcomes.push({
      sfId: c.pair.campaignId,
      mktoId: c.leadId,
      outcome: 'skipped',
      reason: `${c.pair.programName || `program ${c.pair.programId}`} was not found in Marketo (deleted?): link the campaign to another program in Options`,
    });
  for (const c of unknown)
    written.outcomes.push({
      sfId: c.pair.campaignId,
      mktoId: c.leadId,
      outcome: 'skipped',
      reason: `Marketo person ${c.leadId} is not linked to a Salesforce lead or contact: no campaign member for it`,
    });
  return written;
}
