import type { FieldIssue } from '../lib/settings/issues';
import type { SettingsDraft } from './settingsDraft';

// Marketo's standard activity type ids (GET /rest/v1/activities/types.json); the sync accepts at
// most 10, one activities call per page.
const ACTIVITY_TYPES = [
  { id: 1, name: 'Visit Webpage' },
  { id: 2, name: 'Fill Out Form' },
  { id: 3, name: 'Click Link' },
  { id: 7, name: 'Email Delivered' },
  { id: 9, name: 'Unsubscribe Email' },
  { id: 10, name: 'Open Email' },
  { id: 11, name: 'Click Link in Email' },
  { id: 14, name: 'Change Status in Progression' },
  { id: 46, name: 'Interesting Moment' },
] as const;

const errorAt = (errors: FieldIssue[], path: string) => errors.find((e) => e.path === path)?.message;

/** Which Marketo activities become Salesforce Tasks ("limit task creation to meaningful activities"). */
export function ActivityTypesField(props: {
  value: SettingsDraft['taskActivityTypes'];
  errors: FieldIssue[];
  onChange(value: SettingsDraft['taskActivityTypes']): void;
}) {
  const chosen = new Set(props.value.map((t) => t.id));
  const known = [...ACTIVITY_TYPES, ...props.value.filter((t) => !ACTIVITY_TYPES.some((k) => k.id === t.id))];
  const error = errorAt(props.errors, 'taskActivityTypes');
  return (
    <fieldset
      class={error ? 'activity-types invalid' : 'activity-types'}
      aria-describedby={error ? 'taskActivityTypes-error' : undefined}
    >
      <legend>Marketo activities that become Salesforce Tasks</legend>
      {known.map((t) => (
        <label key={t.id}>
          <input
            type="checkbox"
            name="taskActivityTypes"
            value={String(t.id)}
            checked={chosen.has(t.id)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked
                  ? [...props.value, { id: t.id, name: t.name }]
                  : props.value.filter((v) => v.id !== t.id),
              )
            }
          />{' '}
          {t.name}
        </label>
      ))}
      {error && (
        <span class="field-error" id="taskActivityTypes-error" data-field="taskActivityTypes">
          {error}
        </span>
      )}
    </fieldset>
  );
}

/** Numeric change thresholds: smaller changes of these fields are not synced (noisy fields). */
export function ChangeThresholdsEditor(props: {
  value: SettingsDraft['changeThresholds'];
  errors: FieldIssue[];
  onChange(value: SettingsDraft['changeThresholds']): void;
}) {
  const set = (index: number, patch: Partial<SettingsDraft['changeThresholds'][number]>) =>
    props.onChange(props.value.map((t, i) => (i === index ? { ...t, ...patch } : t)));
  return (
    <fieldset class="thresholds">
      <legend>Ignore small changes of noisy number fields</legend>
      <div class="hint">
        Name the field where it changes: its Marketo name (leadScore) for changes pushed to Salesforce, its
        Salesforce API name (NumberOfEmployees) for changes pulled into Marketo. A change is measured from the
        value last synced, so small changes add up; the record panel says when one is skipped.
      </div>
      {props.value.map((t, i) => {
        const fieldError = errorAt(props.errors, `changeThresholds[${i}].field`);
        const deltaError = errorAt(props.errors, `changeThresholds[${i}].minDelta`);
        const errorId = `changeThresholds[${i}]-error`;
        const invalid = (error: string | undefined) =>
          error ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
        return (
          <div class="threshold" key={i}>
            Field{' '}
            <input
              name={`changeThresholds[${i}].field`}
              aria-label={`Threshold ${i + 1}: field`}
              {...invalid(fieldError)}
              value={t.field}
              onInput={(e) => set(i, { field: e.currentTarget.value })}
            />{' '}
            changes by less than{' '}
            <input
              name={`changeThresholds[${i}].minDelta`}
              aria-label={`Threshold ${i + 1}: changes smaller than this are not synced`}
              {...invalid(deltaError)}
              inputMode="decimal"
              size={6}
              value={t.minDelta}
              onInput={(e) => set(i, { minDelta: e.currentTarget.value })}
            />{' '}
            are not synced{' '}
            <button
              type="button"
              aria-label={`Remove threshold ${t.field || i + 1}`}
              onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
            >
              Remove
            </button>
            {(fieldError || deltaError) && (
              <span class="field-error" id={errorId} data-field={`changeThresholds[${i}]`}>
                {[fieldError, deltaError].filter(Boolean).join('; ')}
              </span>
            )}
          </div>
        );
      })}
      <button type="button" onClick={() => props.onChange([...props.value, { field: '', minDelta: '1' }])}>
        Add threshold
      </button>
    </fieldset>
  );
}
