// Update Activities (the seed's "Update activities": Salesforce activities to Marketo): each Task
// or Event of a type the admin selected, on a synced lead or contact, becomes one activity on the
// Marketo person, under the type the sync makes on first use (activityType.ts). The object pull's
// cursor discipline (objectPull.ts: a (SystemModstamp, Id) position, batches of 300 committed with
// their position, a lookback) on this step's own position `pull:<Object>Activity`; the write is an
// Add Custom Activities call with an intent row before it (intent.ts), so after a stop anywhere
// nothing is lost and nothing is added twice. Per record:
// - sent before: Pull Updates' (pullActivities.ts), no outcome here;
// - made by the sync (Push New), of a type not selected, or with no lead or contact: Skipped;
// - its person excluded by the sync filter: Excluded, and queued; not in Marketo yet: Skipped
//   "Queued", and sent once it is (`queue:<Object>Activity`, read again when persons changed);
// - Marketo refuses it (a person deleted there, 1004): Failed, retried with back-off.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import type { OperationModule } from '../../plan';
import { type ObjectPullSpec, pullObject, type WrittenBatch } from '../objects/objectPull';
import { ActivityIndex } from './activityIndex';
import { activityType } from './activityType';
import { resolveIntents } from './intent';
import { activityPersons, EXCLUDED_REASON, QUEUED_REASON } from './persons';
import { type PlannedActivity, sendActivities } from './sendActivities';
import {
  type ActivityObject,
  type ActivityRow,
  activityHashes,
  madeBySync,
  marketoDate,
  selectFields,
} from './shape';
import { activitySteps, activityTarget, selectedTypes, sentKey } from './steps';

export const updateActivities: OperationModule = {
  operation: 'Update Activities',
  steps: (scope) => activitySteps('Update Activities', scope),
  async run(ctx) {
    const object = ctx.step.sobject as ActivityObject;
    const index = new ActivityIndex(ctx);
    const done = await resolveIntents(ctx, object, index);
    await pullObject(ctx, activitySpec(ctx, object, index, done));
  },
};

function activitySpec(
  ctx: StepContext,
  object: ActivityObject,
  index: ActivityIndex,
  done: Set<string>,
): ObjectPullSpec {
  const types = selectedTypes(ctx.settings, object);
  const filter = ctx.settings.syncFilterField;
  return {
    target: activityTarget(object),
    sobject: object,
    stateObject: object,
    select: selectFields(object).join(', '),
    queue: {
      key: `queue:${activityTarget(object)}`,
      ready: async (c) => (await salesforceChanged(c, 'Lead')) || (await salesforceChanged(c, 'Contact')),
    },
    async write(raw, quiet, fresh) {
      const rows = raw as ActivityRow[];
      const states = fresh
        ? new Map<string, SyncState>()
        : await loadStates(
            ctx.db,
            rows.map((r) => r.Id),
          );
      const persons = await activityPersons(ctx, rows);
      const out: WrittenBatch = { outcomes: [], states: new Map(), queued: [] };
      const plans: PlannedActivity[] = [];
      for (const row of rows) {
        const state = states.get(row.Id);
        // Sent before (or in this run: a queued row read again): Pull Updates follows its changes.
        if (done.has(row.Id) || state?.hashes['@activity']) continue;
        // Read again behind the position and failed before: its retry is due on its own schedule.
        if (quiet.has(row.Id) && state) continue;
        const name = typeof row.Subject === 'string' ? { name: row.Subject } : {};
        const log = (outcome: 'skipped' | 'excluded', reason: string) => {
          if (!quiet.has(row.Id)) out.outcomes.push({ sfId: row.Id, outcome, reason, ...name });
        };
        if (madeBySync(row)) {
          log('skipped', 'made by the sync from a Marketo activity (Push New): Marketo has it already');
          continue;
        }
        const type = typeof row.Type === 'string' ? row.Type : '';
        if (!types.has(type)) {
          log(
            'skipped',
            `its Type (${type || 'none'}) is not among the ${object} types sent to Marketo (Options: Update Activities)`,
          );
          continue;
        }
        const person = persons.get(row.Id)!;
        if (person.kind === 'none') log('skipped', 'not related to a lead or contact');
        else if (person.kind === 'excluded') {
          out.queued!.push(row.Id);
          log('excluded', EXCLUDED_REASON(filter));
        } else if (person.kind === 'queued') {
          out.queued!.push(row.Id);
          log('skipped', QUEUED_REASON);
        } else
          plans.push({
            row,
            change: 'Logged',
            at: marketoDate(row.CreatedDate) ?? new Date(ctx.clock.now()).toISOString(),
            leadId: person.leadId,
            who: person.who,
            hashes: activityHashes(object, row),
            before: state,
          });
      }
      if (plans.length === 0) return out;
      for (const p of plans) done.add(p.row.Id);
      const sent = await sendActivities(ctx, object, await activityType(ctx, object), plans, index);
      out.outcomes.push(...sent.outcomes);
      for (const [id, s] of sent.states) out.states.set(id, s);
      out.extraCursors = [
        ...(sent.intentKey ? [{ key: sent.intentKey, value: null }] : []),
        ...(sent.outcomes.some((o) => o.outcome === 'new') ? [{ key: sentKey(object), value: '1' }] : []),
      ];
      return out;
    },
  };
}
