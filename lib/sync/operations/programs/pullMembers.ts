// Pull Updates Campaign Member (issue 17): campaign members of linked pairs changed in Salesforce
// → program members in Marketo (memberWriter.ts). Same cursor discipline as the person pull
// (docs/engine-cursors.md): `pull:CampaignMember` is a (SystemModstamp, Id) position, rows are read
// in that order and each batch of 300 commits its outcomes, states and the position of its last row
// in one transaction, so a stop resumes after the last committed batch. The read starts a lookback
// window (LOOKBACK_MS) behind the position: a member whose transaction committed late carries an
// earlier SystemModstamp than rows already read. Rows behind the position that both sides already
// agree on were handled when first read and are not logged again; the position never moves back.
// The first run only sets the position: Init Link to Program loads each pair's existing members.
// A changed pair (a new one, or relinked to another program) is loaded by Init Link too, so rows
// of pairs not yet loaded are left to it. Members queued because their person was not in Marketo
// yet (or excluded), and failed ones whose retry is due, are read again by id first.
// A pair's Sync now (a one-record cycle on its campaign) reads that pair's members the same way,
// retries its queued and failed members at once, and moves no position (pairSync.ts).
import { pendingFailures } from '../../../db/recordFlags';
import type { PackedOutcome } from '../../../db/types';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import {
  formatPullCursor,
  LOOKBACK_MS,
  type PullPosition,
  parseSalesforceDate,
  settledPosition,
  soqlDateTime,
} from '../../cursors';
import type { OperationModule } from '../../plan';
import { retriesToRun } from '../../retryPause';
import { chunks, readAhead, stepsFor } from '../common';
import { queueAfter, queuedMembers } from './memberQueue';
import { type MemberRow, memberFields, memberRowSchema } from './memberRows';
import { writeMembers } from './memberWriter';
import { idList, linkedPairs, type Pair, pairSteps, toProgram } from './pairs';
import { isAfter, pullPositionOrStart, secondOf } from './pullPosition';

const BATCH = 300;

export const pullCampaignMembers: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) => pairSteps(scope, (whole) => stepsFor('Pull Updates', whole, ['CampaignMember'])),
  async run(ctx) {
    // First run: every existing member is Init Link to Program's initial load.
    const start = await pullPositionOrStart(ctx, 'CampaignMember');
    if (!start) return;
    const { key, cursor } = start;
    // Pairs that sync Marketo → Salesforce only have nothing to pull.
    const pairs = new Map((await linkedPairs(ctx)).filter(toProgram).map((p) => [p.campaignId, p]));
    if (pairs.size === 0) return;
    const retried = await retryOwed(ctx, pairs);
    if (!(await salesforceChanged(ctx, 'CampaignMember'))) return;
    const readStartedAt = ctx.clock.now();
    const fields = await memberFields(ctx);
    const soql = `SELECT ${fields} FROM CampaignMember WHERE CampaignId IN (${idList([...pairs.keys()])}) AND SystemModstamp > ${soqlDateTime(cursor.at - LOOKBACK_MS)} ORDER BY SystemModstamp, Id`;
    let ahead = 0;
    const pages = readAhead(ctx.salesforce.query(soql, { schema: memberRowSchema }), () =>
      ctx.budget.check(),
    );
    for await (const page of pages) {
      for (const rows of chunks(page.records, BATCH)) {
        // Behind the position: read before, unless it committed late. Its own queue and retries
        // take the members already waiting there; the rest are written when not agreed yet.
        const behind = rows.filter((r) => !isAfter(positionOf(r), cursor));
        ahead += rows.length - behind.length;
        const waiting = await waitingElsewhere(ctx, behind);
        // Written (or queued again) by the retry just now, as it is still: not handled twice.
        const done = (r: MemberRow) => retried.get(r.Id) === (r.SystemModstamp ?? '');
        const last = positionOf(rows.at(-1)!);
        const moved = isAfter(last, cursor);
        notePulled(ctx, rows);
        await writeAndCommit(
          ctx,
          rows.filter((r) => !waiting.has(r.Id) && !done(r)),
          pairs,
          moved ? { key, value: formatPullCursor(settledPosition(last, readStartedAt)) } : undefined,
          new Set(behind.map((r) => r.Id)),
        );
      }
    }
    // Nothing after the position: it moves up to the second before the read (none of that second is
    // known to be applied, so the next read starts at it: SystemModstamp >= that second).
    if (ahead === 0 && secondOf(readStartedAt) - 1000 > cursor.at)
      await ctx.commit({
        outcomes: [],
        cursor: { key, value: formatPullCursor({ at: secondOf(readStartedAt) - 1000 }) },
      });
  },
};

const positionOf = (row: MemberRow): PullPosition => ({
  at: parseSalesforceDate(row.SystemModstamp),
  id: row.Id,
});

/**
 * A pair's Sync now moves no position: it tells Sync to Program which members it pulled (as of
 * which SystemModstamp), so that their Marketo side is not held back as "still to pull".
 */
function notePulled(ctx: StepContext, rows: readonly MemberRow[]) {
  if (!ctx.record) return;
  ctx.notes.membersPulled ??= new Map();
  for (const row of rows) ctx.notes.membersPulled.set(row.Id, row.SystemModstamp ?? '');
}

/** Of members read again behind the position, those the queue or a pending retry already holds. */
async function waitingElsewhere(ctx: StepContext, rows: readonly MemberRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const queue = new Set(await queuedMembers(ctx));
  const flags = await ctx.db.records.bulkGet(rows.map((r) => r.Id));
  return new Set(
    rows
      .filter((r, i) => queue.has(r.Id) || Object.keys(pendingFailures(flags[i])).length > 0)
      .map((r) => r.Id),
  );
}

async function writeAndCommit(
  ctx: StepContext,
  rows: readonly MemberRow[],
  pairs: ReadonlyMap<string, Pair>,
  cursor?: { key: string; value: string },
  quiet: ReadonlySet<string> = new Set(),
  extraOutcomes: PackedOutcome[] = [],
  gone: readonly string[] = [],
) {
  const written = await writeMembers(ctx, rows, pairs, 'new', quiet);
  // The queue changes in the same transaction as the outcomes: a written (or gone) member leaves
  // it, one whose person is still missing (or excluded) joins it.
  const queue = await queueAfter(ctx, [...rows.map((r) => r.Id), ...gone], written.queued);
  await ctx.commit({
    outcomes: [...written.outcomes, ...extraOutcomes],
    states: written.states,
    ...(cursor && { cursor }),
    keptCursors: [queue],
  });
}

/**
 * Queued members (when persons changed this cycle: one of them may now be in Marketo) and members
 * whose failure's retry is due, read again by id and written. A pair's Sync now takes its own
 * queued and failed members, all of them, now. Returns the members read, with their SystemModstamp.
 */
async function retryOwed(ctx: StepContext, pairs: ReadonlyMap<string, Pair>): Promise<Map<string, string>> {
  const retried = new Map<string, string>();
  const now = ctx.clock.now();
  const waiting = await queuedMembers(ctx);
  const personsChanged =
    ctx.record !== undefined ||
    (waiting.length > 0 &&
      ((await salesforceChanged(ctx, 'Lead')) || (await salesforceChanged(ctx, 'Contact'))));
  const due = ctx.record
    ? (await failedMembers(ctx)).map((r) => r.sfId)
    : (await retriesToRun(ctx, 'Pull Updates', now, (r) => r.objectType === 'Campaign Member')).map(
        (r) => r.sfId,
      );
  const ids = [...new Set([...(personsChanged ? waiting : []), ...due])];
  const fields = ids.length ? await memberFields(ctx) : '';
  // Sync now of a pair reads its own members among them; the others are other pairs' to settle.
  const ofPairs = ctx.record ? ` AND CampaignId IN (${idList([...pairs.keys()])})` : '';
  for (const batch of chunks(ids, 200)) {
    ctx.budget.check();
    const rows: MemberRow[] = [];
    for await (const page of ctx.salesforce.query(
      `SELECT ${fields} FROM CampaignMember WHERE Id IN (${idList(batch)})${ofPairs}`,
      { schema: memberRowSchema },
    ))
      rows.push(...page.records);
    const found = new Map(rows.map((r) => [r.Id, r]));
    // Gone (deleted, its campaign unlinked, hidden from the sync user): out of the queue and retries.
    const gone = ctx.record
      ? []
      : batch.filter((id) => !found.has(id) || !pairs.has(found.get(id)!.CampaignId));
    const goneOutcomes: PackedOutcome[] = gone
      .filter((id) => due.includes(id))
      .map((sfId) => ({ sfId, outcome: 'excluded', reason: 'no longer a member of a linked campaign' }));
    const live = rows.filter((r) => pairs.has(r.CampaignId));
    notePulled(ctx, live);
    for (const row of live) retried.set(row.Id, row.SystemModstamp ?? '');
    if (live.length || gone.length)
      await writeAndCommit(ctx, live, pairs, undefined, undefined, goneOutcomes, gone);
  }
  return retried;
}

/** Campaign members whose write to Marketo failed (a pair's Sync now retries them at once). */
async function failedMembers(ctx: StepContext) {
  const rows = await ctx.db.records.where('state').equals('failed').toArray();
  return rows.filter((r) => {
    const pending = pendingFailures(r);
    return (
      r.objectType === 'Campaign Member' &&
      (pending['Pull Updates'] !== undefined || pending['Init Link to Program'] !== undefined)
    );
  });
}
