// The custom activity type of Task or Event, created and approved on first use (docs/activities.md).
// Created ONCE however runs interleave: Marketo keys types by apiName and refuses a second create
// of the same one (1017), so a run that finds the type — approved, or a draft a stopped run left
// behind — finishes it (adds the attributes it lacks, approves) instead of making another; a run
// that loses a race to create it reads the list again. The type's id is kept in a cursor row
// (`activity-type:<Object>`) once approved, so later cycles make no call for it.
//
// Marketo allows 10 custom activity types per instance ("most subscriptions", activities.md). A
// full instance fails the step with the plain reason and what to do (ActivityTypeError); nothing
// is read past, so the activities go once the admin frees a slot.
import { MarketoApiError, type MarketoCustomActivityType } from '../../../marketo';
import type { StepContext } from '../../context';
import { readCursor } from '../../cursors';
import { ACTIVITY_TYPES, type ActivityObject } from './shape';

export const typeKey = (object: ActivityObject) => `activity-type:${object}`;

/** Marketo's documented cap (activities.md "Maximum number of Custom Activities: 10"). */
export const TYPE_LIMIT = 10;

/** A step failure whose message is the admin's plain reason and fix; the Marketo error is its cause. */
export class ActivityTypeError extends Error {
  override readonly name = 'ActivityTypeError';
}

export interface ActivityTypeRef {
  id: number;
  apiName: string;
}

/** The approved type of `object`, made now if Marketo has none. */
export async function activityType(ctx: StepContext, object: ActivityObject): Promise<ActivityTypeRef> {
  const kept = await readCursor(ctx.db, typeKey(object));
  if (kept) return JSON.parse(kept) as ActivityTypeRef;
  const spec = ACTIVITY_TYPES[object];
  const api = ctx.marketo.customActivities;
  let type: MarketoCustomActivityType | undefined;
  let fresh = false;
  for (let attempt = 0; !type; attempt++) {
    ctx.budget.check();
    const types = (await api.types()).filter((t) => t.status !== 'deleted');
    type = types.find((t) => t.apiName === spec.apiName);
    if (type) break;
    const taken = types.find((t) => t.name.toLowerCase() === spec.name.toLowerCase());
    if (taken)
      throw new ActivityTypeError(
        `Marketo already has an activity type named "${spec.name}" (API name ${taken.apiName}); rename it in ` +
          'Admin > Marketo Custom Activities so that the sync can create its own',
      );
    try {
      ctx.budget.check();
      type = await api.create({
        apiName: spec.apiName,
        name: spec.name,
        description: spec.description,
        triggerName: spec.triggerName,
        filterName: spec.filterName,
        primaryAttribute: spec.primary,
      });
      fresh = true;
    } catch (error) {
      // Another run created it meanwhile: read the list again and finish that one.
      if (error instanceof MarketoApiError && error.code === '1017' && attempt === 0) continue;
      if (types.length >= TYPE_LIMIT)
        throw new ActivityTypeError(
          `Marketo's limit of ${TYPE_LIMIT} custom activity types is reached (this instance has ${types.length}), so ` +
            `the sync cannot create "${spec.name}": delete a custom activity type you no longer use in Admin > ` +
            'Marketo Custom Activities (or ask Adobe to raise the limit); the activities are sent once it is created',
          { cause: error },
        );
      throw error;
    }
  }
  const ref = { id: await finish(ctx, object, type, fresh), apiName: spec.apiName };
  await ctx.commit({ outcomes: [], extraCursors: [{ key: typeKey(object), value: JSON.stringify(ref) }] });
  ctx.log(`Marketo activity type "${spec.name}" (${ref.id}) is ready`);
  return ref;
}

/**
 * Adds the attributes the type lacks (on its draft) and approves it when it has a draft; returns
 * its id. A type this run just created has no secondary attributes yet: no describe is needed.
 */
async function finish(
  ctx: StepContext,
  object: ActivityObject,
  found: MarketoCustomActivityType,
  fresh: boolean,
): Promise<number> {
  const spec = ACTIVITY_TYPES[object];
  const api = ctx.marketo.customActivities;
  const draft = found.status !== 'approved';
  let described: MarketoCustomActivityType | undefined;
  if (!fresh) {
    ctx.budget.check();
    described = await api.describe(spec.apiName, draft);
  }
  const has = new Set((described?.attributes ?? []).map((a) => a.apiName));
  const missing = spec.attributes.filter((a) => !has.has(a.apiName));
  let id = found.id ?? described?.id;
  if (missing.length) {
    ctx.budget.check();
    const edited = await api.createAttributes(
      spec.apiName,
      missing.map(({ field: _field, ...attribute }) => attribute),
    );
    id ??= edited.id;
  } else if (!draft) {
    if (id === undefined) throw new Error(`Marketo activity type ${spec.apiName} has no id`);
    return id;
  }
  ctx.budget.check();
  try {
    id = (await api.approve(spec.apiName)).id ?? id;
  } catch (error) {
    // Approved by another run in between: fine when the live version has every attribute.
    const live = await api.describe(spec.apiName).catch(() => undefined);
    const liveHas = new Set((live?.attributes ?? []).map((a) => a.apiName));
    if (!(live?.status === 'approved' && spec.attributes.every((a) => liveHas.has(a.apiName)))) throw error;
    id ??= live.id;
  }
  if (id === undefined) throw new Error(`Marketo activity type ${spec.apiName} has no id`);
  return id;
}

/** Forgets the kept type (it was deleted in Marketo): the next run makes it again. */
export const forgetType = (object: ActivityObject) => ({ key: typeKey(object), value: null });
