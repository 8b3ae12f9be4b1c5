// Sends planned activities to Marketo (Add Custom Activities, 300 per call) and turns the answers
// into outcomes, sync states and the persons' activity lists. Adding is not idempotent, so before
// each call an intent row names what it is for (intent.ts); the commit that logs the answers removes
// it. A call whose answer is lost is never resent (client.ts `once`): the step fails, and the next
// run looks those activities up before anything is sent again.
import type { SyncState } from '../../../db/syncStateTypes';
import type { FieldChange, Outcome, PackedOutcome } from '../../../db/types';
import type { StepContext } from '../../context';
import { failure } from '../objects/crm';
import type { ActivityIndex } from './activityIndex';
import { ActivityTypeError, type ActivityTypeRef, typeKey } from './activityType';
import { type IntentItem, writeIntent } from './intent';
import {
  type ActivityChange,
  type ActivityObject,
  type ActivityRow,
  activityInput,
  trackedFields,
} from './shape';

export interface PlannedActivity {
  row: ActivityRow;
  change: ActivityChange;
  /** The activity's date (ISO): when the Task was logged, changed or deleted. */
  at: string;
  leadId: number;
  who: string;
  /** The tracked fields' hashes to keep once sent ({} for a deletion). */
  hashes: Record<string, string>;
  /** The record's state before (undefined: never sent). */
  before: SyncState | undefined;
}

export interface SentBatch {
  outcomes: PackedOutcome[];
  states: Map<string, SyncState | null>;
  intentKey: string | undefined;
}

export const OUTCOME_OF: Record<ActivityChange, Outcome> = {
  Logged: 'new',
  Updated: 'updated',
  Deleted: 'deleted',
};

/** The fields an outcome names: every tracked one for a new activity, the changed ones for an update. */
export function changesOf(
  object: ActivityObject,
  plan: Pick<PlannedActivity, 'row' | 'change' | 'hashes' | 'before'>,
) {
  if (plan.change === 'Deleted') return [{ field: 'IsDeleted', old: false, new: true }];
  return trackedFields(object)
    .filter((f) => plan.change === 'Logged' || plan.before?.hashes[f] !== plan.hashes[f])
    .filter((f) => plan.change !== 'Logged' || (plan.row[f] ?? null) !== null)
    .map((field): FieldChange => ({ field, old: null, new: plan.row[field] ?? null }));
}

/** The state and list entry of an activity Marketo took. */
export function sentState(object: ActivityObject, item: IntentItem, guid: string, before?: SyncState) {
  return {
    sobject: object,
    hashes: {
      ...item.hashes,
      '@activity': before?.hashes['@activity'] ?? guid,
      '@last': guid,
      '@lead': String(item.leadId),
      '@who': item.who,
    },
  } satisfies SyncState;
}

export async function sendActivities(
  ctx: StepContext,
  object: ActivityObject,
  type: ActivityTypeRef,
  plans: readonly PlannedActivity[],
  index: ActivityIndex,
): Promise<SentBatch> {
  const out: SentBatch = { outcomes: [], states: new Map(), intentKey: undefined };
  if (plans.length === 0) return out;
  const items: IntentItem[] = plans.map((p) => ({
    id: p.row.Id,
    leadId: p.leadId,
    who: p.who,
    ...(typeof p.before?.hashes['@who'] === 'string' && { from: p.before.hashes['@who'] }),
    change: p.change,
    at: p.at,
    hashes: p.hashes,
    ...(typeof p.row.Subject === 'string' && { name: p.row.Subject }),
  }));
  out.intentKey = await writeIntent(ctx, object, type.id, items);
  ctx.budget.check();
  const results = await ctx.marketo.customActivities.add(
    plans.map((p) => activityInput(object, type.id, p.row, p.leadId, p.change, p.at)),
  );
  // The type was deleted in Marketo since it was kept: forget it, so the next run makes it again.
  if (results.length > 0 && results.every((r) => r.reasons[0]?.code === '1013')) {
    await ctx.db.cursors.delete(typeKey(object));
    throw new ActivityTypeError(
      `The Marketo activity type for Salesforce ${object}s (${type.apiName}) is gone; the next cycle creates it again`,
    );
  }
  const changed = new Set<string>();
  await index.load(items.flatMap((i) => (i.from ? [i.who, i.from] : [i.who])));
  plans.forEach((plan, n) => {
    const result = results[n]!;
    const item = items[n]!;
    const named = item.name ? { name: item.name } : {};
    if (result.status === 'skipped' || result.id === undefined) {
      out.outcomes.push({
        sfId: plan.row.Id,
        mktoId: plan.leadId,
        outcome: 'failed',
        error: failure(result),
        ...named,
      });
      // Kept (or made) so that the retry finds it (objectPull.ts retryOwed).
      out.states.set(plan.row.Id, plan.before ?? { sobject: object, hashes: {} });
      return;
    }
    out.outcomes.push({
      sfId: plan.row.Id,
      mktoId: plan.leadId,
      outcome: OUTCOME_OF[plan.change],
      changes: changesOf(object, plan),
      ...named,
    });
    out.states.set(
      plan.row.Id,
      plan.change === 'Deleted' ? null : sentState(object, item, String(result.id), plan.before),
    );
    index.put(
      item.id,
      item.from,
      item.who,
      { object, change: item.change, at: Date.parse(item.at) },
      changed,
    );
  });
  index.states(changed, out.states);
  return out;
}
