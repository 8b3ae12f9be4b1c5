// The status API's views of one org (statusApi.ts), computed by the same lib functions the extension's
// pages and background use, over the org's log: the popup's sync state and header view, the steps
// table (queryStepsPage), the sync-errors rows (listFailures) and CSV (failureCsvPartsOfBatches),
// the dashboard's metrics (readDashboardMetrics) and the record panel (createRecordPanelService).
import type { PgBoss } from 'pg-boss';
import type { z } from 'zod';
import { connectionStatus } from '../connections/status';
import { cycleSummaryOf } from '../db/cycleSummary';
import { listFailedBatches, listFailures } from '../db/failures';
import type { LogDatabase } from '../db/logPort';
import { readDashboardMetrics } from '../db/metrics';
import { changesOf } from '../db/packedChanges';
import { loadStepRecords, type StepRecord } from '../db/stepRecords';
import { queryStepsPage } from '../db/stepsPage';
import { failureCsvPartsOfBatches } from '../export/failuresCsv';
import { systemClock } from '../http/ports';
import { readPopupView } from '../messaging/popupView';
import type { RecordPanelAnswer } from '../messaging/views';
import { createRecordPanelService } from '../records/panelService';
import { createPendingChecker } from '../records/pendingCheck';
import type { ConnectionSettings } from '../settings/connection';
import { CYCLE_LEASE } from '../sync/lease';
import { cronFor } from './cycleQueue';
import type { OrgClientCache } from './orgClients';
import type { Org } from './orgStore';
import type {
  failuresRequestSchema,
  failuresResponseSchema,
  metricsRequestSchema,
  metricsResponseSchema,
  StateResponse,
  stepRecordsRequestSchema,
  stepRecordsResponseSchema,
  stepsRequestSchema,
  stepsResponseSchema,
} from './statusApi';

export interface OrgViewContext {
  org: Org;
  db: LogDatabase;
  boss: PgBoss;
  clients: OrgClientCache;
}

/** The org's connections as the extension's options would hold them, for the shared status code. */
function connectionsOf(org: Org): ConnectionSettings {
  return {
    salesforce: {
      mode: 'session',
      instanceUrl: org.salesforce.instanceUrl,
      loginHost: org.salesforce.instanceUrl,
    },
    marketo: { restEndpoint: `${org.marketo.restUrl}/rest`, clientId: org.marketo.clientId },
  };
}

export async function stateView({ org, db, boss }: OrgViewContext): Promise<StateResponse> {
  const now = Date.now();
  const [last, lease] = await Promise.all([
    db.cycles.orderBy('startedAt').last(),
    db.leases.get(CYCLE_LEASE),
  ]);
  // A cycle row left In Process by a killed worker is not running: only a live lease says it is.
  const running = last?.status === 'In Process' && lease !== undefined && lease.expiresAt > now;
  const next = org.paused
    ? undefined
    : boss.previewSchedule(cronFor(org.id, org.intervalMinutes), { count: 1 })[0];
  // The secrets are references the workers resolve; here they only need to be known to exist.
  const secrets = { salesforce: {}, marketo: { clientSecret: 'by reference' } };
  const view = await readPopupView({
    getSettings: async () => org.settings,
    getConnections: async () => connectionsOf(org),
  });
  return {
    org: { id: org.id, name: org.name, intervalMinutes: org.intervalMinutes },
    paused: org.paused,
    running,
    nextRunAt: next ? next.getTime() : null,
    ...(last && { lastCycle: cycleSummaryOf(last) }),
    connection: connectionStatus(connectionsOf(org), secrets, { lastCycle: last }),
    // The token is the org's admin credential: whoever holds it sees the log, as an admin does.
    view: { ...view, isAdmin: true },
  };
}

export async function stepsView(
  { db }: OrgViewContext,
  request: z.output<typeof stepsRequestSchema>,
): Promise<z.input<typeof stepsResponseSchema>> {
  const page = await queryStepsPage(db, request.filter, request.sort, {
    limit: request.limit,
    ...(request.after && { after: request.after }),
  });
  // The rows' cycles, for the extension's "Group by cycle" headers (as its own table reads them).
  const cycles = await db.cycles.bulkGet([...new Set(page.rows.map((row) => row.cycleId))]);
  return {
    // Infinity (a running step's Ended-At key) travels as null, as JSON.stringify would write it.
    rows: page.rows.map((row) => ({ ...row, endSort: Number.isFinite(row.endSort) ? row.endSort : null })),
    ...(page.next && { next: page.next }),
    cycles: cycles.filter((cycle) => cycle !== undefined),
  };
}

/** An opened step row's failed, skipped and drifted records, their changes unpacked. */
export async function stepRecordsView(
  { db }: OrgViewContext,
  request: z.output<typeof stepRecordsRequestSchema>,
): Promise<z.input<typeof stepRecordsResponseSchema>> {
  const records = await loadStepRecords(db, request.stepId, request.limit);
  const plain = (list: StepRecord[]) =>
    list.map((record) => {
      const { cw: _packed, ...rest } = record;
      const changes = changesOf(record);
      return { ...rest, ...(changes && { changes }) };
    });
  return {
    failed: plain(records.failed),
    skipped: plain(records.skipped),
    drifted: plain(records.drifted),
    truncated: records.truncated,
  };
}

export async function failuresView(
  { db }: OrgViewContext,
  request: z.output<typeof failuresRequestSchema>,
): Promise<z.input<typeof failuresResponseSchema>> {
  const failures: z.input<typeof failuresResponseSchema>['failures'] = [];
  let seen = 0;
  let more = false;
  for await (const chunk of listFailures(db, request.filter, { sort: request.sort })) {
    for (const failure of chunk) {
      if (seen++ < request.offset) continue;
      if (failures.length === request.limit) {
        more = true;
        break;
      }
      failures.push(failure);
    }
    if (more) break;
  }
  return { failures, ...(more && { nextOffset: request.offset + failures.length }) };
}

/** The sync-errors CSV exactly as the extension's export writes it, part by part. */
export function failuresCsv(
  { db, org }: OrgViewContext,
  request: z.output<typeof failuresRequestSchema>,
): AsyncGenerator<string> {
  return failureCsvPartsOfBatches(listFailedBatches(db, request.filter, request.sort), {
    instanceUrl: org.salesforce.instanceUrl,
  });
}

const FIVE_DAYS_MS = 5 * 24 * 3600_000;

export async function metricsView(
  { db }: OrgViewContext,
  request: z.output<typeof metricsRequestSchema>,
): Promise<z.input<typeof metricsResponseSchema>> {
  const metrics = await readDashboardMetrics(db, request.from ?? Date.now() - FIVE_DAYS_MS);
  return {
    rows: metrics.rows.map(({ backlog, ...row }) => ({
      ...row,
      synced: row.synced.toRecord(),
      updated: row.updated.toRecord(),
      handled: row.handled.toRecord(),
      fields: row.fields.toRecord(),
      ...(backlog && { backlog: backlog.toRecord() }),
    })),
    ...(metrics.lastFetch !== undefined && { lastFetch: metrics.lastFetch }),
    fieldTypes: Object.fromEntries(metrics.fieldTypes),
  };
}

export function recordView(
  { org, db, clients }: OrgViewContext,
  request: { objectType: string; recordId: string },
): Promise<RecordPanelAnswer> {
  const service = createRecordPanelService({
    db,
    settings: async () => org.settings,
    isAdmin: async () => true,
    timeZone: async () => undefined,
    // "Pending" asks Salesforce whether the record changed since it synced, with the org's client.
    pending: createPendingChecker({
      db,
      clock: systemClock,
      salesforce: async () => clients.get(org).salesforce,
    }),
    // The service runs no one-record cycles (Sync now of one record stays in the browser).
    syncing: () => undefined,
  });
  return service(request);
}
