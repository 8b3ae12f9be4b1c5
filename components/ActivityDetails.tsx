import { formatDateTime } from '../lib/format/time';
import type { ActivityRecordView, SentActivityView } from '../lib/messaging/views';

/**
 * Lead and Contact pages (issue 20): the Tasks and Events sent to Marketo as activities on the
 * person, newest first, each with the last change sent (Logged, Updated, Deleted) and when.
 */
export function SentActivitiesDetails({
  activities,
  timeZone,
}: {
  activities: SentActivityView[];
  timeZone?: string;
}) {
  return (
    <section class="sent-activities" aria-label="Activities sent to Marketo">
      <h4>Activities sent to Marketo</h4>
      <ul>
        {activities.map((a) => (
          <li key={a.id}>
            <span class="subject">{a.subject ?? a.id}</span>{' '}
            <span class="muted">
              {a.object} · {a.change} on {formatDateTime(a.at, timeZone)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Task and Event pages (issue 20): where the record comes from and its Marketo activity. */
export function ActivityRecordDetails({
  activity,
  objectType,
}: {
  activity: ActivityRecordView;
  objectType: string;
}) {
  return (
    <section class="activity-record" aria-label="Marketo activity">
      <dl>
        <dt>Source</dt>
        <dd>
          {activity.source === 'toMarketo'
            ? `This ${objectType} in Salesforce, sent to Marketo as an activity (Update Activities)`
            : 'A Marketo activity the sync made this Task from (Push New)'}
        </dd>
        <dt>Marketo activity</dt>
        <dd>
          {activity.marketoActivity ?? '—'}
          {activity.lastActivity && activity.lastActivity !== activity.marketoActivity
            ? ` (last ${activity.change?.toLowerCase() ?? 'sent'}: ${activity.lastActivity})`
            : ''}
        </dd>
        {activity.person !== undefined && (
          <>
            <dt>Marketo person</dt>
            <dd>{activity.person}</dd>
          </>
        )}
      </dl>
      <p class="muted">
        Synced with every cycle; Sync now handles one lead, contact, account or campaign pair at a time.
      </p>
    </section>
  );
}
