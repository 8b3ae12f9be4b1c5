import { useEffect, useState } from 'preact/hooks';
import type { FieldIssue, SettingsStore, SyncSettings } from '../lib/settings';

interface Props {
  store: SettingsStore;
}

type Draft = Record<'intervalMinutes' | 'retentionDays' | 'syncFilterField', string> &
  Pick<SyncSettings, 'personLabel' | 'notifyOnFailure'>;

function toDraft(s: SyncSettings): Draft {
  return {
    intervalMinutes: String(s.intervalMinutes),
    retentionDays: String(s.retentionDays),
    syncFilterField: s.syncFilterField ?? '',
    personLabel: s.personLabel,
    notifyOnFailure: s.notifyOnFailure,
  };
}

/** Numbers typed into inputs reach the schema as numbers; anything else is left for it to refuse. */
const asNumber = (text: string) =>
  text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;

/**
 * The general sync settings. Saving validates the whole settings object with the zod schema and
 * writes nothing unless it is valid; errors show next to their field.
 */
export function GeneralSettingsForm({ store }: Props) {
  const [saved, setSaved] = useState<SyncSettings>();
  const [draft, setDraft] = useState<Draft>();
  const [errors, setErrors] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState('');

  useEffect(() => {
    store.getSettings().then(
      (s) => {
        setSaved(s);
        setDraft(toDraft(s));
      },
      (e: Error) => setMessage(e.message),
    );
  }, [store]);

  if (!saved || !draft) return <p class="muted">{message || 'Loading settings…'}</p>;

  const errorFor = (path: string) => errors.find((e) => e.path === path)?.message;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  async function save(event: Event) {
    event.preventDefault();
    if (!saved || !draft) return;
    const result = await store.saveSettings({
      ...saved,
      intervalMinutes: asNumber(draft.intervalMinutes),
      retentionDays: asNumber(draft.retentionDays),
      syncFilterField: draft.syncFilterField.trim() === '' ? null : draft.syncFilterField.trim(),
      personLabel: draft.personLabel,
      notifyOnFailure: draft.notifyOnFailure,
    });
    if (result.ok) {
      setSaved(result.value);
      setErrors([]);
      setMessage('Saved. The next cycle uses these settings.');
    } else {
      setErrors(result.errors);
      setMessage('Not saved: fix the fields marked below.');
    }
  }

  return (
    <form class="settings" onSubmit={save} noValidate>
      <Field label="Sync every (minutes)" name="intervalMinutes" error={errorFor('intervalMinutes')}>
        <input
          id="intervalMinutes"
          inputMode="numeric"
          value={draft.intervalMinutes}
          onInput={(e) => set({ intervalMinutes: e.currentTarget.value })}
        />
      </Field>
      <Field label="Keep history (days)" name="retentionDays" error={errorFor('retentionDays')}>
        <input
          id="retentionDays"
          inputMode="numeric"
          value={draft.retentionDays}
          onInput={(e) => set({ retentionDays: e.currentTarget.value })}
        />
      </Field>
      <Field label="Sync filter field (checkbox)" name="syncFilterField" error={errorFor('syncFilterField')}>
        <input
          id="syncFilterField"
          value={draft.syncFilterField}
          placeholder="none"
          onInput={(e) => set({ syncFilterField: e.currentTarget.value })}
        />
      </Field>
      <Field label="Call persons" name="personLabel" error={errorFor('personLabel')}>
        <select
          id="personLabel"
          value={draft.personLabel}
          onChange={(e) => set({ personLabel: e.currentTarget.value as Draft['personLabel'] })}
        >
          <option value="Person">Person</option>
          <option value="Lead">Lead</option>
        </select>
      </Field>
      <Field label="Notify me of failed cycles" name="notifyOnFailure" error={errorFor('notifyOnFailure')}>
        <input
          id="notifyOnFailure"
          type="checkbox"
          checked={draft.notifyOnFailure}
          onChange={(e) => set({ notifyOnFailure: e.currentTarget.checked })}
        />
      </Field>
      <p>
        <button type="submit">Save</button> <span class="save-message">{message}</span>
      </p>
    </form>
  );
}

function Field(props: { label: string; name: string; error?: string; children: preact.ComponentChildren }) {
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {props.children}
      {props.error && (
        <span class="field-error" data-field={props.name}>
          {props.error}
        </span>
      )}
    </div>
  );
}
