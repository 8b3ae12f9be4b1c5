// Push New (design §2): Marketo activities of the configured types → new Salesforce Tasks on the
// linked lead/contact ("limit task creation to meaningful activities", seed 001). Creating a Task
// is not idempotent, so before a batch's create call an intent row names the token the batch
// started from; a resume that finds the intent looks the batch's Tasks up by Subject (which
// carries the activity's marketoGUID) and skips the ones already created.
import type { PackedOutcome } from '../../db/types';
import type { MarketoActivity } from '../../marketo';
import type { StepContext } from '../context';
import { cursorKeys, readCursor, writeCursor } from '../cursors';
import { resolveLinkFields } from '../linkage';
import type { OperationModule } from '../plan';
import { salesforceError } from './common';
import { linkedPersons } from './persons';
import { FEED_EMPTY, startToken } from './pushUpdates';

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
    const stored = await readCursor(ctx.db, cursorKeys.pushTasks);
    // Push Updates read the same feed, Task types included, from a token at or before ours, and
    // found nothing: nothing is new for us either, and the call is saved.
    if (stored && ctx.shared.get(FEED_EMPTY) === true) return;
    const links = resolveLinkFields(await ctx.schema.marketo(), ctx.shared.get('link-fields') as never);
    let token = await startToken(ctx, cursorKeys.pushTasks);
    ctx.budget.check();
    for await (const page of ctx.marketo.activities.activities({
      nextPageToken: token,
      activityTypeIds: types.map((t) => t.id),
    })) {
      await createTasks(ctx, links, page.items, names, token, page.nextPageToken);
      token = page.nextPageToken;
      if (page.moreResult) ctx.budget.check();
    }
  },
};

const subjectOf = (a: MarketoActivity, typeName: string) =>
  `${typeName}: ${a.primaryAttributeValue ?? ''}`.slice(0, 200) + ` [mkto ${a.marketoGUID ?? a.id}]`;

async function createTasks(
  ctx: StepContext,
  links: ReturnType<typeof resolveLinkFields>,
  items: MarketoActivity[],
  names: Map<number, string>,
  startedFrom: string,
  next: string,
) {
  const persons = items.length
    ? await linkedPersons(ctx, links, [...new Set(items.map((a) => a.leadId))])
    : new Map();
  const tasks = items.flatMap((a) => {
    const person = persons.get(a.leadId);
    if (!person || person.entry?.x) return [];
    const subject = subjectOf(a, names.get(a.activityTypeId) ?? `Activity ${a.activityTypeId}`);
    return [{ activity: a, whoId: person.sfId, subject, mktoId: a.leadId }];
  });
  const outcomes: PackedOutcome[] = [];
  let todo = tasks;
  if (tasks.length && (await readCursor(ctx.db, cursorKeys.pushTasksIntent)) === startedFrom) {
    // A previous run died between creating these Tasks and logging them: find what exists.
    ctx.budget.check();
    const list = tasks.map((t) => `'${t.subject.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(',');
    const existing = new Map<string, string>();
    for await (const page of ctx.salesforce.query(
      `SELECT Id, Subject FROM Task WHERE Subject IN (${list})`,
    )) {
      for (const row of page.records as { Id: string; Subject: string }[]) existing.set(row.Subject, row.Id);
    }
    todo = tasks.filter((t) => !existing.has(t.subject));
    for (const t of tasks.filter((t) => existing.has(t.subject))) {
      outcomes.push({
        sfId: existing.get(t.subject)!,
        mktoId: t.mktoId,
        name: t.subject,
        outcome: 'skipped',
      });
    }
  }
  if (todo.length) {
    await writeCursor(ctx.db, cursorKeys.pushTasksIntent, startedFrom, ctx.clock.now());
    ctx.budget.check();
    const results = await ctx.salesforce.create(
      'Task',
      todo.map((t) => ({
        Subject: t.subject,
        WhoId: t.whoId,
        Status: 'Completed',
        Priority: 'Normal',
        ActivityDate: t.activity.activityDate.slice(0, 10),
        Description: (t.activity.attributes ?? []).map((x) => `${x.name}: ${x.value ?? ''}`).join('\n'),
      })),
    );
    todo.forEach((t, i) => {
      const result = results[i]!;
      if (result.success && result.id) {
        outcomes.push({ sfId: result.id, mktoId: t.mktoId, name: t.subject, outcome: 'new' });
      } else {
        // No Task exists to carry the failure: it is flagged on the lead/contact it was for.
        outcomes.push({
          sfId: t.whoId,
          mktoId: t.mktoId,
          name: t.subject,
          outcome: 'failed',
          error: salesforceError(result),
        });
      }
    });
  }
  await ctx.commit({
    outcomes,
    cursor: { key: cursorKeys.pushTasks, value: next },
    extraCursors: [{ key: cursorKeys.pushTasksIntent, value: null }],
  });
}
