import { useState } from 'preact/hooks';
import type { SyncLogDatabase } from '../lib/db/database';
import { listFailedBatches } from '../lib/db/failures';
import type { StepFilter, StepSort } from '../lib/db/stepFilter';

interface Props {
  db: SyncLogDatabase;
  filter: StepFilter;
  sort: StepSort;
  instanceUrl?: string;
}

type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; rows: number }
  | { kind: 'done'; rows: number }
  | { kind: 'failed'; message: string };

/**
 * "Export CSV": the sync errors of the steps matching the filter. The failures are read and turned
 * into CSV one group of batch rows at a time (one `Papa.unparse` call each, about 6,000 failures;
 * the page stays responsive between groups, and the next group is read meanwhile) and
 * downloaded with an `<a download>` click on a Blob URL, the way a Chromium extension page gets an
 * exact file name (browser-facts: chrome.downloads names a blob by its GUID).
 */
export function ExportButton({ db, filter, sort, instanceUrl }: Props) {
  const [state, setState] = useState<ExportState>({ kind: 'idle' });

  async function run() {
    setState({ kind: 'running', rows: 0 });
    try {
      // Loaded on first use: PapaParse stays out of the popup's first paint.
      const { failureCsvPartsOfBatches, failureCsvFileName } = await import('../lib/export/failuresCsv');
      let rows = 0;
      const onRows = (count: number) => {
        rows = count;
        setState({ kind: 'running', rows });
      };
      const parts: string[] = [];
      const batches = listFailedBatches(db, filter, sort);
      for await (const part of failureCsvPartsOfBatches(batches, { instanceUrl, onRows })) parts.push(part);
      if (rows === 0) return setState({ kind: 'done', rows: 0 });
      download(new Blob(parts, { type: 'text/csv;charset=utf-8' }), failureCsvFileName(Date.now()));
      setState({ kind: 'done', rows });
    } catch (error) {
      setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <span class="export">
      <button
        type="button"
        onClick={run}
        disabled={state.kind === 'running'}
        title="Sync errors matching the filter"
      >
        Export CSV
      </button>{' '}
      <span class="export-state" role="status">
        {state.kind === 'running' && `Exporting… ${state.rows.toLocaleString()}`}
        {state.kind === 'done' &&
          (state.rows ? `${state.rows.toLocaleString()} errors exported` : 'No sync errors match the filter')}
        {state.kind === 'failed' && <span class="error">Export failed: {state.message}</span>}
      </span>
    </span>
  );
}

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
