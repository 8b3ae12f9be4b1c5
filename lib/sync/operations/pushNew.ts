// Push New (design §2): Marketo activities of the configured types → new Salesforce Tasks on the
// linked lead/contact ("limit task creation to meaningful activities", seed 001). Creating a Task
// is not idempotent, so before a batch's create call an intent row names the activities it is
// for; a run that meets one of them looks its Task up by Subject (which carries the activity's
// marketoGUID) and skips the ones already created — on whatever page it comes, so a page cut
// differently than before (another activity type list) cannot make a Task twice.
//
// Its backlog is the feed after its own token (push:tasks; before the first one, the feeds' start
// instant, push:start). When Push Updates read the feed with the Task types from exactly that
// token this cycle, its pages are taken over (notes.ts taskFeed) and no call is made; otherwise
// the feed is read here, with the same types as Push Updates, so that both tokens agree again.
//
// A created Task is its own record (outcome "new" on the Task id). A Task that could not be created
// has no id, so its failure is flagged on the lead/contact it was for, with the Task's fields in
// `changes`; when that failure is due (design §5 backoff) the retry rebuilds the Task from them, and
// its outcome is the person's, so that it clears the person's Push New failure (and only that one:
// flags keep one pending failure per operation, lib/db/recordFlags.ts). A Task created in the
// normal feed never touches the person's flags.

import { z } from 'zod';
import { getRecordStatus } from '../../db/recordStatus';
import type { FieldChange, PackedOutcome } from '../../db/types';
import type { MarketoActivity } from '../../marketo';
import { inList } from '../../salesforce/soql';
import type { StepContext } from '../context';
import { cursorKeys, readCursor, writeCursor } from '../cursors';
import { resolveLinkFields } from '../linkage';
import type { OperationModule } from '../plan';
import { retriesToRun } from '../retryPause';
import { createdTasks, type PushedTask, pushedTaskStates } from './activities/pushedTasks';
import { chunks, salesforceError } from './common';
import { type LinkedPerson, linkedPersons } from './persons';
import { feedTypes, startToken } from './pushFeed';
import { catchUpFirstSync, type TaskPosition } from './pushNewCatchUp';

export const pushNew: OperationModule = {
  operation: 'Push New',
  steps: (scope) =>
    scope.record ||
    scope.settings.taskActivityTypes.length === 0 ||
    !['Lead', 'Contact'].some((o) => scope.settings.objects[o]?.enabled)
      ? []
      : [{ operation: 'Push New', objectType: 'Task', sobject: 'Task' }],
  async run(ctx) {
    const types = ctx.settings.taskActivityTypes;
    const names = new Map(types.map((t) => [t.id, t.name]));
    await retryFailedTasks(ctx);
    const links = resolveLinkFields(await ctx.schema.marketo(), ctx.notes.linkFields);
    let token = await startToken(ctx, cursorKeys.pushTasks);
    // Before its own feed: the activities from the log's first cycle to the feeds' start, once.
    await catchUpFirstSync(ctx, (items, from, position) =>
      createTasks(ctx, links, items, names, from, position),
    );
    const handed = ctx.notes.taskFeed;
    if (handed?.from === token) {
      // Push Updates read the feed, Task types included, from exactly our token to its end: its
      // pages are ours, and the call is saved. From any other token (ours older after an
      // interruption) the backlog is ours to read (lib/sync/notes.ts).
      let stored = await readCursor(ctx.db, cursorKeys.pushTasks);
      for (const page of handed.pages) {
        if (page.activities.length === 0 && page.next === stored) continue; // nothing to log
        await createTasks(ctx, links, page.activities, names, page.from, ownPosition(page.next));
        stored = page.next;
      }
      return;
    }
    // Our own read takes the same types as Push Updates' (when they fit one call), so that both
    // tokens end at the same place and the next cycle's read can be shared again.
    const taskTypes = new Set(types.map((t) => t.id));
    const { types: feed, withTasks } = feedTypes(ctx);
    ctx.budget.check();
    for await (const page of ctx.marketo.activities.activities({
      nextPageToken: token,
      activityTypeIds: withTasks ? feed : [...taskTypes],
    })) {
      const activities = page.items.filter((a) => taskTypes.has(a.activityTypeId));
      await createTasks(ctx, links, activities, names, token, ownPosition(page.nextPageToken));
      token = page.nextPageToken;
      if (page.moreResult) ctx.budget.check();
    }
  },
};

const subjectOf = (a: MarketoActivity, typeName: string) => {
  // Subject holds 255 characters: the activity text is cut so that the Marketo id always fits.
  const text = `${typeName}: ${a.primaryAttributeValue ?? ''}`.slice(0, 200);
  return `${text} [mkto ${a.marketoGUID ?? a.id}]`;
};

const ownPosition = (next: string): TaskPosition => ({ cursor: { key: cursorKeys.pushTasks, value: next } });

async function createTasks(
  ctx: StepContext,
  links: ReturnType<typeof resolveLinkFields>,
  items: MarketoActivity[],
  names: Map<number, string>,
  startedFrom: string,
  position: TaskPosition,
) {
  const persons = items.length
    ? await linkedPersons(ctx, links, [...new Set(items.map((a) => a.leadId))])
    : new Map<number, LinkedPerson>();
  const tasks = items.flatMap((a): PlannedTask[] => {
    const person = persons.get(a.leadId);
    if (!person || person.entry?.excluded) return [];
    const subject = subjectOf(a, names.get(a.activityTypeId) ?? `Activity ${a.activityTypeId}`);
    return [
      {
        whoId: person.sfId,
        mktoId: a.leadId,
        fields: {
          Subject: subject,
          WhoId: person.sfId,
          Status: 'Completed',
          Priority: 'Normal',
          ActivityDate: a.activityDate.slice(0, 10),
          Description: (a.attributes ?? []).map((x) => `${x.name}: ${x.value ?? ''}`).join('\n'),
        },
      },
    ];
  });
  let todo = tasks;
  const outcomes: PackedOutcome[] = [];
  const found: PushedTask[] = [];
  const intent = parseIntent(await readCursor(ctx.db, cursorKeys.pushTasksIntent));
  const suspect = tasks.filter((t) => intent.token === startedFrom || intent.activities.has(activityOf(t)));
  if (suspect.length) {
    // A previous run died between creating these Tasks and logging them: find what exists.
    const existing = await existingTasks(ctx, suspect);
    todo = tasks.filter((t) => !existing.has(t.fields.Subject));
    for (const t of tasks) {
      const id = existing.get(t.fields.Subject);
      if (id) {
        outcomes.push({ ...personOf(t), sfId: id, outcome: 'skipped' });
        found.push({ taskId: id, whoId: t.whoId, ...(t.mktoId !== undefined && { mktoId: t.mktoId }) });
      }
    }
  }
  // Activities of an unlogged create that are not on this page (pages can be cut differently
  // after a change of activity types) stay owed a check on the pages after it.
  const onPage = new Set(tasks.map(activityOf));
  const left = [...intent.activities].filter((id) => !onPage.has(id));
  if (todo.length) {
    const value = JSON.stringify({ activities: [...left, ...todo.map(activityOf)] });
    await writeCursor(ctx.db, cursorKeys.pushTasksIntent, value, ctx.clock.now());
    outcomes.push(...(await createAll(ctx, todo, 'task')));
  }
  await ctx.commit({
    outcomes,
    // The Tasks made follow their person (Push Updates Task, activities/followTasks.ts).
    states: await pushedTaskStates(ctx, [...createdTasks(outcomes), ...found]),
    ...(position.cursor && { cursor: position.cursor }),
    extraCursors: [
      { key: cursorKeys.pushTasksIntent, value: left.length ? JSON.stringify({ activities: left }) : null },
      ...(position.clear ?? []).map((key) => ({ key, value: null })),
    ],
  });
}

/** The Marketo activity a planned Task stands for (its Subject ends in `[mkto <marketoGUID>]`). */
const activityOf = (t: PlannedTask) => /\[mkto ([^\]]+)\]$/.exec(t.fields.Subject)?.[1] ?? t.fields.Subject;

/**
 * The intent row: the activities whose Tasks a create call was making when it was written, or (rows
 * written before activities were named) the token of the page that call was for.
 */
function parseIntent(value: string | undefined): { token?: string; activities: Set<string> } {
  if (!value) return { activities: new Set() };
  if (!value.startsWith('{')) return { token: value, activities: new Set() };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    json = undefined;
  }
  const parsed = intentSchema.safeParse(json);
  if (!parsed.success) throw new Error(`Cursor ${cursorKeys.pushTasksIntent}: not a list of activities`);
  return { activities: new Set(parsed.data.activities) };
}

const intentSchema = z.object({ activities: z.array(z.string()) });

/** A Task to create for an activity, and the person it is for. */
interface PlannedTask {
  whoId: string;
  mktoId?: number;
  fields: { Subject: string; WhoId: string } & Record<string, string>;
}

const personOf = (t: PlannedTask) => ({
  sfId: t.whoId,
  name: t.fields.Subject,
  ...(t.mktoId !== undefined && { mktoId: t.mktoId }),
});
const asChanges = (fields: Record<string, string>): FieldChange[] =>
  Object.entries(fields).map(([field, value]) => ({ field, old: null, new: value }));

/**
 * Creates the Tasks (one call per 200): a new outcome per Task made — on the Task, or on the person
 * when a retry clears the person's failure — and a failure on the person, keeping the Task's fields.
 */
async function createAll(
  ctx: StepContext,
  tasks: PlannedTask[],
  madeOn: 'task' | 'person',
): Promise<PackedOutcome[]> {
  const outcomes: PackedOutcome[] = [];
  for (const batch of chunks(tasks, 200)) {
    ctx.budget.check();
    const results = await ctx.salesforce.create(
      'Task',
      batch.map((t) => t.fields),
    );
    batch.forEach((t, i) => {
      const result = results[i]!;
      if (result.success && result.id) {
        outcomes.push({
          ...personOf(t),
          ...(madeOn === 'task' && { sfId: result.id }),
          outcome: 'new',
          changes: asChanges({ ...t.fields, Id: result.id }),
        });
      } else {
        outcomes.push({
          ...personOf(t),
          outcome: 'failed',
          changes: asChanges(t.fields),
          error: salesforceError(result),
        });
      }
    });
  }
  return outcomes;
}

/** The ids of the given Tasks that exist in Salesforce, by Subject (it carries the marketoGUID). */
async function existingTasks(ctx: StepContext, tasks: PlannedTask[]): Promise<Map<string, string>> {
  const existing = new Map<string, string>();
  for (const batch of chunks(tasks, 200)) {
    ctx.budget.check();
    const subjects = inList(
      'Subject',
      batch.map((t) => t.fields.Subject),
    );
    for await (const page of ctx.salesforce.query(`SELECT Id, Subject FROM Task WHERE ${subjects.soql}`)) {
      for (const row of page.records as { Id: string; Subject: string }[]) existing.set(row.Subject, row.Id);
    }
  }
  return existing;
}

/**
 * Retries the Tasks whose creation failed and is due again: their fields come from the failed
 * outcomes in the log (newest events of each person); a Task that exists by now is not made twice.
 */
async function retryFailedTasks(ctx: StepContext) {
  const now = ctx.clock.now();
  const due = await retriesToRun(ctx, 'Push New', now);
  for (const group of chunks(due, 100)) {
    const tasks = new Map<string, PlannedTask>();
    const statuses = await Promise.all(group.map((flags) => getRecordStatus(ctx.db, flags.sfId)));
    for (const [g, flags] of group.entries()) {
      const { events } = statuses[g]!;
      const created = new Set<string>();
      for (const event of events) {
        if (event.operation !== 'Push New') continue;
        const fields = Object.fromEntries((event.changes ?? []).map((c) => [c.field, String(c.new ?? '')]));
        if (!fields.Subject || !fields.WhoId) continue;
        // Newest first: a Task created after a failure of the same Subject is done.
        if (event.outcome === 'new') created.add(fields.Subject);
        else if (event.outcome === 'failed' && !created.has(fields.Subject) && !tasks.has(fields.Subject)) {
          tasks.set(fields.Subject, {
            whoId: flags.sfId,
            ...((event.mktoId ?? flags.mktoId) !== undefined && { mktoId: event.mktoId ?? flags.mktoId }),
            fields: fields as PlannedTask['fields'],
          });
        }
      }
    }
    if (tasks.size === 0) continue;
    const planned = [...tasks.values()];
    const existing = await existingTasks(ctx, planned);
    const outcomes = await createAll(
      ctx,
      planned.filter((t) => !existing.has(t.fields.Subject)),
      'person',
    );
    // Made by now (e.g. an admin created it): the failure is over, nothing is created twice.
    for (const t of planned.filter((t) => existing.has(t.fields.Subject))) {
      outcomes.push({ ...personOf(t), outcome: 'updated', changes: asChanges(t.fields) });
    }
    await ctx.commit({ outcomes, states: await pushedTaskStates(ctx, createdTasks(outcomes)) });
  }
}
