// What a Salesforce Task or Event becomes in Marketo (docs/activities.md): one custom activity type
// per object, made by the sync on first use ("Salesforce Task", "Salesforce Event"), the Subject as
// primary attribute (shown in the person's activity log without a drill-down, activities.md), and
// the fields an admin filters on as secondary attributes. Marketo activities are write-once, so a
// later change or a deletion is a further activity of the same type whose `change` attribute says
// Updated or Deleted (one type per object, not three: an instance has 10 custom types in all).
import type { ActivityTypeAttribute, CustomActivityInput } from '../../../marketo';
import { valueHash } from '../../hash';

export type ActivityObject = 'Task' | 'Event';
export type ActivityChange = 'Logged' | 'Updated' | 'Deleted';

export interface ActivityTypeSpec {
  apiName: string;
  name: string;
  description: string;
  triggerName: string;
  filterName: string;
  primary: { apiName: string; name: string; description: string };
  /** Secondary attributes and the Salesforce field each one carries (null: the sync's own). */
  attributes: (ActivityTypeAttribute & { field: string | null })[];
}

const common = (
  field: string | null,
  apiName: string,
  name: string,
  dataType: ActivityTypeAttribute['dataType'],
) => ({
  field,
  apiName,
  name,
  dataType,
});

export const ACTIVITY_TYPES: Record<ActivityObject, ActivityTypeSpec> = {
  Task: {
    apiName: 'sfSyncStatusTask',
    name: 'Salesforce Task',
    description: 'A Salesforce Task on the person, sent by the Salesforce Sync Status extension',
    triggerName: 'Logs a Salesforce Task',
    filterName: 'Logged a Salesforce Task',
    primary: { apiName: 'subject', name: 'Subject', description: 'The Task subject' },
    attributes: [
      common(null, 'salesforceId', 'Salesforce Id', 'string'),
      common(null, 'change', 'Change', 'string'),
      common('Type', 'taskType', 'Type', 'string'),
      common('Status', 'status', 'Status', 'string'),
      common('Priority', 'priority', 'Priority', 'string'),
      common('ActivityDate', 'dueDate', 'Due Date', 'date'),
      common('WhatId', 'relatedToId', 'Related To Id', 'string'),
    ],
  },
  Event: {
    apiName: 'sfSyncStatusEvent',
    name: 'Salesforce Event',
    description: 'A Salesforce Event with the person, sent by the Salesforce Sync Status extension',
    triggerName: 'Logs a Salesforce Event',
    filterName: 'Logged a Salesforce Event',
    primary: { apiName: 'subject', name: 'Subject', description: 'The Event subject' },
    attributes: [
      common(null, 'salesforceId', 'Salesforce Id', 'string'),
      common(null, 'change', 'Change', 'string'),
      common('Type', 'eventType', 'Type', 'string'),
      common('StartDateTime', 'startDateTime', 'Start', 'datetime'),
      common('EndDateTime', 'endDateTime', 'End', 'datetime'),
      common('Location', 'location', 'Location', 'string'),
      common('WhatId', 'relatedToId', 'Related To Id', 'string'),
    ],
  },
};

/** The fields a change of which is sent again (Pull Updates), and the person. */
export const trackedFields = (object: ActivityObject) => [
  'Subject',
  ...ACTIVITY_TYPES[object].attributes.flatMap((a) => (a.field ? [a.field] : [])),
  'WhoId',
];

/** Every field the steps read (SystemModstamp and CreatedDate: the activity dates). */
export const selectFields = (object: ActivityObject) => [
  'Id',
  'SystemModstamp',
  'CreatedDate',
  ...trackedFields(object),
];

export type ActivityRow = Record<string, unknown> & { Id: string; SystemModstamp?: string };

/** Hashes of the tracked fields as they are now (lib/sync/hash.ts): what a change is measured by. */
export function activityHashes(object: ActivityObject, row: ActivityRow): Record<string, string> {
  return Object.fromEntries(trackedFields(object).map((f) => [f, valueHash(row[f] ?? null)]));
}

/** Salesforce datetimes (`…T…:ss.000+0000`) as Marketo takes them; dates stay dates. */
export function marketoDate(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d{4}-\d\d-\d\d$/.test(value)) return value;
  const ms = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(ms) ? null : `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Subject holds 255 characters; Marketo's string attributes take 255 too. */
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value.slice(0, 255) : null);

/** The activity for a row (its values now) on person `leadId`, dated `at` (ISO). */
export function activityInput(
  object: ActivityObject,
  typeId: number,
  row: ActivityRow,
  leadId: number,
  change: ActivityChange,
  at: string,
): CustomActivityInput {
  const spec = ACTIVITY_TYPES[object];
  return {
    leadId,
    activityDate: at,
    activityTypeId: typeId,
    primaryAttributeValue: text(row.Subject) ?? `(no subject) ${row.Id}`,
    attributes: spec.attributes.map((a) => ({
      apiName: a.apiName,
      value:
        a.apiName === 'salesforceId'
          ? row.Id
          : a.apiName === 'change'
            ? change
            : a.dataType === 'date' || a.dataType === 'datetime'
              ? marketoDate(row[a.field!])
              : text(row[a.field!]),
    })),
  };
}

/**
 * Tasks the sync itself made from Marketo activities (Push New: Subject ends in `[mkto <id>]`) are
 * never sent back: Marketo already has the activity they came from.
 */
export const madeBySync = (row: ActivityRow) =>
  typeof row.Subject === 'string' && /\[mkto [^\]]+\]$/.test(row.Subject);
