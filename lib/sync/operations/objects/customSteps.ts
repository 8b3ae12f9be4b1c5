// The steps of each Salesforce custom object that syncs (issue 19; customObjects.ts writes): Sync
// Schema (the Salesforce describe — an object deleted or renamed in Setup is noted as gone, and its
// other steps are skipped with that reason — and the Marketo object's key and link fields), Pull
// Deletes (the Marketo record of a deleted one, by its marketoGUID), Pull Updates, and Update FKs
// (records whose person's Marketo id changed — a converted lead, merged persons — are written again
// with the new link; the log is scanned only when this cycle's Pull Conversions relinked persons,
// on a manual cycle, or when the step resumes).
import { allStates, loadStates } from '../../../db/syncState';
import type { PackedOutcome } from '../../../db/types';
import { SalesforceApiError } from '../../../salesforce/errors';
import type { StepContext } from '../../context';
import type { OperationModule } from '../../plan';
import { chunks } from '../common';
import { deletionsToRead } from '../pullDeletes';
import { SCHEMA_MAX_AGE_MS } from '../syncSchema';
import { failure } from './crm';
import { customPull } from './customObjects';
import { customObjectGone, customTarget, goneKey } from './customTarget';
import { pullObject, pullObjectRows } from './objectPull';
import { customSteps } from './steps';

const configOf = (ctx: StepContext) => ctx.settings.customObjects[ctx.step.sobject]!;

/** The pull of this step's custom object, or undefined (with the step's warning) when it cannot sync. */
async function pullSpec(ctx: StepContext) {
  if (await customObjectGone(ctx)) return undefined;
  const target = await customTarget(ctx, configOf(ctx));
  if (typeof target === 'string') {
    ctx.warn(`${ctx.step.sobject}: ${target}: not synced`);
    return undefined;
  }
  return customPull(ctx, configOf(ctx), target);
}

export const customObjectSchema: OperationModule = {
  operation: 'Sync Schema',
  steps: (scope) => customSteps('Sync Schema', scope),
  async run(ctx) {
    const { sobject } = ctx.step;
    const stored = await ctx.schema.stored(sobject);
    const stale =
      !stored || ctx.clock.now() - stored.checkedAt >= SCHEMA_MAX_AGE_MS || ctx.notes.trigger === 'manual';
    if (!stale && !(await customObjectGone(ctx))) return;
    ctx.budget.check();
    try {
      await ctx.schema.refreshSalesforce(sobject);
    } catch (error) {
      if (
        !(
          error instanceof SalesforceApiError &&
          (error.errorCode === 'NOT_FOUND' || error.httpStatus === 404)
        )
      )
        throw error;
      ctx.warn(
        `${sobject} is no longer in Salesforce (deleted or renamed): its steps are skipped until it is back`,
      );
      await ctx.commit({
        outcomes: [],
        extraCursors: [{ key: goneKey(sobject), value: String(ctx.clock.now()) }],
      });
      return;
    }
    await ctx.commit({ outcomes: [], extraCursors: [{ key: goneKey(sobject), value: null }] });
    const target = await customTarget(ctx, configOf(ctx), true);
    if (typeof target === 'string') ctx.warn(`${sobject}: ${target}: not synced`);
  },
};

export const pullCustomObjects: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) => customSteps('Pull Updates', scope),
  async run(ctx) {
    const spec = await pullSpec(ctx);
    if (spec) await pullObject(ctx, spec);
  },
};

export const pullCustomDeletes: OperationModule = {
  operation: 'Pull Deletes',
  steps: (scope) => customSteps('Pull Deletes', scope),
  async run(ctx) {
    if (await customObjectGone(ctx)) return;
    const { sobject } = ctx.step;
    const start = await deletionsToRead(ctx, sobject);
    if (!start) return;
    for await (const window of ctx.salesforce.deleted(sobject, { start: new Date(start.cursor) })) {
      const covered = { key: start.key, value: window.latestDateCovered.toISOString() };
      const ids = window.gap ? [] : window.deletedRecords.map((d) => d.id);
      const batches = chunks(ids, 300);
      if (batches.length === 0) await ctx.commit({ outcomes: [], cursor: covered });
      for (const [i, batch] of batches.entries()) {
        const states = await loadStates(ctx.db, batch);
        const targets = batch.filter((id) => states.get(id)?.hashes['@guid']);
        const outcomes: PackedOutcome[] = batch
          .filter((id) => !targets.includes(id))
          .map((sfId) => ({ sfId, outcome: 'skipped' }));
        const newStates = new Map<string, null>();
        if (targets.length) {
          ctx.budget.check();
          const results = await ctx.marketo.customObjects.delete(configOf(ctx).marketoObject, {
            deleteBy: 'idField',
            input: targets.map((id) => ({ marketoGUID: states.get(id)!.hashes['@guid'] })),
          });
          targets.forEach((id, n) => {
            const r = results[n]!;
            // 1013: Marketo no longer has it (its person was deleted, a user removed it).
            if (r.status === 'deleted' || r.reasons[0]?.code === '1013') {
              outcomes.push({ sfId: id, outcome: 'deleted' });
              newStates.set(id, null);
            } else outcomes.push({ sfId: id, outcome: 'failed', error: failure(r) });
          });
        }
        await ctx.commit({
          outcomes,
          states: newStates,
          ...(i === batches.length - 1 && { cursor: covered }),
        });
      }
    }
  },
};

export const customObjectFks: OperationModule = {
  operation: 'Update FKs',
  steps: (scope) => customSteps('Update FKs', scope),
  async run(ctx) {
    if (!(ctx.resume || ctx.notes.trigger === 'manual')) {
      const steps = await ctx.db.steps.where('cycleId').equals(ctx.cycleId).toArray();
      if (!steps.some((s) => s.operation === 'Pull Conversions' && s.updated > 0)) return;
    }
    const spec = await pullSpec(ctx);
    if (!spec) return;
    const stale: string[] = [];
    for await (const page of allStates(ctx.db, ctx.step.sobject, 100)) {
      const persons = await loadStates(
        ctx.db,
        page.map(([, s]) => s.hashes['@person'] ?? ''),
      );
      const contacts = await loadStates(
        ctx.db,
        [...persons.values()].flatMap((p) => (p.convertedTo ? [p.convertedTo] : [])),
      );
      for (const [id, state] of page) {
        let person = persons.get(state.hashes['@person'] ?? '');
        if (person?.convertedTo) person = contacts.get(person.convertedTo);
        if (person?.marketoId !== undefined && String(person.marketoId) !== state.hashes['@lead'])
          stale.push(id);
      }
    }
    for (const ids of chunks(stale, 200)) await pullObjectRows(ctx, spec, ids);
  },
};
