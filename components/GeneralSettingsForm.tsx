import { useEffect, useRef, useState } from 'preact/hooks';
import type { FieldChoice, ObjectFieldsView } from '../lib/messaging/connectionViews';
import type { EmailFolderChoicesView } from '../lib/messaging/emailFolderViews';
import type { ProgramPairChoicesView } from '../lib/messaging/programPairViews';
import type { FieldIssue, SettingsStore, SyncSettings } from '../lib/settings';
import { announce } from './announce';
import { CustomObjectsEditor } from './CustomObjectsEditor';
import { EmailTemplatesEditor } from './EmailTemplatesEditor';
import { FieldMappingEditor } from './FieldMappingEditor';
import { FormField } from './FormField';
import { ProgramPairsEditor } from './ProgramPairsEditor';
import { ActivityTypesField, ChangeThresholdsEditor } from './SettingsListFields';
import { filterFieldIssue, friendlyIssues, fromDraft, type SettingsDraft, toDraft } from './settingsDraft';
import { UpdateActivitiesFields } from './UpdateActivitiesFields';
import { useErrorFocus } from './useErrorFocus';
import { ValueRulesList } from './ValueRulesList';

interface Props {
  store: SettingsStore;
  /** Describe-backed field suggestions; without it the form checks only what the schema can. */
  loadFields?: (objectType: string) => Promise<ObjectFieldsView>;
  /** Bumped by the caller when the stored settings were replaced (an import), to reload the form. */
  revision?: number;
  /** Campaigns and programs for the campaign ⇄ program pairs; without it the pairs are not edited here. */
  loadPairChoices?: () => Promise<ProgramPairChoicesView>;
  /** Both sides' email folders for email templates; without it they are not edited here. */
  loadEmailFolders?: () => Promise<EmailFolderChoicesView>;
}

/**
 * The sync settings. Saving validates the whole settings object with the zod schema (plus the
 * filter field against Lead's describe when it is known) and writes nothing unless it is valid;
 * errors show next to their field.
 */
export function GeneralSettingsForm({
  store,
  loadFields,
  revision = 0,
  loadPairChoices,
  loadEmailFolders,
}: Props) {
  const [saved, setSaved] = useState<SyncSettings>();
  const [draft, setDraft] = useState<SettingsDraft>();
  const [errors, setErrors] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState('');
  const [leadFields, setLeadFields] = useState<FieldChoice[]>();
  const form = useRef<HTMLFormElement>(null);
  const [refusals, setRefusals] = useState(0);
  useErrorFocus(form, refusals, message);

  useEffect(() => {
    store.getSettings().then(
      (s) => {
        setSaved(s);
        setDraft(toDraft(s));
        setErrors([]);
      },
      (e: Error) => setMessage(e.message),
    );
  }, [store, revision]);

  useEffect(() => {
    loadFields?.('Lead').then((view) => setLeadFields(view.error ? undefined : view.salesforce));
  }, [loadFields]);

  if (!saved || !draft) return <p class="muted">{message || 'Loading settings…'}</p>;

  const errorFor = (path: string) => errors.find((e) => e.path === path)?.message;
  const set = (patch: Partial<SettingsDraft>) => setDraft({ ...draft, ...patch });
  const checkboxes = leadFields?.filter((f) => f.type === 'boolean') ?? [];

  async function save(event: Event) {
    event.preventDefault();
    if (!saved || !draft) return;
    const filterIssues = filterFieldIssue(draft.syncFilterField, leadFields);
    const parsed = filterIssues.length > 0 ? undefined : await store.saveSettings(fromDraft(saved, draft));
    if (parsed?.ok) {
      setSaved(parsed.value);
      setDraft(toDraft(parsed.value));
      setErrors([]);
      setMessage('Saved. The next cycle uses these settings.');
      announce('Saved. The next cycle uses these settings.');
    } else {
      const issues = friendlyIssues([...filterIssues, ...(parsed && !parsed.ok ? parsed.errors : [])]);
      setErrors(issues);
      setMessage(
        `Not saved: fix the ${issues.length === 1 ? 'field' : `${issues.length} fields`} marked below.`,
      );
      setRefusals(refusals + 1);
    }
  }

  return (
    <form class="settings" ref={form} onSubmit={save} noValidate>
      <h3>Schedule and history</h3>
      <FormField label="Sync every (minutes)" name="intervalMinutes" error={errorFor('intervalMinutes')}>
        <input
          id="intervalMinutes"
          inputMode="numeric"
          value={draft.intervalMinutes}
          onInput={(e) => set({ intervalMinutes: e.currentTarget.value })}
        />
      </FormField>
      <FormField label="Keep history (days)" name="retentionDays" error={errorFor('retentionDays')}>
        <input
          id="retentionDays"
          inputMode="numeric"
          value={draft.retentionDays}
          onInput={(e) => set({ retentionDays: e.currentTarget.value })}
        />
      </FormField>
      <FormField
        label="Notify me of failed cycles"
        name="notifyOnFailure"
        error={errorFor('notifyOnFailure')}
      >
        <input
          id="notifyOnFailure"
          type="checkbox"
          checked={draft.notifyOnFailure}
          onChange={(e) => set({ notifyOnFailure: e.currentTarget.checked })}
        />
      </FormField>
      <FormField label="Call persons" name="personLabel" error={errorFor('personLabel')}>
        <select
          id="personLabel"
          value={draft.personLabel}
          onChange={(e) => set({ personLabel: e.currentTarget.value as SettingsDraft['personLabel'] })}
        >
          <option value="Person">Person</option>
          <option value="Lead">Lead</option>
        </select>
      </FormField>

      <h3>What syncs</h3>
      <FormField
        label="Sync filter field (checkbox)"
        name="syncFilterField"
        error={errorFor('syncFilterField')}
        hint="Records with this checkbox ticked are excluded. Empty: no filter."
      >
        <input
          id="syncFilterField"
          list="filter-field-choices"
          value={draft.syncFilterField}
          placeholder="none"
          onInput={(e) => set({ syncFilterField: e.currentTarget.value })}
        />
        <datalist id="filter-field-choices">
          {checkboxes.map((f) => (
            <option key={f.name} value={f.name}>
              {f.label}
            </option>
          ))}
        </datalist>
      </FormField>
      <FieldMappingEditor
        objects={draft.objects}
        errors={errors}
        onChange={(objects) => set({ objects })}
        loadFields={loadFields ?? (async (objectType) => ({ objectType, salesforce: [], marketo: [] }))}
      />
      <CustomObjectsEditor
        objects={draft.objects}
        customObjects={draft.customObjects}
        errors={errors}
        onChange={(objects, customObjects) => set({ objects, customObjects })}
        loadFields={loadFields ?? (async (objectType) => ({ objectType, salesforce: [], marketo: [] }))}
      />
      {loadPairChoices && (
        <ProgramPairsEditor
          pairs={draft.programPairs}
          errors={errors}
          onChange={(programPairs) => set({ programPairs })}
          loadChoices={loadPairChoices}
        />
      )}
      {loadEmailFolders && (
        <EmailTemplatesEditor
          value={draft.emailTemplates}
          errors={errors}
          onChange={(emailTemplates) => set({ emailTemplates })}
          loadChoices={loadEmailFolders}
        />
      )}
      <ActivityTypesField
        value={draft.taskActivityTypes}
        errors={errors}
        onChange={(taskActivityTypes) => set({ taskActivityTypes })}
      />
      <UpdateActivitiesFields
        value={draft.updateActivities}
        errors={errors}
        onChange={(updateActivities) => set({ updateActivities })}
      />
      <ChangeThresholdsEditor
        value={draft.changeThresholds}
        errors={errors}
        onChange={(changeThresholds) => set({ changeThresholds })}
      />

      <h3>Failed records</h3>
      <FormField
        label="Attempts per failed record"
        name="retryMaxAttempts"
        error={errorFor('retry.maxAttempts')}
        hint="The first attempt included; after the last, the record stays failed until it changes."
      >
        <input
          id="retryMaxAttempts"
          inputMode="numeric"
          value={draft.retryMaxAttempts}
          onInput={(e) => set({ retryMaxAttempts: e.currentTarget.value })}
        />
      </FormField>
      <FormField
        label="Wait before the second attempt (minutes)"
        name="retryBackoffMinutes"
        error={errorFor('retry.backoffBaseMinutes')}
        hint="Doubled for each further attempt, up to 6 hours."
      >
        <input
          id="retryBackoffMinutes"
          inputMode="numeric"
          value={draft.retryBackoffMinutes}
          onInput={(e) => set({ retryBackoffMinutes: e.currentTarget.value })}
        />
      </FormField>
      <FormField
        label="Pause retries at this share of the API allocation (%)"
        name="retryPausePercent"
        error={errorFor('retry.pauseAtAllocationShare')}
        hint="Of either side's daily allocation below. Past it, failed records wait (new changes still sync), so retries cannot spend what new changes need; the dashboard says when. 100: retry until the allocation is spent."
      >
        <input
          id="retryPausePercent"
          inputMode="decimal"
          value={draft.retryPausePercent}
          onInput={(e) => set({ retryPausePercent: e.currentTarget.value })}
        />
      </FormField>
      <ValueRulesList
        value={draft.valueRules}
        errors={errors}
        onChange={(valueRules) => set({ valueRules })}
      />

      <h3>API budget</h3>
      <FormField
        label="Share of Salesforce's daily API allowance (%)"
        name="salesforceDailyShare"
        error={errorFor('apiBudget.salesforceDailyShare')}
      >
        <input
          id="salesforceDailyShare"
          inputMode="decimal"
          value={draft.salesforceSharePercent}
          onInput={(e) => set({ salesforceSharePercent: e.currentTarget.value })}
        />
      </FormField>
      <FormField
        label="Marketo calls per day"
        name="marketoDailyCalls"
        error={errorFor('apiBudget.marketoDailyCalls')}
      >
        <input
          id="marketoDailyCalls"
          inputMode="numeric"
          value={draft.marketoDailyCalls}
          onInput={(e) => set({ marketoDailyCalls: e.currentTarget.value })}
        />
      </FormField>

      <h3>Check both sides</h3>
      <FormField
        label="Compare both sides every (hours)"
        name="reconcileIntervalHours"
        error={errorFor('reconcile.intervalHours')}
        hint="Reconcile reads every synced record in Salesforce and Marketo and flags those that disagree; the next cycle repairs them. 24 = daily."
      >
        <input
          id="reconcileIntervalHours"
          inputMode="numeric"
          value={draft.reconcileIntervalHours}
          onInput={(e) => set({ reconcileIntervalHours: e.currentTarget.value })}
        />
      </FormField>
      <FormField
        label="At most this share of the daily API budget (%)"
        name="reconcileSharePercent"
        error={errorFor('reconcile.maxApiShare')}
        hint="Of the allowance above, per side and per day. A check that needs more goes on the next day from where it stopped."
      >
        <input
          id="reconcileSharePercent"
          inputMode="decimal"
          value={draft.reconcileSharePercent}
          onInput={(e) => set({ reconcileSharePercent: e.currentTarget.value })}
        />
      </FormField>
      <p class="save-bar">
        <button type="submit" id="saveSettings">
          Save
        </button>{' '}
        <span class="save-message">{message}</span>
      </p>
    </form>
  );
}
