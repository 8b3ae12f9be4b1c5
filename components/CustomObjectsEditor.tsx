import { useState } from 'preact/hooks';
import type { FieldIssue } from '../lib/settings/issues';
import type { ObjectSettings } from '../lib/settings/schema';
import { ObjectEditor, type ObjectEditorProps } from './FieldMappingEditor';

// Salesforce custom objects → Marketo custom objects (issue 19, docs/objects.md): per object its
// switch, the Marketo custom object, the link fields (lookups to Lead or Contact naming each
// record's person) and the field mapping. Part of the settings draft: Save validates with the zod
// schema, which refuses an object switched on without a link field, naming it.

type Target = { marketoObject: string; linkFields: string };

interface Props {
  objects: Record<string, ObjectSettings>;
  customObjects: Record<string, Target>;
  errors: FieldIssue[];
  onChange(objects: Record<string, ObjectSettings>, customObjects: Record<string, Target>): void;
  loadFields: ObjectEditorProps['loadFields'];
}

const CUSTOM = /^[A-Za-z][A-Za-z0-9_]*__c$/;

export function CustomObjectsEditor({ objects, customObjects, errors, onChange, loadFields }: Props) {
  const [adding, setAdding] = useState('');
  const names = [
    ...new Set([...Object.keys(customObjects), ...Object.keys(objects).filter((n) => CUSTOM.test(n))]),
  ];
  const setTarget = (name: string, patch: Partial<Target>) =>
    onChange(objects, {
      ...customObjects,
      [name]: { ...(customObjects[name] ?? { marketoObject: '', linkFields: '' }), ...patch },
    });
  const setObject = (name: string, patch: Partial<ObjectSettings>) =>
    onChange({ ...objects, [name]: { ...objects[name]!, ...patch } }, customObjects);
  function add() {
    const name = adding.trim();
    if (!CUSTOM.test(name) || names.includes(name)) return;
    onChange(
      { ...objects, [name]: { enabled: false, conflictWinner: 'salesforce', fields: [] } },
      { ...customObjects, [name]: { marketoObject: '', linkFields: '' } },
    );
    setAdding('');
  }
  return (
    <section class="custom-objects" aria-label="Custom objects">
      <h3>Custom objects</h3>
      {names.map((name) => {
        const target = customObjects[name] ?? { marketoObject: '', linkFields: '' };
        const at = (path: string) => errors.find((e) => e.path === `customObjects.${name}${path}`)?.message;
        const linkError = at('.linkFields') ?? at('');
        return (
          <div class="custom-object" key={name} data-object={name}>
            <p>
              <label>
                {name} → Marketo custom object{' '}
                <input
                  name={`customObjects.${name}.marketoObject`}
                  value={target.marketoObject}
                  placeholder="e.g. subscription_c"
                  aria-invalid={at('.marketoObject') ? true : undefined}
                  onInput={(e) => setTarget(name, { marketoObject: e.currentTarget.value })}
                />
              </label>{' '}
              <label>
                Link fields (lookups to Lead or Contact, first set wins){' '}
                <input
                  name={`customObjects.${name}.linkFields`}
                  value={target.linkFields}
                  placeholder="e.g. Contact__c, Lead__c"
                  aria-invalid={linkError ? true : undefined}
                  aria-describedby={linkError ? `customObjects.${name}.linkFields-error` : undefined}
                  onInput={(e) => setTarget(name, { linkFields: e.currentTarget.value })}
                />
              </label>
            </p>
            {linkError && (
              <div
                class="field-error"
                id={`customObjects.${name}.linkFields-error`}
                data-field={`customObjects.${name}.linkFields`}
              >
                {linkError}
              </div>
            )}
            {objects[name] && (
              <ObjectEditor
                name={name}
                settings={objects[name]}
                mapped
                errors={errors.filter(
                  (e) => e.path.startsWith(`objects.${name}.`) || e.path === `objects.${name}`,
                )}
                onChange={(patch) => setObject(name, patch)}
                loadFields={loadFields}
              />
            )}
          </div>
        );
      })}
      <p>
        <label>
          Add a custom object{' '}
          <input
            name="add-custom-object"
            value={adding}
            placeholder="Subscription__c"
            onInput={(e) => setAdding(e.currentTarget.value)}
          />
        </label>{' '}
        <button type="button" onClick={add} disabled={!CUSTOM.test(adding.trim())}>
          Add
        </button>
      </p>
    </section>
  );
}
