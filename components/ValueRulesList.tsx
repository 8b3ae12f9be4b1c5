import type { FieldIssue } from '../lib/settings/issues';
import type { ValueRule } from '../lib/settings/schema';

/**
 * The value rules (settings `valueRules`, docs/dashboard-errors.md), each removable; they are added
 * from the dashboard's value-fix suggestions. Removing one takes effect on Save, like every field
 * of the form.
 */
export function ValueRulesList(props: {
  value: ValueRule[];
  errors: FieldIssue[];
  onChange(value: ValueRule[]): void;
}) {
  const errorsOf = (i: number) =>
    props.errors.filter((e) => e.path.startsWith(`valueRules[${i}]`)).map((e) => e.message);
  return (
    <fieldset class="value-rules">
      <legend>Value rules (Marketo → Salesforce)</legend>
      <div class="hint">
        A value Salesforce refuses is written as the value it takes, for that field only, on every push to
        Salesforce; Marketo keeps its own value. Add them from the dashboard’s suggestions under Errors by
        cause.
      </div>
      {props.value.length === 0 && <p class="muted">No value rules.</p>}
      <ul>
        {props.value.map((rule, i) => {
          const errors = errorsOf(i);
          return (
            <li key={`${rule.object}.${rule.field}.${rule.from}`} data-rule={`${rule.object}.${rule.field}`}>
              {rule.object}.{rule.field}: “{rule.from}” is written as “{rule.to}”{' '}
              <button
                type="button"
                aria-label={`Remove the value rule ${rule.object}.${rule.field} ${rule.from}`}
                onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
              >
                Remove
              </button>
              {errors.length > 0 && (
                <span class="field-error" data-field={`valueRules[${i}]`}>
                  {errors.join('; ')}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
