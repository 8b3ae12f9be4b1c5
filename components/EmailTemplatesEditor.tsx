import { useState } from 'preact/hooks';
import type { EmailFolderChoicesView, MarketoFolderChoice } from '../lib/messaging/emailFolderViews';
import type { FieldIssue } from '../lib/settings/issues';
import type { SyncSettings } from '../lib/settings/schema';

// Email templates (issue 20, docs/email-templates.md): the Marketo folders whose approved emails
// become Salesforce email templates, and the Salesforce email folder they go to. Part of the
// settings draft: Save validates them with the zod schema (the Email Template switch on without
// both folders is refused) and the errors show on the folder lists they name.

type EmailTemplates = SyncSettings['emailTemplates'];
type MarketoFolder = EmailTemplates['marketoFolders'][number];

interface Props {
  value: EmailTemplates;
  errors: FieldIssue[];
  onChange(value: EmailTemplates): void;
  /** Both sides' folders (the background reads them with the stored connections). */
  loadChoices(): Promise<EmailFolderChoicesView>;
}

const keyOf = (f: { id: number; type: string }) => `${f.type}:${f.id}`;

export function EmailTemplatesEditor({ value, errors, onChange, loadChoices }: Props) {
  const [choices, setChoices] = useState<EmailFolderChoicesView>();
  const [loading, setLoading] = useState(false);
  const errorAt = (path: string) => errors.find((e) => e.path === path)?.message;
  const marketoError = errorAt('emailTemplates.marketoFolders');
  const salesforceError = errorAt('emailTemplates.salesforceFolderId');

  async function load() {
    setLoading(true);
    try {
      setChoices(await loadChoices());
    } catch (error) {
      setChoices({ marketo: [], salesforce: [], error: (error as Error).message });
    } finally {
      setLoading(false);
    }
  }
  const chosen = new Set(value.marketoFolders.map(keyOf));
  // The folders chosen so far stay listed (and can be unticked) even when not read (yet).
  const listed: (MarketoFolderChoice | (MarketoFolder & { path?: string }))[] = [
    ...value.marketoFolders.filter((f) => !choices?.marketo.some((c) => keyOf(c) === keyOf(f))),
    ...(choices?.marketo ?? []),
  ];
  const toggle = (folder: MarketoFolder, on: boolean) =>
    onChange({
      ...value,
      marketoFolders: on
        ? [...value.marketoFolders, folder]
        : value.marketoFolders.filter((f) => keyOf(f) !== keyOf(folder)),
    });
  const salesforce = choices?.salesforce ?? [];
  const current = value.salesforceFolderId;
  const sfOptions =
    current && !salesforce.some((f) => f.id === current)
      ? [{ id: current, name: value.salesforceFolderName || current }, ...salesforce]
      : salesforce;

  return (
    <fieldset class="email-templates">
      <legend>Email templates</legend>
      <p class="hint">
        Approved Marketo emails in the folders ticked here become Salesforce email templates in the folder
        chosen below, kept in step when an email is approved again and made inactive (never deleted) when it
        is unapproved or deleted. Needs the Email Template object switched on above. Marketo is checked at
        most once an hour, and by Sync now.
      </p>
      {!choices && (
        <button
          type="button"
          class="load-email-folders"
          onClick={load}
          disabled={loading}
          // With no folder listed yet, this is where the admin fixes a missing one (focus lands here).
          aria-invalid={marketoError && listed.length === 0 ? 'true' : undefined}
        >
          {loading ? 'Reading folders…' : 'Choose folders…'}
        </button>
      )}
      {choices?.error && <p class="field-error">{choices.error}</p>}
      <fieldset
        class={marketoError ? 'marketo-folders invalid' : 'marketo-folders'}
        aria-describedby={marketoError ? 'emailMarketoFolders-error' : undefined}
      >
        <legend>Marketo folders</legend>
        {listed.length === 0 && <p class="muted">None chosen yet.</p>}
        {listed.map((f) => (
          <label key={keyOf(f)} class="folder-choice">
            <input
              type="checkbox"
              checked={chosen.has(keyOf(f))}
              aria-invalid={marketoError ? 'true' : undefined}
              onChange={(e) => toggle({ id: f.id, type: f.type, name: f.name }, e.currentTarget.checked)}
            />{' '}
            {('path' in f && f.path) || f.name || keyOf(f)}
            {f.type === 'Program' && <span class="muted"> (program)</span>}
          </label>
        ))}
        {marketoError && (
          <span class="field-error" id="emailMarketoFolders-error" data-field="emailMarketoFolders">
            {marketoError}
          </span>
        )}
      </fieldset>
      <div class={salesforceError ? 'field invalid' : 'field'}>
        <label for="emailSalesforceFolder">Salesforce email folder</label>
        <div class="control">
          <select
            id="emailSalesforceFolder"
            value={current ?? ''}
            aria-invalid={salesforceError ? 'true' : undefined}
            aria-describedby={salesforceError ? 'emailSalesforceFolder-error' : undefined}
            onChange={(e) => {
              const id = e.currentTarget.value;
              const folder = sfOptions.find((f) => f.id === id);
              onChange({
                ...value,
                salesforceFolderId: id || null,
                salesforceFolderName: folder?.name ?? '',
              });
            }}
          >
            <option value="">{choices ? 'Choose a folder' : 'Choose folders… first'}</option>
            {sfOptions.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
        {salesforceError ? (
          <span class="field-error" id="emailSalesforceFolder-error" data-field="emailSalesforceFolder">
            {salesforceError}
          </span>
        ) : (
          <span />
        )}
      </div>
    </fieldset>
  );
}
