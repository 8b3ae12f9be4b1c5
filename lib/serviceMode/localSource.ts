import type { LogDatabase } from '../db/logPort';
import { recordOf } from '../db/metricKeys';
import { readDashboardMetrics } from '../db/metrics';
import { loadStepRecords } from '../db/stepRecords';
import { readStepsWindow } from '../db/stepsWindow';
import type { SyncErrorsExportRequest } from '../export/syncErrorsExport';
import type { RecordPanelAnswer, SyncRequestResult, SyncStateView } from '../messaging/views';
import type { LogSource } from './logSource';

// The log source of browser mode: this browser's own log (IndexedDB) and scheduler, as before
// issue 21. The pages read the log themselves in this mode; the background answers the log
// messages (getStepsWindow, getStepRecords, getDashboardMetrics) from the same functions.

export interface LocalSourceDeps {
  db: LogDatabase;
  scheduler: {
    state(): Promise<SyncStateView>;
    syncNow(): Promise<SyncRequestResult>;
    setPaused(paused: boolean): Promise<SyncStateView>;
  };
  recordStatus(request: { objectType: string; recordId: string }): Promise<RecordPanelAnswer>;
  exportSyncErrors(request: SyncErrorsExportRequest): Promise<{ rows: number }>;
}

export function createLocalSource(deps: LocalSourceDeps): LogSource {
  const { db, scheduler } = deps;
  return {
    state: () => scheduler.state(),
    syncNow: () => scheduler.syncNow(),
    setPaused: (paused) => scheduler.setPaused(paused),
    recordStatus: (request) => deps.recordStatus(request),
    async stepsWindow(request) {
      const window = await readStepsWindow(db, request);
      // Runtime messages are JSON: a running step's +Infinity sort key would arrive as null anyway.
      return {
        ...window,
        rows: window.rows.map((row) => ({
          ...row,
          endSort: Number.isFinite(row.endSort) ? row.endSort : null,
        })),
      };
    },
    stepRecords: (stepId, limit) => loadStepRecords(db, stepId, limit),
    async metrics(from) {
      const metrics = await readDashboardMetrics(db, from);
      return {
        rows: metrics.rows.map(recordOf),
        ...(metrics.lastFetch !== undefined && { lastFetch: metrics.lastFetch }),
        fieldTypes: [...metrics.fieldTypes],
      };
    },
    exportSyncErrors: (request) => deps.exportSyncErrors(request),
  };
}
