import { useState } from 'preact/hooks';
import type { SyncLogDatabase } from '../lib/db/database';
import { listFailures } from '../lib/db/failures';
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

/** Failures per chunk: one `Papa.unparse` call each, short enough to keep the page responsive. */
const CHUNK = 2000;

/**
 * "Export CSV": the sync errors of the steps matching the filter. The failures are read and turned
 * into CSV chunk by chunk (the page stays responsive between chunks, which await IndexedDB) and
 * downloaded with an `<a download>` click on a Blob URL, the way a Chromium extension page gets an
 * exact file name (browser-facts: chrome.downloads names a blob by its GUID).
 */
export function ExportButton({ db, filter, sort, instanceUrl }: Props) {
  const [state, setState] = useState<ExportState>({ kind: 'idle' });

  async function run() {
    setState({ kind: 'running', rows: 0 });
    try {
      // Loaded on first use: PapaParse stays out of the popup's first paint.
      const { failureCsvParts, failureCsvFileName } = await import('../lib/export/failuresCsv');
      let rows = 0;
      async function* counted() {
        for await (const chunk of listFailures(db, filter, { sort, chunkSize: CHUNK })) {
          rows += chunk.length;
          setState({ kind: 'running', rows });
          yield chunk;
        }
      }
      const parts: string[] = [];
      for await (const part of failureCsvParts(counted(), { instanceUrl })) parts.push(part);
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
