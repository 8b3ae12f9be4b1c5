// The cycle's metric row (docs/dashboard.md), written as the cycle ends with the daily API usage
// row in one transaction: both are the log's record of what the cycle spent and did. A due backlog
// fetch is marked done in the same transaction, so a cycle whose end is lost fetches again; new
// keys join the key dictionary there too (lib/db/metricKeys.ts).
import type { LogDatabase } from '../db/logPort';
import { encodeMetrics, METRIC_KEYS_KEY, readMetricKeys } from '../db/metricKeys';
import { BACKLOG_FETCHED_KEY } from '../db/metrics';
import type { CycleMetricsRecord, MetricRow } from '../db/types';
import type { ApiUsage } from '../salesforce/limits';
import type { BacklogFetch } from './backlog';
import type { MetricsTally } from './metricsTally';

export interface CycleMetricsInput {
  cycleId: number;
  startedAt: number;
  tally: MetricsTally;
  calls: { salesforce: number; marketo: number };
  /** The org's usage as Salesforce last reported it (Sforce-Limit-Info), if any response did. */
  orgUsage: ApiUsage | undefined;
  backlog: BacklogFetch | undefined;
}

export function cycleMetricsOf(input: CycleMetricsInput): CycleMetricsRecord {
  const { tally, backlog, orgUsage } = input;
  return {
    at: input.startedAt,
    cycleId: input.cycleId,
    synced: tally.synced,
    updated: tally.updated,
    handled: tally.handled,
    fields: tally.fields,
    api: {
      ...input.calls,
      ...(orgUsage && { salesforceOrgUsed: orgUsage.used, salesforceOrgMax: orgUsage.max }),
    },
    ...(backlog && { backlog: backlog.backlog }),
    ...(backlog && backlog.capped.length > 0 && { backlogCapped: backlog.capped }),
    ...(backlog?.error !== undefined && { backlogError: backlog.error }),
  };
}

/** Writes the metric row and the given cursor rows (the daily usage) in one transaction. */
export async function writeCycleMetrics(
  db: LogDatabase,
  input: CycleMetricsInput,
  cursors: readonly { key: string; value: string }[],
  now: number,
): Promise<void> {
  const rows = [
    ...cursors,
    ...(input.backlog ? [{ key: BACKLOG_FETCHED_KEY, value: new Date(input.startedAt).toISOString() }] : []),
  ];
  await db.transaction('rw', ['metrics', 'cursors'], async () => {
    const keys = await readMetricKeys(db);
    const known = keys.length;
    await db.metrics.add(encodeMetrics(cycleMetricsOf(input), keys) as MetricRow);
    if (keys.length > known) rows.push({ key: METRIC_KEYS_KEY, value: JSON.stringify(keys) });
    for (const row of rows) await db.cursors.put({ ...row, updatedAt: now });
  });
}
