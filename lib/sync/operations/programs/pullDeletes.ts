// Pull Deletes for Campaign and Campaign Member (issue 17), from Salesforce's `deleted/` feed like
// the persons' (pullDeletes.ts: cursor `deleted:<Object>`, first run only sets it, skipped when the
// change probe saw no deletion after it):
// - a deleted campaign that was linked: its pair stops (the `link:` row goes, in the same
//   transaction as the outcome) — Marketo keeps the program and its members, as its own sync does;
//   the pair is not loaded again until the admin links the campaign anew;
// - a deleted campaign member of a linked pair: the person leaves the program (as the pair's
//   direction allows). The member's sync state says which program and person (pairs.ts), since a
//   deleted row cannot be read. A member never synced is Skipped.
// A campaign's deletion deletes its members too; those of a pair stopped this way are Skipped.
// A pair's Sync now reads the member deletions for its own program alone: other members' deletions
// are left to the next whole cycle, which reads them from the same cursor (not moved by it).
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import { MARKETO_BATCH, MarketoApiError } from '../../../marketo';
import type { StepContext } from '../../context';
import type { OperationModule } from '../../plan';
import { chunks, marketoError, stepsFor } from '../common';
import { deletionsToRead } from '../pullDeletes';
import { linkedPairs, memberTarget, pairSteps, programCursorKeys, putMemberState, toProgram } from './pairs';

export const pullCampaignDeletes: OperationModule = {
  operation: 'Pull Deletes',
  steps: (scope) =>
    pairSteps(scope, (whole) =>
      // A pair's Sync now: its members only (its campaign's deletion is the whole cycle's).
      stepsFor('Pull Deletes', whole, scope.record ? ['CampaignMember'] : ['Campaign', 'CampaignMember']),
    ),
  async run(ctx) {
    const { sobject } = ctx.step;
    const start = await deletionsToRead(ctx, sobject);
    if (!start) return;
    const { key, cursor } = start;
    for await (const window of ctx.salesforce.deleted(sobject, { start: new Date(cursor) })) {
      const covered = window.latestDateCovered.toISOString();
      // A gap (deletions older than the feed keeps): members are re-checked when they next change;
      // a linked campaign that is gone fails Init Link's check when it is linked again.
      if (window.gap) ctx.log(`Pull Deletes ${sobject}: deletions since ${cursor} are no longer available`);
      const ids = window.gap ? [] : window.deletedRecords.map((d) => d.id);
      const batches = chunks(ids, MARKETO_BATCH);
      if (batches.length === 0) await ctx.commit({ outcomes: [], cursor: { key, value: covered } });
      for (const [i, batch] of batches.entries()) {
        ctx.budget.check();
        const last = i === batches.length - 1 ? { key, value: covered } : undefined;
        if (sobject === 'Campaign') await campaignsDeleted(ctx, batch, last);
        else await membersDeleted(ctx, batch, last);
      }
    }
  },
};

async function campaignsDeleted(ctx: StepContext, ids: string[], cursor?: { key: string; value: string }) {
  const linked = new Map((await linkedPairs(ctx)).map((p) => [p.campaignId, p]));
  const outcomes: PackedOutcome[] = [];
  const unlinked: { key: string; value: null }[] = [];
  for (const id of ids) {
    const pair = linked.get(id);
    if (!pair) {
      outcomes.push({ sfId: id, outcome: 'skipped' });
      continue;
    }
    outcomes.push({
      sfId: id,
      ...(pair.campaignName && { name: pair.campaignName }),
      outcome: 'deleted',
      reason: `${pair.programName || `program ${pair.programId}`} keeps its members; its pair no longer syncs`,
      changes: [{ field: 'Program', old: pair.programId, new: null }],
    });
    unlinked.push({ key: programCursorKeys.link(id), value: null });
  }
  await ctx.commit({ outcomes, ...(cursor && { cursor }), extraCursors: unlinked });
}

async function membersDeleted(ctx: StepContext, ids: string[], cursor?: { key: string; value: string }) {
  const byProgram = new Map((await linkedPairs(ctx)).filter(toProgram).map((p) => [p.programId, p]));
  const states = await loadStates(ctx.db, ids);
  const outcomes: PackedOutcome[] = [];
  const newStates = new Map<string, SyncState | null>();
  const removals = new Map<number, { sfId: string; leadId: number }[]>();
  for (const id of ids) {
    const target = memberTarget(states.get(id));
    // Sync now of a pair: another pair's (or no pair's) deletion is not its to log.
    if (ctx.record && (!target || !byProgram.has(target.programId))) continue;
    if (!target || !byProgram.has(target.programId)) {
      outcomes.push({ sfId: id, outcome: 'skipped' });
      if (target) putMemberState(newStates, id, target.programId, target.leadId, null);
      continue;
    }
    if (!removals.has(target.programId)) removals.set(target.programId, []);
    removals.get(target.programId)!.push({ sfId: id, leadId: target.leadId });
  }
  for (const [programId, members] of removals) {
    ctx.budget.check();
    let results: Awaited<ReturnType<typeof ctx.marketo.programs.removeMembers>>;
    try {
      results = await ctx.marketo.programs.removeMembers(
        programId,
        members.map((m) => m.leadId),
      );
    } catch (error) {
      // The program is gone: so is the membership.
      if (!(error instanceof MarketoApiError && error.code === '1013')) throw error;
      results = members.map(() => ({ status: 'deleted', reasons: [] }) as (typeof results)[number]);
    }
    members.forEach((m, i) => {
      const result = results[i]!;
      // 1037 "Lead not in program": already removed (by a Marketo user, or our own earlier try).
      if (result.status === 'deleted' || result.reasons[0]?.code === '1037') {
        outcomes.push({ sfId: m.sfId, mktoId: m.leadId, outcome: 'deleted' });
        putMemberState(newStates, m.sfId, programId, m.leadId, null);
      } else
        outcomes.push({ sfId: m.sfId, mktoId: m.leadId, outcome: 'failed', error: marketoError(result) });
    });
  }
  await ctx.commit({ outcomes, states: newStates, ...(cursor && { cursor }) });
}
