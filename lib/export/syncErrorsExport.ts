import { listFailedBatches } from '../db/failures';
import type { LogDatabase } from '../db/logPort';
import type { StepFilter, StepSort } from '../db/stepFilter';
import { broadcastExportChannel, type ExportChannel, type OpenExportChannel } from './exportChannel';
import { failureCsvFileName, failureCsvPartsOfBatches } from './failuresCsv';

// The sync-errors export runs in the background worker, not in the page that asks for it: the
// popup's bundle then carries neither PapaParse nor the export code (design §9: popup ≤ 50 KB), and
// the popup stays responsive whatever the size of the export. The worker cannot download a Blob
// with a file name of its own (browser-facts: no URL.createObjectURL in a service worker; a data
// URL of tens of MB is no option), so it hands the Blob to the asking page over a BroadcastChannel
// the page named (a Blob travels by reference in structured clone; runtime messages are JSON),
// and the page saves it with an `<a download>` click.

export interface SyncErrorsExportRequest {
  channel: string;
  filter: StepFilter;
  sort: StepSort;
}

export interface SyncErrorsExportDeps {
  db: LogDatabase;
  /** The org's instance URL for the Record URL column (undefined: the column stays empty). */
  instanceUrl(): Promise<string | undefined>;
  /** false for a Salesforce user known not to be an admin: the log is admin-only (design §2). */
  isAdmin(): Promise<boolean | undefined>;
  now(): number;
  openChannel?: OpenExportChannel;
}

export class ExportRefusedError extends Error {}

/**
 * Builds the CSV of the sync errors matching the filter and posts it on the request's channel.
 * Answers the number of rows; a failure is posted on the channel too (the page may be waiting
 * there), then thrown, so the message answer reports it as well.
 */
export function createSyncErrorsExport(deps: SyncErrorsExportDeps) {
  const open = deps.openChannel ?? broadcastExportChannel;
  return async function exportSyncErrors(request: SyncErrorsExportRequest): Promise<{ rows: number }> {
    return exportOnChannel(open(request.channel), deps.now, async (onRows) => {
      if ((await deps.isAdmin()) === false) throw new ExportRefusedError('Admin permissions required');
      const parts: string[] = [];
      const batches = listFailedBatches(deps.db, request.filter, request.sort);
      const instanceUrl = await deps.instanceUrl();
      for await (const part of failureCsvPartsOfBatches(batches, { instanceUrl, onRows })) parts.push(part);
      return parts;
    });
  };
}

/**
 * Builds the CSV with `build` (which reports its row count as it goes), posting progress, then the
 * file or the failure, on the asking page's channel, and closes it: the browser's export and the
 * service mode's (lib/serviceMode/serviceSource.ts) answer the page the same way. A failure is
 * posted (the page may be waiting there) and thrown (the message answer reports it too).
 */
export async function exportOnChannel(
  channel: ExportChannel,
  now: () => number,
  build: (onRows: (rows: number) => void) => Promise<string[]>,
): Promise<{ rows: number }> {
  try {
    let rows = 0;
    const parts = await build((count) => {
      rows = count;
      channel.post({ kind: 'progress', rows });
    });
    const blob = rows === 0 ? null : new Blob(parts, { type: 'text/csv;charset=utf-8' });
    channel.post({ kind: 'done', rows, fileName: failureCsvFileName(now()), blob });
    return { rows };
  } catch (error) {
    channel.post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    channel.close();
  }
}
