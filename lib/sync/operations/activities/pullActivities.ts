// Pull Updates for Task and Event (the seed's "Pull updates", with "Pull Events as Activities"):
// later changes to activities already in Marketo. Marketo activities are write-once (activities.md:
// no update, no delete), so a change is a further activity of the same type with `change` Updated
// and the values as they are now, dated when the Task changed; a deletion is one with `change`
// Deleted, dated when it was deleted (docs/activities.md). Changes are read on the step's own
// position `pull:<Object>` (objectPull.ts), deletions from the `deleted/` feed on `deleted:<Object>`
// (as Pull Deletes reads persons'); both asked to the change probe first, so an idle cycle reads
// neither. A first run only sets the position: what exists now is Update Activities' to send whole.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import { cursorKeys, formatPullCursor, readCursor } from '../../cursors';
import type { OperationModule } from '../../plan';
import { chunks } from '../common';
import { type ObjectPullSpec, pullObject, type WrittenBatch } from '../objects/objectPull';
import { secondOf } from '../programs/pullPosition';
import { deletionsToRead } from '../pullDeletes';
import { ActivityIndex } from './activityIndex';
import { activityType } from './activityType';
import { resolveIntents } from './intent';
import { activityPersons, EXCLUDED_REASON, QUEUED_REASON } from './persons';
import { type PlannedActivity, sendActivities } from './sendActivities';
import { type ActivityObject, type ActivityRow, activityHashes, marketoDate, selectFields } from './shape';
import { activitySteps } from './steps';

export const pullActivityUpdates: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) => activitySteps('Pull Updates', scope),
  async run(ctx) {
    const object = ctx.step.sobject as ActivityObject;
    const key = cursorKeys.pull(object);
    if (!(await readCursor(ctx.db, key))) {
      // A first run: everything there is now is Update Activities' to send, with its current values.
      await ctx.commit({
        outcomes: [],
        cursor: { key, value: formatPullCursor({ at: secondOf(ctx.clock.now()) - 1000 }) },
      });
      await deletionsToRead(ctx, object);
      return;
    }
    const index = new ActivityIndex(ctx);
    const done = await resolveIntents(ctx, object, index);
    await pullObject(ctx, changeSpec(ctx, object, index, done));
    await pullDeletions(ctx, object, index);
  },
};

const sentBefore = (state: SyncState | undefined) => !!state?.hashes['@activity'];

function changeSpec(
  ctx: StepContext,
  object: ActivityObject,
  index: ActivityIndex,
  done: Set<string>,
): ObjectPullSpec {
  const filter = ctx.settings.syncFilterField;
  return {
    target: object,
    sobject: object,
    stateObject: object,
    select: selectFields(object).join(', '),
    queue: {
      key: `queue:${object}`,
      ready: async (c) => (await salesforceChanged(c, 'Lead')) || (await salesforceChanged(c, 'Contact')),
    },
    async write(raw, quiet) {
      const rows = raw as ActivityRow[];
      const states = await loadStates(
        ctx.db,
        rows.map((r) => r.Id),
      );
      const sent = rows.filter((r) => !done.has(r.Id) && sentBefore(states.get(r.Id)));
      const persons = await activityPersons(ctx, sent);
      const out: WrittenBatch = { outcomes: [], states: new Map(), queued: [] };
      const plans: PlannedActivity[] = [];
      for (const row of sent) {
        const state = states.get(row.Id)!;
        const hashes = activityHashes(object, row);
        const name = typeof row.Subject === 'string' ? { name: row.Subject } : {};
        if (Object.keys(hashes).every((f) => state.hashes[f] === hashes[f])) {
          if (!quiet.has(row.Id)) out.outcomes.push({ sfId: row.Id, outcome: 'skipped', ...name });
          continue;
        }
        const person = persons.get(row.Id)!;
        const log = (outcome: 'skipped' | 'excluded', reason: string) => {
          out.queued!.push(row.Id);
          if (!quiet.has(row.Id)) out.outcomes.push({ sfId: row.Id, outcome, reason, ...name });
        };
        if (person.kind === 'excluded') log('excluded', EXCLUDED_REASON(filter));
        else if (person.kind === 'queued') log('skipped', QUEUED_REASON);
        else
          plans.push({
            row,
            change: 'Updated',
            at: marketoDate(row.SystemModstamp) ?? new Date(ctx.clock.now()).toISOString(),
            // No person any more (WhoId cleared): the change goes to the person it was logged on.
            leadId: person.kind === 'linked' ? person.leadId : Number(state.hashes['@lead']),
            who: person.kind === 'linked' ? person.who : (state.hashes['@who'] ?? ''),
            hashes,
            before: state,
          });
      }
      if (plans.length === 0) return out;
      for (const p of plans) done.add(p.row.Id);
      const result = await sendActivities(ctx, object, await activityType(ctx, object), plans, index);
      out.outcomes.push(...result.outcomes);
      for (const [id, s] of result.states) out.states.set(id, s);
      if (result.intentKey) out.extraCursors = [{ key: result.intentKey, value: null }];
      return out;
    },
  };
}

/**
 * Deletions from the `deleted/` feed: an activity sent for a Task now deleted gets its Deleted
 * activity (the Task's last values read with queryAll, the Recycle Bin keeps them; a purged one is
 * named by its id). Tasks never sent are not this step's: no outcome.
 */
async function pullDeletions(ctx: StepContext, object: ActivityObject, index: ActivityIndex) {
  const start = await deletionsToRead(ctx, object);
  if (!start) return;
  for await (const window of ctx.salesforce.deleted(object, { start: new Date(start.cursor) })) {
    const covered = { key: start.key, value: window.latestDateCovered.toISOString() };
    if (window.gap)
      ctx.warn(
        `${object} deletions before ${window.latestDateCovered.toISOString()} are no longer available`,
      );
    const deletedAt = new Map(window.deletedRecords.map((d) => [d.id, d.deletedDate]));
    const states = await loadStates(ctx.db, [...deletedAt.keys()]);
    const ids = [...deletedAt.keys()].filter((id) => sentBefore(states.get(id)));
    const batches = chunks(ids, 200);
    if (batches.length === 0) await ctx.commit({ outcomes: [], cursor: covered });
    for (const [i, batch] of batches.entries()) {
      const rows = new Map<string, ActivityRow>();
      ctx.budget.check();
      const list = batch.map((id) => `'${id}'`).join(',');
      for await (const page of ctx.salesforce.queryAll(
        `SELECT ${selectFields(object).join(', ')} FROM ${object} WHERE Id IN (${list})`,
      ))
        for (const row of page.records as ActivityRow[]) rows.set(row.Id, row);
      const plans = batch.map((id): PlannedActivity => {
        const state = states.get(id)!;
        return {
          row: rows.get(id) ?? { Id: id },
          change: 'Deleted',
          at: (deletedAt.get(id) ?? new Date(ctx.clock.now())).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          leadId: Number(state.hashes['@lead']),
          who: state.hashes['@who'] ?? '',
          hashes: {},
          before: state,
        };
      });
      const sent = await sendActivities(ctx, object, await activityType(ctx, object), plans, index);
      const outcomes: PackedOutcome[] = sent.outcomes;
      await ctx.commit({
        outcomes,
        states: sent.states,
        ...(i === batches.length - 1 && { cursor: covered }),
        ...(sent.intentKey && { extraCursors: [{ key: sent.intentKey, value: null }] }),
      });
    }
  }
}
