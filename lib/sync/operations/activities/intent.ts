// Nothing added twice (docs/activities.md). Marketo's Add Custom Activities has no key to dedupe
// on, and a call can be carried out while its answer is lost (a dropped connection, a worker
// stopped mid-call). So before each call an intent row, `intent:activities:<operation>:<Object>:
// <n>`, names every activity it is for — record, person, change and activity date — and the commit
// that logs the answers deletes it in the same transaction. The next run of that step first reads
// back, for each intent left over, the activities of the type on those persons since the earliest
// date (30 persons per feed call), and logs the ones Marketo has as done: their rows, read again
// (the position never moved past them), then find their state agreeing and send nothing.
import { z } from 'zod';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import type { StepContext } from '../../context';
import { chunks } from '../common';
import type { ActivityIndex } from './activityIndex';
import { OUTCOME_OF, sentState } from './sendActivities';
import type { ActivityChange, ActivityObject } from './shape';
import { sentKey } from './steps';

const itemSchema = z.object({
  id: z.string(),
  leadId: z.number().int(),
  who: z.string(),
  from: z.string().optional(),
  change: z.enum(['Logged', 'Updated', 'Deleted']),
  at: z.string(),
  hashes: z.record(z.string(), z.string()),
  name: z.string().optional(),
});
export type IntentItem = z.output<typeof itemSchema>;
const intentSchema = z.object({ typeId: z.number().int(), items: z.array(itemSchema) });

const prefix = (ctx: StepContext, object: ActivityObject) => `intent:activities:${ctx.operation}:${object}:`;
let sequence = 0;

/** Writes the intent of one add call; returns its key (the batch's commit deletes it). */
export async function writeIntent(
  ctx: StepContext,
  object: ActivityObject,
  typeId: number,
  items: IntentItem[],
): Promise<string> {
  const key = `${prefix(ctx, object)}${ctx.clock.now()}-${++sequence}`;
  await ctx.db.cursors.put({ key, value: JSON.stringify({ typeId, items }), updatedAt: ctx.clock.now() });
  return key;
}

/**
 * Settles the intents a stopped run of this step left: the activities Marketo has are logged as
 * sent (returned, so that this run does not log them again); the rest are simply owed still.
 */
export async function resolveIntents(
  ctx: StepContext,
  object: ActivityObject,
  index: ActivityIndex,
): Promise<Set<string>> {
  const settled = new Set<string>();
  const rows = await ctx.db.cursors.where('key').startsWith(prefix(ctx, object)).toArray();
  for (const row of rows) {
    let parsed: z.output<typeof intentSchema>;
    try {
      parsed = intentSchema.parse(JSON.parse(row.value));
    } catch {
      throw new Error(`Cursor ${row.key}: not an activity intent`);
    }
    const found = await addedActivities(ctx, parsed.typeId, parsed.items);
    const outcomes: PackedOutcome[] = [];
    const states = new Map<string, SyncState | null>();
    const changed = new Set<string>();
    await index.load(parsed.items.flatMap((i) => (i.from ? [i.who, i.from] : [i.who])));
    for (const item of parsed.items) {
      const guid = found.get(keyOf(item.id, item.change, item.at));
      if (guid === undefined) continue;
      settled.add(item.id);
      outcomes.push({
        sfId: item.id,
        mktoId: item.leadId,
        outcome: OUTCOME_OF[item.change],
        reason: 'added by a run that stopped before logging it',
        ...(item.name && { name: item.name }),
      });
      states.set(item.id, item.change === 'Deleted' ? null : sentState(object, item, guid));
      index.put(
        item.id,
        item.from,
        item.who,
        { object, change: item.change, at: Date.parse(item.at) },
        changed,
      );
    }
    index.states(changed, states);
    if (settled.size)
      ctx.log(`${ctx.operation} ${object}: ${settled.size} activities found added before a stop`);
    const logged = outcomes.some((o) => o.outcome === 'new') ? [{ key: sentKey(object), value: '1' }] : [];
    await ctx.commit({ outcomes, states, extraCursors: [{ key: row.key, value: null }, ...logged] });
  }
  return settled;
}

const keyOf = (id: string, change: ActivityChange, at: string) => `${id}|${change}|${Date.parse(at)}`;

/** The activities of the type on the items' persons since their earliest date: key → marketoGUID. */
async function addedActivities(ctx: StepContext, typeId: number, items: IntentItem[]) {
  const found = new Map<string, string>();
  if (items.length === 0) return found;
  const since = new Date(Math.min(...items.map((i) => Date.parse(i.at))));
  const leads = [...new Set(items.map((i) => i.leadId))];
  for (const group of chunks(leads, 30)) {
    ctx.budget.check();
    const token = await ctx.marketo.activities.pagingToken(since);
    ctx.budget.check();
    for await (const page of ctx.marketo.activities.activities({
      nextPageToken: token,
      activityTypeIds: [typeId],
      leadIds: group,
    })) {
      for (const a of page.items) {
        const attr = (name: string, api: string) =>
          a.attributes.find((x) => x.name === name || x.name === api)?.value;
        const id = attr('Salesforce Id', 'salesforceId');
        const change = attr('Change', 'change');
        if (typeof id === 'string' && typeof change === 'string')
          found.set(keyOf(id, change as ActivityChange, a.activityDate), a.marketoGUID ?? String(a.id));
      }
      if (page.moreResult) ctx.budget.check();
    }
  }
  return found;
}
