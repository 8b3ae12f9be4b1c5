// Pull Deletes for Opportunity Contact Role and Opportunity (issue 19), from Salesforce's
// `deleted/` feed like the persons' (pullDeletes.ts deletionsToRead: cursor `deleted:<Object>`,
// first run only sets it, skipped when the probe saw no deletion after it). Roles go first (the
// whitepaper's order: Marketo refuses deleting an opportunity that still has roles, 1022). A role's
// own deletion never shows as IsDeleted (api-facts E1): only this feed lists it, so the probe asks
// the feed for roles (changes.ts). The Marketo record is found by the state's marketoGUID; one
// never synced is Skipped; one Marketo no longer has (1013) counts as deleted. An opportunity still
// holding roles Marketo knows (written by another integration, or roles whose deletion is still
// to come) has them deleted first, then is deleted again.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import type { MarketoRecordOutcome } from '../../../marketo';
import type { StepContext } from '../../context';
import type { OperationModule } from '../../plan';
import { chunks } from '../common';
import { deletionsToRead } from '../pullDeletes';
import { failure, throwIfCrmRefused } from './crm';
import { RoleIndex } from './roleIndex';
import { objectSteps } from './steps';

export const pullSalesDeletes: OperationModule = {
  operation: 'Pull Deletes',
  steps: (scope) => objectSteps('Pull Deletes', scope, ['OpportunityContactRole', 'Opportunity']),
  async run(ctx) {
    const { sobject } = ctx.step;
    const start = await deletionsToRead(ctx, sobject);
    if (!start) return;
    const { key, cursor } = start;
    for await (const window of ctx.salesforce.deleted(sobject, { start: new Date(cursor) })) {
      const covered = { key, value: window.latestDateCovered.toISOString() };
      if (window.gap) ctx.log(`Pull Deletes ${sobject}: deletions since ${cursor} are no longer available`);
      const ids = window.gap ? [] : window.deletedRecords.map((d) => d.id);
      const batches = chunks(ids, 300);
      if (batches.length === 0) await ctx.commit({ outcomes: [], cursor: covered });
      for (const [i, batch] of batches.entries())
        await deleteBatch(ctx, batch, i === batches.length - 1 ? covered : undefined);
    }
  },
};

const deleted = (r: MarketoRecordOutcome) => r.status === 'deleted' || r.reasons[0]?.code === '1013';

async function deleteBatch(ctx: StepContext, ids: string[], cursor?: { key: string; value: string }) {
  const states = await loadStates(ctx.db, ids);
  const outcomes: PackedOutcome[] = [];
  const newStates = new Map<string, SyncState | null>();
  const targets = ids.filter((id) => states.get(id)?.hashes['@guid']);
  for (const id of ids) if (!targets.includes(id)) outcomes.push({ sfId: id, outcome: 'skipped' });
  if (targets.length) {
    ctx.budget.check();
    const roles = ctx.step.sobject === 'OpportunityContactRole';
    const object = roles ? ctx.marketo.opportunityRoles : ctx.marketo.opportunities;
    const input = targets.map((id) => ({ marketoGUID: states.get(id)!.hashes['@guid'] }));
    let results = await object.delete({ deleteBy: 'idField', input });
    throwIfCrmRefused(results, `POST /rest/v1/${object.path}/delete.json`);
    const inUse = targets.filter((_, i) => results[i]!.reasons[0]?.code === '1022');
    if (!roles && inUse.length) results = await deleteWithRoles(ctx, targets, inUse, results);
    // A deleted role leaves its contact's list (roleIndex.ts).
    const index = new RoleIndex(ctx);
    if (roles) await index.load(targets.map((id) => states.get(id)!.hashes['@contact'] ?? ''));
    const listsChanged = new Set<string>();
    targets.forEach((id, i) => {
      const result = results[i]!;
      if (deleted(result)) {
        outcomes.push({ sfId: id, outcome: 'deleted' });
        newStates.set(id, null);
        if (roles) index.put(id, states.get(id)!.hashes['@contact'], undefined, undefined, listsChanged);
      } else outcomes.push({ sfId: id, outcome: 'failed', error: failure(result) });
    });
    index.states(listsChanged, newStates);
  }
  await ctx.commit({ outcomes, states: newStates, ...(cursor && { cursor }) });
}

/** Deletes the Marketo roles of these opportunities, then the opportunities again. */
async function deleteWithRoles(
  ctx: StepContext,
  targets: string[],
  inUse: string[],
  results: MarketoRecordOutcome[],
): Promise<MarketoRecordOutcome[]> {
  const roles: string[] = [];
  ctx.budget.check();
  for await (const page of ctx.marketo.opportunityRoles.query('externalOpportunityId', inUse, [
    'marketoGUID',
  ]))
    for (const role of page) if (role.marketoGUID) roles.push(role.marketoGUID);
  for (const batch of chunks(roles, 300)) {
    ctx.budget.check();
    await ctx.marketo.opportunityRoles.delete({
      deleteBy: 'idField',
      input: batch.map((marketoGUID) => ({ marketoGUID })),
    });
  }
  ctx.budget.check();
  const again = await ctx.marketo.opportunities.delete({
    deleteBy: 'dedupeFields',
    input: inUse.map((externalOpportunityId) => ({ externalOpportunityId })),
  });
  const byId = new Map(inUse.map((id, i) => [id, again[i]!]));
  return targets.map((id, i) => byId.get(id) ?? results[i]!);
}
