import type { StepFilter, StepSort } from '../db/stepFilter';
import type { StepRecords } from '../db/stepRecords';
import type { SyncErrorsExportRequest } from '../export/syncErrorsExport';
import type { FetchPort } from '../http/ports';
import type { DashboardMetricsView, ServiceSource, StepsWindowView } from '../messaging/logViews';
import type { RecordPanelAnswer, SyncRequestResult, SyncStateView } from '../messaging/views';
import type { ConnectionSettings, Secrets } from '../settings/connection';
import { runsInService } from '../settings/serviceConnection';
import { createServiceClient, type ServiceState } from './client';
import { createServiceSource } from './serviceSource';

// The log source port (issue 21, docs/service-mode.md): what the background answers the pages
// about the sync — its state, the step table, a record's panel, the metrics, the errors CSV — and
// where Sync now and Pause go. Two implementations: this browser's own log and scheduler
// (localSource.ts), or a service's status API (serviceSource.ts). The background's message handlers
// ask `current()` for the one the stored connections choose, on every message, so switching modes
// on the options page takes effect at the next message.

export interface StepsWindowRequest {
  filter: StepFilter;
  sort: StepSort;
  limit: number;
  /** Read the rows' cycles (the table's "Group by cycle"). */
  grouped: boolean;
}

export interface LogSource {
  /** Set when the cycles run in a service (the popup and the dashboard say so). */
  readonly service?: ServiceSource;
  state(): Promise<SyncStateView>;
  syncNow(): Promise<SyncRequestResult>;
  setPaused(paused: boolean): Promise<SyncStateView>;
  recordStatus(request: { objectType: string; recordId: string }): Promise<RecordPanelAnswer>;
  stepsWindow(request: StepsWindowRequest): Promise<StepsWindowView>;
  stepRecords(stepId: number, limit: number): Promise<StepRecords>;
  metrics(from: number): Promise<DashboardMetricsView>;
  exportSyncErrors(request: SyncErrorsExportRequest): Promise<{ rows: number }>;
}

export interface LogSourceSwitchDeps {
  connections(): Promise<ConnectionSettings>;
  secrets(): Promise<Secrets>;
  fetch: FetchPort;
  local: LogSource;
  /** Told each state the service answers (the background publishes it and its org's view). */
  onServiceState?: (state: ServiceState, service: ServiceSource) => void;
}

/** Why this browser refuses what only it could do, while a service runs the cycles. */
export function refusedInServiceMode(
  what: string,
  service: ServiceSource,
): Extract<SyncRequestResult, { status: 'refused' }> {
  return {
    status: 'refused',
    reason: 'service-mode',
    message: `${what} runs in this browser only, and the cycles run in the service at ${service.url} (org ${service.orgId}). Use Sync now in the popup to start a cycle there.`,
  };
}

/** The source the stored connections choose, rebuilt only when they change. */
export function createLogSourceSwitch(deps: LogSourceSwitchDeps) {
  let cached: { key: string; source: LogSource } | undefined;
  return {
    async current(): Promise<LogSource> {
      const connections = await deps.connections();
      if (!runsInService(connections)) return deps.local;
      const token = (await deps.secrets()).service?.token ?? '';
      const { url, orgId } = connections.service;
      const key = JSON.stringify([url, orgId, token]);
      if (cached?.key !== key) {
        const client = createServiceClient({ url, orgId, token, fetch: deps.fetch });
        cached = {
          key,
          source: createServiceSource(
            client,
            { url, orgId },
            deps.onServiceState ? { onState: deps.onServiceState } : {},
          ),
        };
      }
      return cached.source;
    },
  };
}

export type LogSourceSwitch = ReturnType<typeof createLogSourceSwitch>;
