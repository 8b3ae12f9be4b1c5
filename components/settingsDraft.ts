import type { FieldChoice } from '../lib/messaging/connectionViews';
import type { FieldIssue } from '../lib/settings/issues';
import type { ObjectSettings, SyncSettings } from '../lib/settings/schema';
import { fromActivitiesDraft, toActivitiesDraft, type UpdateActivitiesDraft } from './UpdateActivitiesFields';

// The options form edits a draft: numbers stay the text the admin typed until Save, so the zod
// schema (not the form) decides what is valid and its errors name the same paths the inputs use.

export interface SettingsDraft {
  intervalMinutes: string;
  retentionDays: string;
  syncFilterField: string;
  personLabel: SyncSettings['personLabel'];
  notifyOnFailure: boolean;
  /** Salesforce's daily allowance share, as a percentage (the schema stores 0–1). */
  salesforceSharePercent: string;
  marketoDailyCalls: string;
  retryMaxAttempts: string;
  retryBackoffMinutes: string;
  /** Retries pause past this share of the allocation, as a percentage (the schema stores 0–1). */
  retryPausePercent: string;
  reconcileIntervalHours: string;
  /** Reconcile's share of the daily API allowance, as a percentage (the schema stores 0–1). */
  reconcileSharePercent: string;
  taskActivityTypes: SyncSettings['taskActivityTypes'];
  changeThresholds: { field: string; minDelta: string }[];
  objects: Record<string, ObjectSettings>;
  programPairs: SyncSettings['programPairs'];
  emailTemplates: SyncSettings['emailTemplates'];
  /** Custom objects' Marketo object and link fields (typed as a comma list, split on Save). */
  customObjects: Record<string, { marketoObject: string; linkFields: string }>;
  valueRules: SyncSettings['valueRules'];
  /** Update Activities' Task and Event types (issue 20). */
  updateActivities: UpdateActivitiesDraft;
}

export function toDraft(s: SyncSettings): SettingsDraft {
  return {
    intervalMinutes: String(s.intervalMinutes),
    retentionDays: String(s.retentionDays),
    syncFilterField: s.syncFilterField ?? '',
    personLabel: s.personLabel,
    notifyOnFailure: s.notifyOnFailure,
    salesforceSharePercent: String(Math.round(s.apiBudget.salesforceDailyShare * 1000) / 10),
    marketoDailyCalls: String(s.apiBudget.marketoDailyCalls),
    retryMaxAttempts: String(s.retry.maxAttempts),
    retryBackoffMinutes: String(s.retry.backoffBaseMinutes),
    retryPausePercent: String(Math.round(s.retry.pauseAtAllocationShare * 1000) / 10),
    reconcileIntervalHours: String(s.reconcile.intervalHours),
    reconcileSharePercent: String(Math.round(s.reconcile.maxApiShare * 1000) / 10),
    taskActivityTypes: s.taskActivityTypes.map((t) => ({ ...t })),
    changeThresholds: s.changeThresholds.map((t) => ({ field: t.field, minDelta: String(t.minDelta) })),
    objects: structuredClone(s.objects),
    programPairs: structuredClone(s.programPairs),
    emailTemplates: structuredClone(s.emailTemplates),
    customObjects: Object.fromEntries(
      Object.entries(s.customObjects).map(([name, c]) => [
        name,
        { marketoObject: c.marketoObject, linkFields: c.linkFields.join(', ') },
      ]),
    ),
    valueRules: s.valueRules.map((r) => ({ ...r })),
    updateActivities: toActivitiesDraft(s.updateActivities),
  };
}

/**
 * Plain decimals typed into inputs reach the schema as numbers; anything else (`0x10`, `1e3`,
 * `Infinity`, which Number() would accept) is left as text for the schema to refuse, naming the field.
 */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
export const asNumber = (text: string): number | string => (DECIMAL.test(text.trim()) ? Number(text) : text);

const percentToShare = (text: string) => {
  const n = asNumber(text);
  return typeof n === 'number' ? Math.round(n * 10) / 1000 : n;
};

/** The settings object to validate: the saved settings with the draft's values on top. */
export function fromDraft(saved: SyncSettings, d: SettingsDraft): unknown {
  return {
    ...saved,
    intervalMinutes: asNumber(d.intervalMinutes),
    retentionDays: asNumber(d.retentionDays),
    syncFilterField: d.syncFilterField.trim() === '' ? null : d.syncFilterField.trim(),
    personLabel: d.personLabel,
    notifyOnFailure: d.notifyOnFailure,
    apiBudget: {
      salesforceDailyShare: percentToShare(d.salesforceSharePercent),
      marketoDailyCalls: asNumber(d.marketoDailyCalls),
    },
    retry: {
      maxAttempts: asNumber(d.retryMaxAttempts),
      backoffBaseMinutes: asNumber(d.retryBackoffMinutes),
      pauseAtAllocationShare: percentToShare(d.retryPausePercent),
    },
    reconcile: {
      intervalHours: asNumber(d.reconcileIntervalHours),
      maxApiShare: percentToShare(d.reconcileSharePercent),
    },
    taskActivityTypes: d.taskActivityTypes,
    changeThresholds: d.changeThresholds.map((t) => ({
      field: t.field.trim(),
      minDelta: asNumber(t.minDelta),
    })),
    programPairs: d.programPairs,
    emailTemplates: d.emailTemplates,
    customObjects: Object.fromEntries(
      Object.entries(d.customObjects).map(([name, c]) => [
        name,
        {
          marketoObject: c.marketoObject.trim(),
          linkFields: c.linkFields
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean),
        },
      ]),
    ),
    valueRules: d.valueRules,
    updateActivities: fromActivitiesDraft(d.updateActivities),
    objects: Object.fromEntries(
      Object.entries(d.objects).map(([name, o]) => [
        name,
        {
          ...o,
          fields: o.fields.map((f) => ({
            ...f,
            salesforceField: f.salesforceField.trim(),
            marketoField: f.marketoField.trim(),
          })),
        },
      ]),
    ),
  };
}

/** The schema's limits, said the way the form asks (the share is a percentage on the form). */
const RANGE_MESSAGES: Record<string, string> = {
  intervalMinutes: 'a whole number of minutes from 1 to 60',
  retentionDays: 'a whole number of days from 1 to 90',
  'apiBudget.salesforceDailyShare': 'a percentage from 0 to 100',
  'apiBudget.marketoDailyCalls': 'a whole number of calls, 0 or more',
  'retry.maxAttempts': 'a whole number of attempts from 1 to 20',
  'retry.backoffBaseMinutes': 'a whole number of minutes from 1 to 1440',
  'retry.pauseAtAllocationShare': 'a percentage from 0 to 100',
  'reconcile.intervalHours': 'a whole number of hours from 1 to 720',
  'reconcile.maxApiShare': 'a percentage from 0 to 100',
};

export function friendlyIssues(issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => {
    const range = RANGE_MESSAGES[i.path];
    return range ? { ...i, message: `Expected ${range}` } : i;
  });
}

/**
 * The sync filter field must be a checkbox the connected user can see on Lead (the schema can only
 * check that it is a well-formed API name). Checked when Lead's describe is known.
 */
export function filterFieldIssue(filterField: string, leadFields: FieldChoice[] | undefined): FieldIssue[] {
  const name = filterField.trim();
  if (!name || !leadFields || leadFields.length === 0) return [];
  const field = leadFields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!field) {
    return [
      { path: 'syncFilterField', message: `Lead has no field ${name} that the connected user can see` },
    ];
  }
  if (field.type !== 'boolean') {
    return [{ path: 'syncFilterField', message: `${name} is a ${field.type} field, not a checkbox` }];
  }
  return [];
}
