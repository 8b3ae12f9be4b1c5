// Pull Updates for Task and Event (the seed's "Pull updates", with "Pull Events as Activities"):
// later changes to activities already in Marketo. Marketo activities are write-once (activities.md:
// no update, no delete), so a change is a further activity of the same type with `change` Updated
// and the values as they are now, dated when the Task changed; a deletion is one with `change`
// Deleted, dated when it was deleted (docs/activities.md).
//
// The changes are read on the step's own position `pull:<Object>` (objectPull.ts: a
// (SystemModstamp, Id) position, batches of 300 committed with it, a lookback), but only among Tasks
// logged no later than Update Activities' position: every sent Task was read there, so the new ones
// — most changed rows — are left to Update Activities and not read twice. While nothing of the
// object has been sent (`activities:sent:<Object>`) the step only moves its positions. Deletions
// come from the `deleted/` feed on `deleted:<Object>` (as Pull Deletes reads persons'). Both ask the
// change probe first, so an idle cycle reads neither. Changes of a person excluded or not in
// Marketo are held in `queue:<Object>` and read again when persons changed; refused ones are retried.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import { cursorKeys, formatPullCursor, parsePullCursor, readCursor, soqlDateTime } from '../../cursors';
import type { OperationModule } from '../../plan';
import { chunks } from '../common';
import { pullObject, type WrittenBatch } from '../objects/objectPull';
import { deletionsToRead } from '../pullDeletes';
import { ActivityIndex } from './activityIndex';
import { activityType } from './activityType';
import { resolveIntents } from './intent';
import { activityPersons, EXCLUDED_REASON, QUEUED_REASON } from './persons';
import { type PlannedActivity, sendActivities } from './sendActivities';
import { type ActivityObject, type ActivityRow, activityHashes, marketoDate, selectFields } from './shape';
import { activitySteps, activityTarget, sentKey } from './steps';

export const pullActivityUpdates: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) => activitySteps('Pull Updates', scope),
  async run(ctx) {
    const object = ctx.step.sobject as ActivityObject;
    const key = cursorKeys.pull(object);
    if (!(await readCursor(ctx.db, key)) || !(await readCursor(ctx.db, sentKey(object)))) {
      // Nothing sent yet: nothing to follow. What exists is Update Activities' to send whole.
      const at = Math.floor(ctx.clock.now() / 1000) * 1000 - 1000;
      const value = formatPullCursor({ at });
      if (value !== (await readCursor(ctx.db, key)))
        await ctx.commit({
          outcomes: [],
          cursor: { key, value },
          extraCursors: [{ key: cursorKeys.deleted(object), value: new Date(at).toISOString() }],
        });
      return;
    }
    const index = new ActivityIndex(ctx);
    const done = await resolveIntents(ctx, object, index);
    await pullChanges(ctx, object, index, done);
    await pullDeletions(ctx, object, index);
  },
};

const sentBefore = (state: SyncState | undefined) => !!state?.hashes['@activity'];

/** The changes of sent records, read after Pull Updates' position among Tasks Update Activities saw. */
async function pullChanges(
  ctx: StepContext,
  object: ActivityObject,
  index: ActivityIndex,
  done: Set<string>,
) {
  const seen = parsePullCursor(await readCursor(ctx.db, cursorKeys.pull(activityTarget(object))));
  if (!seen) return;
  const filter = ctx.settings.syncFilterField;
  await pullObject(ctx, {
    target: object,
    sobject: object,
    stateObject: object,
    select: selectFields(object).join(', '),
    // Whole seconds: a Task logged in the second Update Activities' position is in still counts.
    where: `CreatedDate < ${soqlDateTime(Math.floor(seen.at / 1000) * 1000 + 1000)}`,
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
        const hold = (outcome: 'skipped' | 'excluded', reason: string) => {
          out.queued!.push(row.Id);
          if (!quiet.has(row.Id)) out.outcomes.push({ sfId: row.Id, outcome, reason, ...name });
        };
        if (person.kind === 'excluded') hold('excluded', EXCLUDED_REASON(filter));
        else if (person.kind === 'queued') hold('skipped', QUEUED_REASON);
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
  });
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
        `${object} deletions before ${window.earliestDateAvailable.toISOString()} are no longer listed`,
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
      await ctx.commit({
        outcomes: sent.outcomes,
        states: sent.states,
        ...(i === batches.length - 1 && { cursor: covered }),
        ...(sent.intentKey && { extraCursors: [{ key: sent.intentKey, value: null }] }),
      });
    }
  }
}
