// A cycle as the popup's header shows it (SyncStateView.lastCycle): the same fields whether the
// browser's scheduler or the service's status API (lib/service/statusViews.ts) reads the log.
import type { CycleSummary } from '../messaging/views';
import type { CycleRow } from './types';

export function cycleSummaryOf(row: CycleRow): CycleSummary {
  return {
    id: row.id,
    trigger: row.trigger,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    status: row.status,
    totals: row.totals,
    ...(row.error !== undefined && { error: row.error }),
    ...(row.reason !== undefined && { reason: row.reason }),
  };
}
