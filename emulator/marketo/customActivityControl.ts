// Control hooks for custom activities (tests, demo, soak): what an admin does in Marketo's Admin >
// Marketo Custom Activities (create and approve a type by hand, so an instance can be full), the
// instance's type limit, and the activities of one type as Marketo holds them.
import { isoSeconds } from './format';
import type { MarketoStore } from './store';

export interface AdminActivityType {
  apiName: string;
  name: string;
  /** Default: approved, as a type in use usually is. */
  approved?: boolean;
}

export function adminCreateActivityType(store: MarketoStore, input: AdminActivityType): { id: number } {
  const types = store.customActivities;
  if (types.types.has(input.apiName)) throw new Error(`Activity type ${input.apiName} exists`);
  if (types.types.size >= types.typeLimit) throw new Error('Custom activity type limit reached');
  const type = types.create(input.apiName, {
    name: input.name,
    triggerName: `${input.name} happens`,
    filterName: `${input.name} happened`,
    primaryAttribute: { apiName: 'name', name: 'Name', dataType: 'string' },
    attributes: [],
  });
  if (input.approved !== false) {
    type.approved = type.draft;
    delete type.draft;
  }
  return { id: type.id };
}

/** Every custom type: id, apiName, status, and its attributes' API names (live version first). */
export function listActivityTypes(store: MarketoStore) {
  return [...store.customActivities.types.values()].map((t) => {
    const version = t.approved ?? t.draft!;
    return {
      id: t.id,
      apiName: t.apiName,
      name: version.name,
      status: t.approved ? (t.draft ? 'approved with draft' : 'approved') : 'draft',
      attributes: version.attributes.map((a) => a.apiName),
    };
  });
}

/** The activities of a custom type (by id or apiName), oldest first. */
export function activitiesOfType(store: MarketoStore, type: { id?: number; apiName?: string }) {
  const id = type.id ?? store.customActivities.types.get(type.apiName ?? '')?.id;
  if (id === undefined) return [];
  return store.activities
    .all()
    .filter((a) => a.typeId === id)
    .map((a) => ({
      id: a.id,
      leadId: a.leadId,
      activityDate: isoSeconds(a.date),
      primaryAttributeValue: a.primaryAttributeValue ?? null,
      attributes: Object.fromEntries(a.attributes.map((x) => [x.name, x.value])),
    }));
}
