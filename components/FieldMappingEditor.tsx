import { useState } from 'preact/hooks';
import type { ObjectFieldsView } from '../lib/messaging/connectionViews';
import type { Direction } from '../lib/settings/defaultMappings';
import type { FieldIssue } from '../lib/settings/issues';
import { ENGINE_SYNCED_OBJECTS, FIELD_MAPPED_OBJECTS, type ObjectSettings } from '../lib/settings/schema';

interface Props {
  objects: Record<string, ObjectSettings>;
  errors: FieldIssue[];
  onChange(objects: Record<string, ObjectSettings>): void;
  /** The object's fields from describe (cached by the caller); resolves with `error` when offline. */
  loadFields(objectType: string): Promise<ObjectFieldsView>;
}

const DIRECTIONS: { value: Direction; label: string }[] = [
  { value: 'both', label: 'both ways' },
  { value: 'pull', label: 'Salesforce → Marketo' },
  { value: 'push', label: 'Marketo → Salesforce' },
  { value: 'none', label: 'not synced' },
];

/** Objects on/off and, per object, the field mapping with direction and conflict winner. */
export function FieldMappingEditor({ objects, errors, onChange, loadFields }: Props) {
  const set = (name: string, patch: Partial<ObjectSettings>) =>
    onChange({ ...objects, [name]: { ...objects[name]!, ...patch } });
  return (
    <div class="objects">
      {/* In the engine's order, not the stored object's key order: an imported file may list the
          objects in another order, and re-ordering these keyed blocks after an import crashed the
          options page's renderer in Chromium (options-connections "exports and re-imports"). */}
      {ENGINE_SYNCED_OBJECTS.flatMap((name) => {
        const o = objects[name];
        return o ? [[name, o] as const] : [];
      }).map(([name, o]) => (
        <ObjectEditor
          key={name}
          name={name}
          settings={o}
          errors={errors.filter((e) => e.path.startsWith(`objects.${name}.`) || e.path === `objects.${name}`)}
          onChange={(patch) => set(name, patch)}
          loadFields={loadFields}
        />
      ))}
    </div>
  );
}

export interface ObjectEditorProps {
  name: string;
  settings: ObjectSettings;
  errors: FieldIssue[];
  onChange(patch: Partial<ObjectSettings>): void;
  loadFields: Props['loadFields'];
  /** Offer the field mapping (persons, accounts, custom objects); else the switch alone. */
  mapped?: boolean;
}

export function ObjectEditor(props: ObjectEditorProps) {
  const { name, settings, errors, onChange } = props;
  const [fields, setFields] = useState<ObjectFieldsView>();
  const [open, setOpen] = useState(false);
  const prefix = `objects.${name}`;
  const errorAt = (path: string) => errors.find((e) => e.path === path)?.message;

  function toggle(event: Event) {
    const isOpen = (event.currentTarget as HTMLDetailsElement).open;
    setOpen(isOpen);
    if (isOpen && !fields) void props.loadFields(name).then(setFields);
  }
  const byName = new Map(fields?.salesforce.map((f) => [f.name.toLowerCase(), f]));
  const setRow = (index: number, patch: Partial<ObjectSettings['fields'][number]>) =>
    onChange({ fields: settings.fields.map((f, i) => (i === index ? { ...f, ...patch } : f)) });

  // The switch sits outside the <summary>: a control inside another is unreachable to screen readers.
  return (
    <div class={errors.length > 0 ? 'object has-errors' : 'object'}>
      <label class="object-switch">
        <input
          type="checkbox"
          id={`object-${name}`}
          checked={settings.enabled}
          onChange={(e) => onChange({ enabled: e.currentTarget.checked })}
        />{' '}
        Sync {name}
      </label>
      {(props.mapped || (FIELD_MAPPED_OBJECTS as readonly string[]).includes(name)) && (
        <details open={open || errors.length > 0} onToggle={toggle}>
          <summary>
            {name} field mapping{' '}
            <span class="muted">
              ({settings.fields.length} field{settings.fields.length === 1 ? '' : 's'} mapped)
            </span>
            {errors.length > 0 && <span class="field-error"> · {errors.length} to fix</span>}
          </summary>
          <div class="object-body">
            <p>
              <label>
                When both sides changed a field:{' '}
                <select
                  name={`${prefix}.conflictWinner`}
                  value={settings.conflictWinner}
                  onChange={(e) =>
                    onChange({ conflictWinner: e.currentTarget.value as ObjectSettings['conflictWinner'] })
                  }
                >
                  <option value="salesforce">Salesforce wins</option>
                  <option value="marketo">Marketo wins</option>
                </select>
              </label>
              {fields?.error && <span class="muted"> · field suggestions unavailable: {fields.error}</span>}
            </p>
            <datalist id={`sf-fields-${name}`}>
              {fields?.salesforce.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                  {f.formula ? ' (formula)' : ''}
                  {!f.updateable && !f.formula ? ' (read-only)' : ''}
                </option>
              ))}
            </datalist>
            <datalist id={`mkto-fields-${name}`}>
              {fields?.marketo.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                </option>
              ))}
            </datalist>
            <table class="mapping">
              <thead>
                <tr>
                  <th>Salesforce field</th>
                  <th>Marketo field</th>
                  <th>Direction</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {settings.fields.map((row, i) => {
                  const path = `${prefix}.fields[${i}]`;
                  const described = byName.get(row.salesforceField.toLowerCase());
                  const sfError = errorAt(`${path}.salesforceField`);
                  const mkError = errorAt(`${path}.marketoField`);
                  // Each control says which mapping it belongs to: a table's column header is not read
                  // as the name of an input inside the cells below it.
                  const rowName = `${name} mapping ${i + 1}`;
                  const mapped = `${row.salesforceField || '(empty)'} → ${row.marketoField || '(empty)'}`;
                  const invalid = (error: string | undefined, id: string) =>
                    error ? { 'aria-invalid': true, 'aria-describedby': id } : {};
                  return (
                    <tr key={i}>
                      <td class={sfError ? 'invalid' : ''}>
                        <input
                          name={`${path}.salesforceField`}
                          aria-label={`${rowName}: Salesforce field`}
                          {...invalid(sfError, `${path}.salesforceField-error`)}
                          list={`sf-fields-${name}`}
                          value={row.salesforceField}
                          onInput={(e) => {
                            const value = e.currentTarget.value;
                            // Formula fields are excluded by default: they don't bump the timestamp.
                            const formula = byName.get(value.toLowerCase())?.formula;
                            setRow(i, {
                              salesforceField: value,
                              ...(formula && { direction: 'none' as const }),
                            });
                          }}
                        />
                        {described?.formula && <span class="tag tag-warn">formula</span>}
                        {fields && !fields.error && row.salesforceField && !described && (
                          <span class="tag tag-warn" title="Not visible to the connected user">
                            not visible
                          </span>
                        )}
                        {sfError && (
                          <div
                            class="field-error"
                            id={`${path}.salesforceField-error`}
                            data-field={`${path}.salesforceField`}
                          >
                            {sfError}
                          </div>
                        )}
                      </td>
                      <td class={mkError ? 'invalid' : ''}>
                        <input
                          name={`${path}.marketoField`}
                          aria-label={`${rowName}: Marketo field`}
                          {...invalid(mkError, `${path}.marketoField-error`)}
                          list={`mkto-fields-${name}`}
                          value={row.marketoField}
                          onInput={(e) => setRow(i, { marketoField: e.currentTarget.value })}
                        />
                        {mkError && (
                          <div
                            class="field-error"
                            id={`${path}.marketoField-error`}
                            data-field={`${path}.marketoField`}
                          >
                            {mkError}
                          </div>
                        )}
                      </td>
                      <td>
                        <select
                          name={`${path}.direction`}
                          aria-label={`${rowName} (${mapped}): direction`}
                          value={row.direction}
                          onChange={(e) => setRow(i, { direction: e.currentTarget.value as Direction })}
                        >
                          {DIRECTIONS.map((d) => (
                            <option key={d.value} value={d.value}>
                              {d.label}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <button
                          type="button"
                          aria-label={`Remove mapping ${mapped} (${name})`}
                          onClick={() => onChange({ fields: settings.fields.filter((_, j) => j !== i) })}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <button
              type="button"
              class="add-field"
              data-object={name}
              aria-label={`Add field to the ${name} mapping`}
              onClick={() =>
                onChange({
                  fields: [...settings.fields, { salesforceField: '', marketoField: '', direction: 'pull' }],
                })
              }
            >
              Add field
            </button>
          </div>
        </details>
      )}
    </div>
  );
}
