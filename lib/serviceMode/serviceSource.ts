import type { FailureView } from '../db/failures';
import type { StepRecords } from '../db/stepRecords';
import { broadcastExportChannel, type OpenExportChannel } from '../export/exportChannel';
import { failureCsvParts } from '../export/failuresCsv';
import { exportOnChannel, type SyncErrorsExportRequest } from '../export/syncErrorsExport';
import type { ServiceSource, StepsWindowView } from '../messaging/logViews';
import type { RecordPanelAnswer, SyncRequestResult, SyncStateView } from '../messaging/views';
import type { ServiceConnection } from '../settings/serviceConnection';
import type { ServiceClient, ServiceState } from './client';
import type { LogSource, StepsWindowRequest } from './logSource';

// The log source of service mode (issue 21, docs/service-mode.md): every view is the service's,
// read through its status API (./client.ts, which parses each answer with the API's zod shapes)
// and turned into the views the pages already show. The service's views are computed by the same
// lib functions the browser's are (lib/service/statusViews.ts), so this is mostly re-shaping.

/** The status API's largest page of steps (stepsRequestSchema) and of failures (failuresRequestSchema). */
const STEPS_PAGE = 500;
const FAILURES_PAGE = 5000;

export function toSyncStateView(state: ServiceState, service: ServiceSource): SyncStateView {
  return {
    paused: state.paused,
    running: state.running,
    nextRunAt: state.nextRunAt,
    ...(state.lastCycle && { lastCycle: state.lastCycle }),
    connection: state.connection,
    service: {
      ...service,
      orgName: state.org.name,
      readAt: Date.now(),
      note: `Cycles run in the service at ${service.url} (org ${state.org.name}): this browser runs none.`,
    },
  };
}

function refusal(result: { reason: string; message: string }): SyncRequestResult {
  return {
    status: 'refused',
    reason: result.reason === 'paused' ? 'paused' : 'service-mode',
    message: `The service refused: ${result.message}`,
  };
}

export interface ServiceSourceOptions {
  onState?: (state: ServiceState, service: ServiceSource) => void;
  openChannel?: OpenExportChannel;
  /** Rows asked for per call (the API's largest pages by default). */
  pages?: { steps?: number; failures?: number };
}

export function createServiceSource(
  client: ServiceClient,
  connection: ServiceConnection,
  options: ServiceSourceOptions = {},
): LogSource {
  const { onState, openChannel = broadcastExportChannel } = options;
  const stepsPage = options.pages?.steps ?? STEPS_PAGE;
  const failuresPage = options.pages?.failures ?? FAILURES_PAGE;
  const service: ServiceSource = { url: connection.url, orgId: connection.orgId };
  const state = async () => {
    const answer = await client.state();
    onState?.(answer, service);
    return answer;
  };

  async function stepsWindow(request: StepsWindowRequest): Promise<StepsWindowView> {
    const rows: StepsWindowView['rows'] = [];
    const cycles = new Map<number, StepsWindowView['cycles'][number]>();
    let after: [number, number] | undefined;
    let next: StepsWindowView['next'];
    // The table's window may be longer than one page of the API ("Load more" raises it): read on.
    do {
      const page = await client.steps({
        filter: request.filter,
        sort: request.sort,
        limit: Math.min(stepsPage, request.limit - rows.length),
        ...(after && { after }),
      });
      rows.push(...page.rows);
      for (const cycle of page.cycles ?? []) cycles.set(cycle.id, cycle);
      next = page.next;
      after = page.next;
    } while (after && rows.length < request.limit);
    const logEmpty = rows.length === 0 && !(await state()).lastCycle;
    return {
      rows,
      ...(next && { next }),
      cycles: request.grouped ? [...cycles.values()] : [],
      logEmpty,
    };
  }

  async function exportSyncErrors(request: SyncErrorsExportRequest): Promise<{ rows: number }> {
    return exportOnChannel(openChannel(request.channel), Date.now, async (onRows) => {
      const instanceUrl = (await state()).view.instanceUrl;
      let rows = 0;
      async function* pages(): AsyncGenerator<FailureView[]> {
        let offset: number | undefined = 0;
        while (offset !== undefined) {
          const page = await client.failures({
            filter: request.filter,
            sort: request.sort,
            offset,
            limit: failuresPage,
          });
          rows += page.failures.length;
          onRows(rows);
          yield page.failures;
          offset = page.nextOffset;
        }
      }
      const parts: string[] = [];
      for await (const part of failureCsvParts(pages(), { instanceUrl })) parts.push(part);
      return parts;
    });
  }

  return {
    service,
    state: async () => toSyncStateView(await state(), service),
    async syncNow() {
      const result = await client.syncNow();
      return result.status === 'refused' ? refusal(result) : result;
    },
    async setPaused(paused) {
      const answer = await client.setPaused(paused);
      onState?.(answer, service);
      return toSyncStateView(answer, service);
    },
    // The service answers with the same record panel service the browser runs (statusViews.ts):
    // its schema checks what every panel shows; the object-specific sections pass through, each
    // read by the panel section that shows it, as the browser's own answers are.
    recordStatus: async ({ objectType, recordId }) =>
      (await client.record(objectType, recordId)) as RecordPanelAnswer,
    stepsWindow,
    stepRecords: async (stepId, limit) => (await client.stepRecords(stepId, limit)) as StepRecords,
    async metrics(from) {
      const answer = await client.metrics(from);
      return {
        rows: answer.rows,
        ...(answer.lastFetch !== undefined && { lastFetch: answer.lastFetch }),
        fieldTypes: Object.entries(answer.fieldTypes),
      };
    },
    exportSyncErrors,
  };
}
