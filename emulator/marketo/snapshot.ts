// A plain-JSON picture of everything the Marketo emulator holds (for tests and the demo).
import { isoSeconds } from './format';
import type { MarketoStore } from './store';

export function snapshotStore(store: MarketoStore) {
  return {
    settings: { ...store.settings },
    leads: [...store.leads.byId.values()].map((lead) => ({
      id: lead.id,
      createdAt: isoSeconds(lead.createdAt),
      updatedAt: isoSeconds(lead.updatedAt),
      ...lead.values,
    })),
    activities: store.activities.all().map((a) => ({ ...a, activityDate: isoSeconds(a.date) })),
    channels: [...store.programs.channels.values()],
    programs: [...store.programs.programs.values()],
    programMembers: [...store.programs.members.values()].flatMap((members) => [...members.values()]),
    crm: Object.fromEntries(
      Object.entries(store.crm.tables).map(([kind, table]) => [
        kind,
        [...table.records.values()].map((r) => ({ key: r.key, ...r.values })),
      ]),
    ),
    customObjects: Object.fromEntries(
      [...store.customObjects.types.values()].map((type) => [type.name, [...type.records.values()]]),
    ),
  };
}

export type MarketoSnapshot = ReturnType<typeof snapshotStore>;
