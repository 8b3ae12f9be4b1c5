// Pull Updates for Task and Event (the seed's "Pull updates", with "Pull Events as Activities"):
// later changes to activities already in Marketo. Marketo activities are write-once (activities.md:
// no update, no delete), so a change is a further activity of the same type with `change` Updated
// and the values as they are now, dated when the Task changed; a deletion is one with `change`
// Deleted, dated when it was deleted (docs/activities.md).
//
// Which Tasks changed comes from the `updated/` feed (ids changed since `pull:<Object>`, the feed's
// latestDateCovered), not a scan of the rows: a new Task is Update Activities' to read, and most
// changed rows were never sent. Only the ids the log knows as sent are read (200 per query). So new
// Tasks cost this step one feed call a cycle, and none while nothing of the object has been sent
// yet (`activities:sent:<Object>`): until then it only moves its positions. Deletions come from the
// `deleted/` feed on `deleted:<Object>` (as Pull Deletes reads persons'). Both are asked to the
// change probe first, so an idle cycle reads neither. Changes of a person excluded or not in Marketo
// are held in `queue:<Object>` and read again when persons changed; refused ones are retried.
import { isRetryDue } from '../../../db/recordFlags';
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import { dueRetries } from '../../../db/writeBatch';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import {
  cursorKeys,
  formatPullCursor,
  parsePullCursor,
  parseSalesforceDate,
  readCursor,
} from '../../cursors';
import type { OperationModule } from '../../plan';
import { chunks } from '../common';
import { queuedIds } from '../objects/queue';
import { deletionsToRead } from '../pullDeletes';
import { ActivityIndex } from './activityIndex';
import { activityType } from './activityType';
import { resolveIntents } from './intent';
import { activityPersons, EXCLUDED_REASON, QUEUED_REASON } from './persons';
import { type PlannedActivity, sendActivities } from './sendActivities';
import { type ActivityObject, type ActivityRow, activityHashes, marketoDate, selectFields } from './shape';
import { activitySteps, sentKey } from './steps';

const MINUTE = 60_000;

export const pullActivityUpdates: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) => activitySteps('Pull Updates', scope),
  async run(ctx) {
    const object = ctx.step.sobject as ActivityObject;
    const key = cursorKeys.pull(object);
    if (!(await readCursor(ctx.db, key)) || !(await readCursor(ctx.db, sentKey(object)))) {
      // Nothing sent yet: nothing to follow. What exists is Update Activities' to send whole.
      const at = Math.floor(ctx.clock.now() / MINUTE) * MINUTE - MINUTE;
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

async function pullChanges(
  ctx: StepContext,
  object: ActivityObject,
  index: ActivityIndex,
  done: Set<string>,
) {
  const key = cursorKeys.pull(object);
  const position = parsePullCursor(await readCursor(ctx.db, key))!;
  const queue = { key: `queue:${object}`, ids: new Set<string>() };
  const ready = async (c: StepContext) =>
    (await salesforceChanged(c, 'Lead')) || (await salesforceChanged(c, 'Contact'));
  for (const id of await queuedIds(ctx, { key: queue.key, ready })) queue.ids.add(id);
  const now = ctx.clock.now();
  const due = (await dueRetries(ctx.db, now, 2000))
    .filter((r) => r.objectType === ctx.objectType && isRetryDue(r, 'Pull Updates', now))
    .map((r) => r.sfId);
  const owed = [...new Set([...(queue.ids.size && (await ready(ctx)) ? queue.ids : []), ...due])];
  for (const ids of chunks(owed, 200)) await readAndSend(ctx, object, ids, { index, done, queue, position });
  if (!(await salesforceChanged(ctx, object))) return;
  ctx.budget.check();
  for await (const window of ctx.salesforce.updated(object, { start: new Date(position.at) })) {
    if (window.startClamped)
      ctx.warn(`${object} changes older than 30 days are no longer listed by Salesforce; they were not sent`);
    const covered = { key, value: formatPullCursor({ at: window.latestDateCovered.getTime() }) };
    const states = new Map<string, SyncState>();
    for (const ids of chunks(window.ids, 2000))
      for (const [id, s] of await loadStates(ctx.db, ids)) states.set(id, s);
    const ids = window.ids.filter((id) => sentBefore(states.get(id)) && !done.has(id));
    const batches = chunks(ids, 200);
    if (batches.length === 0) await ctx.commit({ outcomes: [], cursor: covered });
    for (const [i, batch] of batches.entries())
      await readAndSend(ctx, object, batch, {
        index,
        done,
        queue,
        position,
        ...(i === batches.length - 1 && { cursor: covered }),
      });
    if (window.ids.length) ctx.budget.check();
  }
}

/** Reads these sent records by id, sends an Updated activity for each that changed, commits. */
async function readAndSend(
  ctx: StepContext,
  object: ActivityObject,
  ids: readonly string[],
  run: {
    index: ActivityIndex;
    done: Set<string>;
    queue: { key: string; ids: Set<string> };
    position: { at: number };
    cursor?: { key: string; value: string };
  },
) {
  ctx.budget.check();
  const rows: ActivityRow[] = [];
  const list = ids.map((id) => `'${id}'`).join(',');
  for await (const page of ctx.salesforce.query(
    `SELECT ${selectFields(object).join(', ')} FROM ${object} WHERE Id IN (${list})`,
  ))
    rows.push(...(page.records as ActivityRow[]));
  const states = await loadStates(ctx.db, ids);
  const persons = await activityPersons(ctx, rows);
  const filter = ctx.settings.syncFilterField;
  const outcomes: PackedOutcome[] = [];
  const plans: PlannedActivity[] = [];
  for (const id of ids) run.queue.ids.delete(id); // gone, or settled below
  for (const row of rows) {
    const state = states.get(row.Id);
    if (!sentBefore(state) || run.done.has(row.Id)) continue;
    const hashes = activityHashes(object, row);
    const name = typeof row.Subject === 'string' ? { name: row.Subject } : {};
    if (Object.keys(hashes).every((f) => state!.hashes[f] === hashes[f])) {
      // Listed again because the feed's windows are whole minutes: handled when first listed.
      if (parseSalesforceDate(row.SystemModstamp) >= run.position.at)
        outcomes.push({ sfId: row.Id, outcome: 'skipped', ...name });
      continue;
    }
    const person = persons.get(row.Id)!;
    const hold = (outcome: 'skipped' | 'excluded', reason: string) => {
      run.queue.ids.add(row.Id);
      outcomes.push({ sfId: row.Id, outcome, reason, ...name });
    };
    if (person.kind === 'excluded') hold('excluded', EXCLUDED_REASON(filter));
    else if (person.kind === 'queued') hold('skipped', QUEUED_REASON);
    else
      plans.push({
        row,
        change: 'Updated',
        at: marketoDate(row.SystemModstamp) ?? new Date(ctx.clock.now()).toISOString(),
        // No person any more (WhoId cleared): the change goes to the person it was logged on.
        leadId: person.kind === 'linked' ? person.leadId : Number(state!.hashes['@lead']),
        who: person.kind === 'linked' ? person.who : (state!.hashes['@who'] ?? ''),
        hashes,
        before: state,
      });
  }
  for (const p of plans) run.done.add(p.row.Id);
  const sent = plans.length
    ? await sendActivities(ctx, object, await activityType(ctx, object), plans, run.index)
    : { outcomes: [], states: new Map<string, SyncState | null>(), intentKey: undefined };
  await ctx.commit({
    outcomes: [...outcomes, ...sent.outcomes],
    states: sent.states,
    ...(run.cursor && { cursor: run.cursor }),
    ...(sent.intentKey && { extraCursors: [{ key: sent.intentKey, value: null }] }),
    keptCursors: [
      { key: run.queue.key, value: run.queue.ids.size ? JSON.stringify([...run.queue.ids]) : null },
    ],
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
