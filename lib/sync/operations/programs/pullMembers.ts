// Pull Updates Campaign Member (issue 17): campaign members of linked pairs changed in Salesforce
// → program members in Marketo (memberWriter.ts). Same cursor discipline as the person pull
// (docs/engine-cursors.md): `pull:CampaignMember` is a (SystemModstamp, Id) position, rows are read
// in that order and each batch of 300 commits its outcomes, states and the position of its last row
// in one transaction, so a stop resumes after the last committed batch. The first run only sets the
// position: Init Link to Program loads each pair's existing members. A changed pair (a new one,
// or relinked to another program) is loaded by Init Link too, so rows of pairs not yet loaded are
// left to it. No lookback window: members the pull missed because their transaction committed
// late are written by their next change. Members queued because their person was not in Marketo
// yet, and failed ones whose retry is due, are read again by id first.
import type { PackedOutcome } from '../../../db/types';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import {
  afterPosition,
  formatPullCursor,
  parseSalesforceDate,
  readCursor,
  settledPosition,
} from '../../cursors';
import type { OperationModule } from '../../plan';
import { retriesToRun } from '../../retryPause';
import { chunks, readAhead, stepsFor } from '../common';
import { MEMBER_FIELDS, type MemberRow, memberRowSchema, writeMembers } from './memberWriter';
import { configuredPairs, idList, linkedPairs, type Pair, programCursorKeys, toProgram } from './pairs';
import { pullPositionOrStart, secondOf } from './pullPosition';

const BATCH = 300;

export const pullCampaignMembers: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) =>
    scope.record || configuredPairs(scope.settings).length === 0
      ? []
      : stepsFor('Pull Updates', scope, ['CampaignMember']),
  async run(ctx) {
    // First run: every existing member is Init Link to Program's initial load.
    const start = await pullPositionOrStart(ctx, 'CampaignMember');
    if (!start) return;
    const { key, cursor } = start;
    // Pairs that sync Marketo → Salesforce only have nothing to pull.
    const pairs = new Map((await linkedPairs(ctx)).filter(toProgram).map((p) => [p.campaignId, p]));
    if (pairs.size === 0) return;
    await retryOwed(ctx, pairs);
    if (!(await salesforceChanged(ctx, 'CampaignMember'))) return;
    const readStartedAt = ctx.clock.now();
    const soql = `SELECT ${MEMBER_FIELDS} FROM CampaignMember WHERE CampaignId IN (${idList([...pairs.keys()])}) AND ${afterPosition(cursor)} ORDER BY SystemModstamp, Id`;
    let read = 0;
    const pages = readAhead(ctx.salesforce.query(soql, { schema: memberRowSchema }), () =>
      ctx.budget.check(),
    );
    for await (const page of pages) {
      for (const rows of chunks(page.records, BATCH)) {
        read += rows.length;
        const last = rows.at(-1)!;
        const position = { at: parseSalesforceDate(last.SystemModstamp), id: last.Id };
        await writeAndCommit(ctx, rows, pairs, {
          key,
          value: formatPullCursor(settledPosition(position, readStartedAt)),
        });
      }
    }
    // Nothing after the position: it moves up to the second before the read (none of that second is
    // known to be applied, so the next read starts at it: SystemModstamp >= that second).
    if (read === 0 && secondOf(readStartedAt) - 1000 > cursor.at)
      await ctx.commit({
        outcomes: [],
        cursor: { key, value: formatPullCursor({ at: secondOf(readStartedAt) - 1000 }) },
      });
  },
};

/** The queue of members waiting for their person, as stored. */
async function queued(ctx: StepContext): Promise<string[]> {
  const stored = await readCursor(ctx.db, programCursorKeys.queue);
  const parsed: unknown = stored ? JSON.parse(stored) : [];
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
}

async function writeAndCommit(
  ctx: StepContext,
  rows: readonly MemberRow[],
  pairs: ReadonlyMap<string, Pair>,
  cursor?: { key: string; value: string },
  extraOutcomes: PackedOutcome[] = [],
  gone: readonly string[] = [],
) {
  const written = await writeMembers(ctx, rows, pairs, 'new');
  // The queue changes in the same transaction as the outcomes: a written (or gone) member leaves
  // it, one whose person is still missing joins it.
  const handled = new Set([...rows.map((r) => r.Id), ...gone]);
  const queue = [...(await queued(ctx)).filter((id) => !handled.has(id)), ...written.queued];
  await ctx.commit({
    outcomes: [...written.outcomes, ...extraOutcomes],
    states: written.states,
    ...(cursor && { cursor }),
    extraCursors: [{ key: programCursorKeys.queue, value: queue.length ? JSON.stringify(queue) : null }],
  });
}

/**
 * Queued members (when persons changed this cycle: one of them may now be in Marketo) and members
 * whose failure's retry is due, read again by id and written.
 */
async function retryOwed(ctx: StepContext, pairs: ReadonlyMap<string, Pair>) {
  const now = ctx.clock.now();
  const waiting = await queued(ctx);
  const personsChanged =
    waiting.length > 0 &&
    ((await salesforceChanged(ctx, 'Lead')) || (await salesforceChanged(ctx, 'Contact')));
  const due = (await retriesToRun(ctx, 'Pull Updates', now, (r) => r.objectType === 'Campaign Member')).map(
    (r) => r.sfId,
  );
  const ids = [...new Set([...(personsChanged ? waiting : []), ...due])];
  for (const batch of chunks(ids, 200)) {
    ctx.budget.check();
    const rows: MemberRow[] = [];
    for await (const page of ctx.salesforce.query(
      `SELECT ${MEMBER_FIELDS} FROM CampaignMember WHERE Id IN (${idList(batch)})`,
      { schema: memberRowSchema },
    ))
      rows.push(...page.records);
    const found = new Set(rows.map((r) => r.Id));
    // Gone (deleted, its campaign unlinked, hidden from the sync user): out of the queue and retries.
    const gone = batch.filter(
      (id) => !found.has(id) || !pairs.has(rows.find((r) => r.Id === id)!.CampaignId),
    );
    const goneOutcomes: PackedOutcome[] = gone
      .filter((id) => due.includes(id))
      .map((sfId) => ({ sfId, outcome: 'excluded', reason: 'no longer a member of a linked campaign' }));
    const live = rows.filter((r) => pairs.has(r.CampaignId));
    await writeAndCommit(ctx, live, pairs, undefined, goneOutcomes, gone);
  }
}
