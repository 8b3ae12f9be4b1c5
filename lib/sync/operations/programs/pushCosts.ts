// Push Updates Campaign (issue 17): what Marketo owns on a pair — the program's cost (the sum of
// its period costs) → the campaign field the admin chose (`costField`), Marketo → Salesforce only,
// as Marketo's own campaign sync sends it (api-facts E3). Marketo has no change feed for program
// costs and reading a program's costs is one call per program, so costs are checked once an hour
// (and in every manual cycle, or when the last check did not complete), not in every idle cycle
// (design §9: an idle cycle costs 3 calls or fewer). A cost equal to the one last written is
// Skipped; a campaign whose field Salesforce refuses Fails with its reason.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import { MarketoApiError } from '../../../marketo';
import { readCursor } from '../../cursors';
import { hashText } from '../../hash';
import type { OperationModule } from '../../plan';
import { salesforceError } from '../common';
import { configuredPairs, linkedPairs } from './pairs';

const CHECK_EVERY_MS = 60 * 60_000;
const CHECKED = 'push:program-costs';

export const pushCampaignCosts: OperationModule = {
  operation: 'Push Updates',
  steps: (scope) =>
    scope.record || !configuredPairs(scope.settings).some((p) => p.costField)
      ? []
      : [{ operation: 'Push Updates', objectType: 'Campaign', sobject: 'Campaign' }],
  async run(ctx) {
    const pairs = (await linkedPairs(ctx)).filter((p) => p.costField);
    if (pairs.length === 0) return;
    const last = Date.parse((await readCursor(ctx.db, CHECKED)) ?? '');
    const now = ctx.clock.now();
    const due =
      ctx.resume || ctx.notes.trigger === 'manual' || Number.isNaN(last) || now - last >= CHECK_EVERY_MS;
    if (!due) return;
    const states = await loadStates(
      ctx.db,
      pairs.map((p) => p.campaignId),
    );
    const outcomes: PackedOutcome[] = [];
    const newStates = new Map<string, SyncState | null>();
    const updates: { Id: string; field: string; cost: number; old: string | undefined }[] = [];
    for (const pair of pairs) {
      const field = pair.costField!;
      ctx.budget.check();
      let program: Awaited<ReturnType<typeof ctx.marketo.programs.get>>;
      try {
        program = await ctx.marketo.programs.get(pair.programId);
      } catch (error) {
        if (!(error instanceof MarketoApiError && error.code === '1013')) throw error;
        program = null;
      }
      if (!program) {
        outcomes.push({
          sfId: pair.campaignId,
          outcome: 'failed',
          error: {
            code: 'PROGRAM_NOT_FOUND',
            message: `${pair.programName || `Program ${pair.programId}`} was not found in Marketo (deleted?): its cost cannot reach the campaign`,
            fields: [field],
          },
        });
        continue;
      }
      const cost = Math.round((program.costs ?? []).reduce((sum, c) => sum + c.cost, 0) * 100) / 100;
      const state = states.get(pair.campaignId);
      if (state?.hashes[field] === hashText(String(cost))) {
        outcomes.push({ sfId: pair.campaignId, outcome: 'skipped' });
        continue;
      }
      updates.push({ Id: pair.campaignId, field, cost, old: state?.hashes[field] });
    }
    if (updates.length) {
      ctx.budget.check();
      const results = await ctx.salesforce.update(
        'Campaign',
        updates.map((u) => ({ Id: u.Id, [u.field]: u.cost })),
      );
      updates.forEach((u, i) => {
        const result = results[i]!;
        if (!result.success) {
          outcomes.push({ sfId: u.Id, outcome: 'failed', error: salesforceError(result) });
          return;
        }
        outcomes.push({
          sfId: u.Id,
          outcome: 'updated',
          changes: [{ field: u.field, old: null, new: u.cost }],
        });
        const before = states.get(u.Id);
        newStates.set(u.Id, {
          sobject: 'Campaign',
          ...before,
          hashes: { ...before?.hashes, [u.field]: hashText(String(u.cost)) },
        });
      });
    }
    await ctx.commit({
      outcomes,
      states: newStates,
      extraCursors: [{ key: CHECKED, value: new Date(now).toISOString() }],
    });
  },
};
