import { useState } from 'preact/hooks';
import type { StepFilter, StepSort } from '../lib/db/stepFilter';
import { requestSyncErrorsCsv, type SendExportRequest } from '../lib/export/exportChannel';
import { messageOf } from '../lib/messaging/envelope';
import { announce } from './announce';

interface Props {
  filter: StepFilter;
  sort: StepSort;
  /** Sends `exportSyncErrors` to the background, which builds the CSV. */
  requestExport: SendExportRequest;
}

type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; rows: number }
  | { kind: 'done'; rows: number }
  | { kind: 'failed'; message: string };

/**
 * "Export CSV": the sync errors of the steps matching the filter. The background builds the file
 * (lib/export/syncErrorsExport) and hands it over as a Blob; the page saves it with an
 * `<a download>` click on a Blob URL, the way a Chromium extension page gets an exact file name
 * (browser-facts: chrome.downloads names a blob by its GUID).
 */
export function ExportButton({ filter, sort, requestExport }: Props) {
  const [state, setState] = useState<ExportState>({ kind: 'idle' });

  async function run() {
    setState({ kind: 'running', rows: 0 });
    try {
      const csv = await requestSyncErrorsCsv(requestExport, filter, sort, (rows) =>
        setState({ kind: 'running', rows }),
      );
      if (csv.blob) download(csv.blob, csv.fileName);
      const rows = csv.blob ? csv.rows : 0;
      setState({ kind: 'done', rows });
      announce(doneText(rows));
    } catch (error) {
      const message = `Export failed: ${messageOf(error)}`;
      setState({ kind: 'failed', message });
      announce(message);
    }
  }

  return (
    <span class="export">
      <button
        type="button"
        onClick={() => state.kind !== 'running' && run()}
        aria-disabled={state.kind === 'running'}
        title="Sync errors matching the filter"
      >
        Export CSV
      </button>{' '}
      <span class="export-state">
        {state.kind === 'running' && `Exporting… ${state.rows.toLocaleString()}`}
        {state.kind === 'done' && doneText(state.rows)}
        {state.kind === 'failed' && <span class="error">{state.message}</span>}
      </span>
    </span>
  );
}

const doneText = (rows: number) =>
  rows ? `${rows.toLocaleString()} errors exported` : 'No sync errors match the filter';

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its own reference by now; revoke later so a slow start still finds it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
