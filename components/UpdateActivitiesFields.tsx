import type { FieldIssue } from '../lib/settings/issues';
import { FormField } from './FormField';

/** The draft of settings `updateActivities`: each list typed as comma-separated Type values. */
export interface UpdateActivitiesDraft {
  taskTypes: string;
  eventTypes: string;
}

const KEYS = [
  ['taskTypes', 'Task types sent to Marketo', 'updateActivitiesTaskTypes'],
  ['eventTypes', 'Event types sent to Marketo', 'updateActivitiesEventTypes'],
] as const;

/** The schema's error on a list or on one of its values (`…taskTypes[2]`: "Value 3: …"). */
export function errorOf(errors: FieldIssue[], key: 'taskTypes' | 'eventTypes'): string | undefined {
  const path = `updateActivities.${key}`;
  const issue = errors.find((e) => e.path === path || e.path.startsWith(`${path}[`));
  if (!issue) return undefined;
  const index = /^\[(\d+)\]$/.exec(issue.path.slice(path.length))?.[1];
  return index !== undefined ? `Value ${Number(index) + 1}: ${issue.message}` : issue.message;
}

/**
 * Update Activities (issue 20, docs/activities.md): which Salesforce Task and Event types become
 * activities on the Marketo person — the best-practices advice to send meaningful activities only.
 * The Task and Event switches (What syncs) turn each object on.
 */
export function UpdateActivitiesFields(props: {
  value: UpdateActivitiesDraft;
  errors: FieldIssue[];
  onChange(value: UpdateActivitiesDraft): void;
}) {
  return (
    <fieldset class="update-activities">
      <legend>Salesforce activities sent to Marketo</legend>
      {KEYS.map(([key, label, id]) => (
        <FormField
          key={key}
          label={label}
          name={id}
          error={errorOf(props.errors, key)}
          hint="Comma-separated Type values (e.g. Call, Meeting). Only Tasks and Events of these types become activities on the Marketo person; empty sends none."
        >
          <input
            id={id}
            list="activity-type-choices"
            value={props.value[key]}
            onInput={(e) => props.onChange({ ...props.value, [key]: e.currentTarget.value })}
          />
        </FormField>
      ))}
      <datalist id="activity-type-choices">
        {['Call', 'Email', 'Meeting', 'Other'].map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
    </fieldset>
  );
}

export const toActivitiesDraft = (s: {
  taskTypes: string[];
  eventTypes: string[];
}): UpdateActivitiesDraft => ({
  taskTypes: s.taskTypes.join(', '),
  eventTypes: s.eventTypes.join(', '),
});

const list = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

export const fromActivitiesDraft = (d: UpdateActivitiesDraft) => ({
  taskTypes: list(d.taskTypes),
  eventTypes: list(d.eventTypes),
});
