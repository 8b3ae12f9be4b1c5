// The Marketo → Salesforce backlog (docs/dashboard.md): what the push steps have yet to read in the
// activity feed after their position — the persons with a change of a pushed field (Push Updates,
// counted under the object their sync state links them to) and the Task-type activities (Push New).
// The feed has no count: it is read page by page (300 activities a call) from Push Updates Lead's
// token, with the push steps' own activity types, at most MAX_FEED_PAGES pages; a longer backlog is
// reported as "at least" (capped). Nothing is written: the push steps read the same pages themselves.
import { statesByMarketoId } from '../db/syncState';
import { metricKey } from '../metrics/keys';
import type { CycleContext } from './context';
import { cursorKeys, readCursor } from './cursors';
import { resolveMapping } from './mapping';
import { CHANGE_DATA_VALUE, feedTypes } from './operations/pushFeed';
import { objectTypeOf } from './plan';

/** Feed pages one fetch reads at most: 3,000 activities, 10 calls an hour at worst (docs/dashboard.md). */
export const MAX_FEED_PAGES = 10;

const PERSON_OBJECTS = ['Lead', 'Contact'] as const;

export interface MarketoBacklog {
  counts: Record<string, number>;
  /** The read stopped at MAX_FEED_PAGES with more behind: every count is a lower bound. */
  capped: boolean;
}

/** Undefined when the feed has no position yet (nothing is owed from before the feeds start). */
export async function marketoBacklog(ctx: CycleContext): Promise<MarketoBacklog | undefined> {
  const enabled = PERSON_OBJECTS.filter((o) => ctx.settings.objects[o]?.enabled);
  const from = await readCursor(ctx.db, cursorKeys.pushPersons);
  if (enabled.length === 0 || !from) return undefined;
  const marketo = await ctx.schema.marketo();
  const pushed = new Set<string>();
  for (const sobject of enabled) {
    const mapping = resolveMapping(
      ctx.settings.objects[sobject],
      await ctx.schema.salesforce(sobject),
      marketo,
    );
    for (const field of mapping.push) pushed.add(field.mk);
  }
  const byDisplayName = new Map(marketo.fields.map((f) => [f.label, f.name]));
  // Push New reads the Task types after its own token; they are counted when it is this one and
  // the types fit in the same read (pushFeed.ts feedTypes).
  const { types, withTasks } = feedTypes(ctx);
  const tasksFromHere = withTasks && (await readCursor(ctx.db, cursorKeys.pushTasks)) === from;
  const taskTypes = new Set(ctx.settings.taskActivityTypes.map((t) => t.id));
  const persons = new Set<number>();
  let tasks = 0;
  let pages = 0;
  let capped = false;
  ctx.budget.check('marketo');
  for await (const page of ctx.marketo.activities.activities({
    nextPageToken: from,
    activityTypeIds: types,
  })) {
    for (const item of page.items) {
      if (item.activityTypeId === CHANGE_DATA_VALUE) {
        const field = byDisplayName.get(String(item.primaryAttributeValue ?? ''));
        if (field && pushed.has(field)) persons.add(item.leadId);
      } else if (tasksFromHere && taskTypes.has(item.activityTypeId)) tasks++;
    }
    pages++;
    if (!page.moreResult) break;
    if (pages >= MAX_FEED_PAGES) {
      capped = true;
      break;
    }
    ctx.budget.check('marketo');
  }
  const counts: Record<string, number> = {};
  for (const sobject of enabled) counts[metricKey(objectTypeOf(sobject), 'toSalesforce')] = 0;
  // Persons the sync has not linked are not pushed (Push Updates writes linked records only).
  for (const [, { entry }] of await statesByMarketoId(ctx.db, [...persons])) {
    if (!(PERSON_OBJECTS as readonly string[]).includes(entry.sobject)) continue;
    const key = metricKey(objectTypeOf(entry.sobject), 'toSalesforce');
    if (key in counts) counts[key]! += 1;
  }
  if (tasksFromHere && taskTypes.size > 0) counts[metricKey('Task', 'toSalesforce')] = tasks;
  return { counts, capped };
}
