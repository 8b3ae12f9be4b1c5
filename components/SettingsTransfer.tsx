import { useState } from 'preact/hooks';
import { describeIssues, exportSettings, importSettings, type SettingsStore } from '../lib/settings';
import { announce } from './announce';

interface Props {
  store: SettingsStore;
  /** Told after an import replaced the stored settings. */
  onImported(): void;
}

/**
 * Export/import of the sync settings as JSON, to copy a setup to another browser. The file holds the
 * sync settings only: connections and secrets are not part of it. A bad file changes nothing.
 */
export function SettingsTransfer({ store, onImported }: Props) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  async function download() {
    const json = await exportSettings(store);
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `sync-settings-${new Date().toISOString().slice(0, 10)}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function upload(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setMessage('');
    setError('');
    const result = await importSettings(store, await file.text());
    if (result.ok) {
      setMessage(`Imported ${file.name}. The next cycle uses these settings.`);
      announce(`Imported ${file.name}. The next cycle uses these settings.`);
      onImported();
    } else {
      const refusal = `${file.name} was not imported, nothing changed: ${describeIssues(result.errors)}`;
      setError(refusal);
      announce(refusal);
    }
  }

  return (
    <div class="transfer">
      <p class="muted">
        The file holds the sync settings only: no connection, no secret. Connect each browser on its own.
      </p>
      <p>
        <button type="button" id="exportSettings" onClick={download}>
          Export settings
        </button>{' '}
        <label class="file-button">
          Import settings…{' '}
          <input type="file" id="importSettings" accept="application/json,.json" onChange={upload} />
        </label>
      </p>
      {message && <p class="save-message">{message}</p>}
      {error && <p class="error import-error">{error}</p>}
    </div>
  );
}
