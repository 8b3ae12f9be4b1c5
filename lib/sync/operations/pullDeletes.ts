// Pull Deletes (design §5): Salesforce deletions → delete the linked Marketo person (accounts:
// forget them and let Update FKs clear the persons' account links). Read from the `deleted/` feed
// from the cursor (latestDateCovered already covers transactions in flight, so no lookback). When
// Salesforce no longer has the deletions since our cursor (earliestDateAvailable moved past it,
// or the cursor is older than the 15 days the feed keeps), every record we synced is checked
// again by id: a full re-read of deletions. An idle cycle skips the step only when the change
// probe found no deleted row stamped at or after its own cursor (changes.ts).

import { knownNames } from '../../db/recordStatus';
import { allStates, loadStates } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { MARKETO_BATCH } from '../../marketo';
import { salesforceChanged } from '../changes';
import type { StepContext } from '../context';
import { cursorKeys, readCursor } from '../cursors';
import { ownLink, resolveLinkFields } from '../linkage';
import type { OperationModule } from '../plan';
import { chunks, marketoError, stepsFor } from './common';
import { OPPORTUNITY_ACCOUNTS, owedOpportunityAccounts } from './objects/fkAccounts';

/**
 * Where a Pull Deletes step reads Salesforce's deleted/ feed from, or undefined when it has nothing
 * to read: on its first run (nothing was synced before, so no deletion can concern us yet: the
 * cursor starts now) or when its own probe (deleted rows at or after its cursor, changes.ts — not
 * the pull's position) finds none.
 */
export async function deletionsToRead(
  ctx: StepContext,
  sobject: string,
): Promise<{ key: string; cursor: string } | undefined> {
  const key = cursorKeys.deleted(sobject);
  const cursor = await readCursor(ctx.db, key);
  if (!cursor) {
    // A first position (kept by a pair's Sync now too: it skips nothing a later cycle would read).
    await ctx.commit({
      outcomes: [],
      keptCursors: [{ key, value: new Date(ctx.clock.now()).toISOString() }],
    });
    return undefined;
  }
  if (!(await salesforceChanged(ctx, sobject, 'deleted'))) return undefined;
  ctx.budget.check();
  return { key, cursor };
}

export const pullDeletes: OperationModule = {
  operation: 'Pull Deletes',
  steps: (scope) => (scope.record ? [] : stepsFor('Pull Deletes', scope, ['Lead', 'Contact', 'Account'])),
  async run(ctx) {
    const { sobject } = ctx.step;
    const start = await deletionsToRead(ctx, sobject);
    if (!start) return;
    const { key, cursor } = start;
    for await (const window of ctx.salesforce.deleted(sobject, { start: new Date(cursor) })) {
      const covered = window.latestDateCovered.toISOString();
      if (window.gap) {
        ctx.log(`Pull Deletes ${sobject}: deletions since ${cursor} are no longer available; re-reading all`);
        await fullReread(ctx);
        await ctx.commit({ outcomes: [], cursor: { key, value: covered } });
        continue;
      }
      const ids = window.deletedRecords.map((d) => d.id);
      if (ids.length === 0) await ctx.commit({ outcomes: [], cursor: { key, value: covered } });
      const batches = chunks(ids, MARKETO_BATCH);
      for (const [i, batch] of batches.entries()) {
        ctx.budget.check();
        await handleDeleted(ctx, batch, i === batches.length - 1 ? covered : undefined);
      }
    }
  },
};

/** Every synced record of the object, checked by id (2,000 per call); missing ones are deleted. */
async function fullReread(ctx: StepContext) {
  for await (const page of allStates(ctx.db, ctx.step.sobject, 100)) {
    for (const ids of chunks(
      page.map(([id]) => id),
      2000,
    )) {
      ctx.budget.check();
      const rows = await ctx.salesforce.retrieve(ctx.step.sobject, ids, ['Id']);
      const gone = ids.filter((_, i) => rows[i] === null);
      for (const batch of chunks(gone, MARKETO_BATCH)) await handleDeleted(ctx, batch);
    }
  }
}

async function handleDeleted(ctx: StepContext, ids: string[], cursor?: string) {
  const { sobject } = ctx.step;
  const states = await loadStates(ctx.db, ids);
  const outcomes: PackedOutcome[] = [];
  const newStates = new Map<string, SyncState | null>();
  if (sobject === 'Account') {
    for (const id of ids) {
      outcomes.push({ sfId: id, outcome: 'deleted' });
      if (states.has(id)) newStates.set(id, null);
    }
  } else {
    const links = resolveLinkFields(await ctx.schema.marketo(), ctx.notes.linkFields);
    const mkto = new Map<string, number>();
    for (const [id, s] of states) if (s.marketoId !== undefined) mkto.set(id, s.marketoId);
    const unknown = ids.filter((id) => !mkto.has(id));
    if (unknown.length) {
      // Persons linked before this extension synced them (or by another integration).
      const link = ownLink(links, sobject);
      const found = await ctx.marketo.leads.getByFilter({
        filterType: link,
        filterValues: unknown,
        fields: [link],
      });
      for (const lead of found) mkto.set(String(lead[link]), lead.id);
    }
    const targets = ids.filter((id) => mkto.has(id));
    const results = targets.length ? await ctx.marketo.leads.delete(targets.map((id) => mkto.get(id)!)) : [];
    const byId = new Map(targets.map((id, i) => [id, results[i]!]));
    // A deleted record has no row to name it by: a refused delete takes its name from the log.
    const refused = targets.filter((id) => {
      const r = byId.get(id)!;
      return r.status !== 'deleted' && r.reasons[0]?.code !== '1004';
    });
    const names = await knownNames(ctx.db, refused);
    for (const id of ids) {
      const result = byId.get(id);
      if (!result) {
        outcomes.push({ sfId: id, outcome: 'skipped' }); // never reached Marketo: nothing to delete
      } else if (result.status === 'deleted' || result.reasons[0]?.code === '1004') {
        outcomes.push({ sfId: id, mktoId: mkto.get(id)!, outcome: 'deleted' });
        newStates.set(id, null);
      } else {
        const name = names.get(id);
        outcomes.push({
          sfId: id,
          mktoId: mkto.get(id)!,
          outcome: 'failed',
          error: marketoError(result),
          ...(name && { name }),
        });
      }
    }
  }
  // Deleted accounts become Update FKs' backlog in the same transaction as the deletes, so an
  // interruption between the two steps cannot lose them (design §10: each step owns its backlog).
  const owed =
    sobject === 'Account' && ids.length
      ? [{ key: cursorKeys.fkDeletedAccounts, value: JSON.stringify([...(await owedAccounts(ctx)), ...ids]) }]
      : [];
  // Opportunities that outlive their account lose its company link (objects/fkAccounts.ts).
  if (sobject === 'Account' && ids.length && ctx.settings.objects.Opportunity?.enabled)
    owed.push({
      key: OPPORTUNITY_ACCOUNTS,
      value: JSON.stringify([...(await owedOpportunityAccounts(ctx)), ...ids]),
    });
  await ctx.commit({
    outcomes,
    states: newStates,
    ...(cursor && { cursor: { key: cursorKeys.deleted(sobject), value: cursor } }),
    ...(owed.length && { extraCursors: owed }),
  });
}

/** Deleted account ids Update FKs still owes (lib/sync/operations/updateFks.ts). */
export async function owedAccounts(ctx: StepContext): Promise<string[]> {
  const stored = await readCursor(ctx.db, cursorKeys.fkDeletedAccounts);
  const parsed: unknown = stored ? JSON.parse(stored) : [];
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
}
