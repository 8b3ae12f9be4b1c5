// Pull Updates Campaign (issue 17): linked campaigns changed in Salesforce. Nothing of a campaign
// is written to its program — Marketo's REST API cannot rename a program's link, and Marketo's own
// sync sends program → campaign only (api-facts E3) — but a changed campaign is where a member
// status added or renamed shows: each of the campaign's statuses must map to a program status
// (pairs.ts), else its members cannot reach Marketo. Such a campaign is Failed naming the statuses
// and what to do; one whose statuses all map is Skipped. The cursor `pull:Campaign` is a
// (SystemModstamp, Id) position like the other pulls (docs/engine-cursors.md), which also lets the
// change probe skip this step and Pull Deletes Campaign in an idle cycle.
import type { PackedOutcome } from '../../../db/types';
import { salesforceChanged } from '../../changes';
import { afterPosition, formatPullCursor, parseSalesforceDate, settledPosition } from '../../cursors';
import type { OperationModule } from '../../plan';
import { stepsFor } from '../common';
import { statusLabels } from './campaignWriter';
import { configuredPairs, idList, linkedPairs, marketoStatusOf, toProgram } from './pairs';
import { pullPositionOrStart, secondOf } from './pullPosition';

export const pullCampaigns: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) =>
    scope.record || configuredPairs(scope.settings).length === 0
      ? []
      : stepsFor('Pull Updates', scope, ['Campaign']),
  async run(ctx) {
    // First run: Init Link to Program checks each campaign when it loads its pair.
    const start = await pullPositionOrStart(ctx, 'Campaign');
    if (!start) return;
    const { key, cursor } = start;
    const pairs = new Map((await linkedPairs(ctx)).map((p) => [p.campaignId, p]));
    if (pairs.size === 0 || !(await salesforceChanged(ctx, 'Campaign'))) return;
    const readStartedAt = ctx.clock.now();
    ctx.budget.check();
    const rows: { Id: string; Name: string; SystemModstamp: string }[] = [];
    for await (const page of ctx.salesforce.query(
      `SELECT Id, Name, SystemModstamp FROM Campaign WHERE Id IN (${idList([...pairs.keys()])}) AND ${afterPosition(cursor)} ORDER BY SystemModstamp, Id`,
    ))
      for (const r of page.records)
        rows.push({ Id: String(r.Id), Name: String(r.Name ?? ''), SystemModstamp: String(r.SystemModstamp) });
    if (rows.length === 0) {
      if (secondOf(readStartedAt) - 1000 > cursor.at)
        await ctx.commit({
          outcomes: [],
          cursor: { key, value: formatPullCursor({ at: secondOf(readStartedAt) - 1000 }) },
        });
      return;
    }
    const labels = await statusLabels(
      ctx,
      rows.map((r) => r.Id),
    );
    const outcomes: PackedOutcome[] = rows.map((row) => {
      const pair = pairs.get(row.Id)!;
      const unmapped = toProgram(pair)
        ? (labels.get(row.Id) ?? []).filter((label) => !marketoStatusOf(pair, label))
        : [];
      if (unmapped.length === 0) return { sfId: row.Id, name: row.Name, outcome: 'skipped' };
      return {
        sfId: row.Id,
        name: row.Name,
        outcome: 'failed',
        error: {
          code: 'STATUS_NOT_MAPPED',
          message: `Member status ${unmapped.map((l) => `"${l}"`).join(', ')} of this campaign ${unmapped.length > 1 ? 'have' : 'has'} no status in ${pair.programName || `program ${pair.programId}`}: map ${unmapped.length > 1 ? 'them' : 'it'} in Options → Campaigns ⇄ Programs`,
          fields: ['Status'],
        },
      };
    });
    const last = rows.at(-1)!;
    const position = { at: parseSalesforceDate(last.SystemModstamp), id: last.Id };
    await ctx.commit({
      outcomes,
      cursor: { key, value: formatPullCursor(settledPosition(position, readStartedAt)) },
    });
  },
};
