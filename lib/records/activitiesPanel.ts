// The record panel's parts for activities (issue 20, docs/activities.md), from the log alone (the
// panel shows within 150 ms, design §9): on Lead and Contact pages, the person's Tasks and Events
// sent to Marketo (its `activities-of:` list, lib/sync/operations/activities/activityIndex.ts) with
// their subjects as their last outcomes named them; on Task and Event pages, the record's source —
// sent to Marketo as an activity, or made by the sync from a Marketo activity — and that activity.
import type { LogDatabase } from '../db/logPort';
import { knownNames, type RecordStatus } from '../db/recordStatus';
import { loadStates } from '../db/syncState';
import type { ActivityRecordView, SentActivityView } from '../messaging/views';
import { activitiesOfKey, decodeActivities } from '../sync/operations/activities/activityIndex';

/** Newest first, at most this many (the panel is small; the dashboard has the rest). */
const SHOWN = 20;

export async function sentActivitiesView(db: LogDatabase, personId: string): Promise<SentActivityView[]> {
  const key = activitiesOfKey(personId);
  const list = [...decodeActivities((await loadStates(db, [key])).get(key))]
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, SHOWN);
  if (list.length === 0) return [];
  const names = await knownNames(
    db,
    list.map(([id]) => id),
  );
  return list.map(([id, a]) => ({
    id,
    object: a.object,
    change: a.change,
    at: a.at,
    ...(names.get(id) && { subject: names.get(id)! }),
  }));
}

/** A Task's or Event's source: its own state (sent by Update Activities), or Push New's outcome. */
export function activityRecordView(status: RecordStatus): ActivityRecordView | undefined {
  const hashes = status.syncState?.hashes;
  if (hashes?.['@activity']) {
    const lastChange = status.events.find(
      (e) => e.operation === 'Update Activities' || e.operation === 'Pull Updates',
    );
    const lead = Number(hashes['@lead']);
    return {
      source: 'toMarketo',
      marketoActivity: hashes['@activity'],
      ...(hashes['@last'] && { lastActivity: hashes['@last'] }),
      change:
        lastChange?.outcome === 'updated'
          ? 'Updated'
          : lastChange?.outcome === 'deleted'
            ? 'Deleted'
            : 'Logged',
      ...(Number.isInteger(lead) && { person: lead }),
    };
  }
  const made = status.events.find(
    (e) => e.operation === 'Push New' && (e.outcome === 'new' || e.outcome === 'skipped'),
  );
  if (!made) return undefined;
  const subject = made.changes?.find((c) => c.field === 'Subject')?.new ?? made.name;
  const guid = typeof subject === 'string' ? /\[mkto ([^\]]+)\]$/.exec(subject)?.[1] : undefined;
  return {
    source: 'fromMarketo',
    ...(guid && { marketoActivity: guid }),
    ...(made.mktoId !== undefined && { person: made.mktoId }),
  };
}
