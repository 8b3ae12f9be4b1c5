// API usage (dashboard section 4, docs/dashboard-errors.md): both systems' calls against their
// daily limits and the extension's allocation (settings `apiBudget`), from the daily usage row the
// engine writes with every batch (lib/sync/dailyUsage.ts) and the cycle rows' own call counts; the
// day's projection at the recent pace; and whether retries are paused (lib/sync/retryPause.ts, the
// same rule the engine applies).
import type { CycleRow } from '../db/types';
import { MARKETO_RATE_LIMITS, marketoQuotaDay } from '../marketo/rateLimiter';
import type { SyncSettings } from '../settings/schema';
import { type DailyUsage, dailyAllocation } from '../sync/dailyUsage';
import { type RetryPause, retryPause } from '../sync/retryPause';

const HOUR = 3_600_000;
/** The pace of the projection: the calls of the cycles that started in the last three hours. */
export const PACE_WINDOW_MS = 3 * HOUR;

export interface SideUsage {
  /** Calls the sync made in the side's day so far (Salesforce: the last 24 hours). */
  used: number;
  /** The system's own daily limit (Salesforce: the org's allowance as last reported). */
  limit?: number;
  /** The extension's allocation of it (apiBudget). */
  allocation?: number;
  /** Calls the day will have at the recent pace (Salesforce: the next 24 hours). */
  projected: number;
}

export interface CycleCalls {
  id: number;
  startedAt: number;
  salesforce: number;
  marketo: number;
}

export interface ApiUsageView {
  salesforce: SideUsage & { hourly: number[] };
  /** Marketo counts per US Central day; its limit is Marketo's default quota (not reported by the API). */
  marketo: SideUsage & { day: string; resetsAt: number };
  /** Calls per hour at the recent pace, per side. */
  pace: { salesforce: number; marketo: number };
  /** The cycles of the last 24 hours, oldest first. */
  cycles: CycleCalls[];
  /** Retries pause at this share of the allocation (settings `retry.pauseAtAllocationShare`). */
  pauseAt: number;
  pause?: RetryPause;
}

export function apiUsageView(
  usage: DailyUsage,
  cycles: readonly CycleRow[],
  settings: Pick<SyncSettings, 'apiBudget' | 'retry'>,
  now: number,
): ApiUsageView {
  const recent = cycles
    .filter((c) => c.startedAt > now - 24 * HOUR)
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((c) => ({ id: c.id, startedAt: c.startedAt, ...c.apiCalls }));
  const pace = paceOf(recent, now);
  const allocation = dailyAllocation(usage, settings.apiBudget, now);
  const hourNow = Math.floor(now / HOUR);
  const hourly = Array.from({ length: 24 }, (_, i) => usage.salesforceHours[String(hourNow - 23 + i)] ?? 0);
  const resetsAt = nextCentralMidnight(now);
  return {
    salesforce: {
      used: allocation.salesforce?.used ?? hourly.reduce((a, b) => a + b, 0),
      ...(allocation.salesforce && {
        limit: allocation.salesforce.max,
        allocation: allocation.salesforce.cap,
      }),
      hourly,
      projected: Math.round(pace.salesforce * 24),
    },
    marketo: {
      used: allocation.marketo.used,
      limit: MARKETO_RATE_LIMITS.dailyBudget,
      allocation: allocation.marketo.cap,
      day: marketoQuotaDay(now),
      resetsAt,
      projected: Math.round(allocation.marketo.used + (pace.marketo * (resetsAt - now)) / HOUR),
    },
    pace,
    cycles: recent,
    pauseAt: settings.retry.pauseAtAllocationShare,
    ...withPause(retryPause(allocation, settings.retry.pauseAtAllocationShare)),
  };
}

const withPause = (pause: RetryPause | undefined) => (pause ? { pause } : {});

/**
 * Calls per hour of the cycles started in the pace window. A sync younger than the window is
 * measured over its own age (at least one cycle interval's worth: a quarter hour).
 */
export function paceOf(cycles: readonly CycleCalls[], now: number): { salesforce: number; marketo: number } {
  const inWindow = cycles.filter((c) => c.startedAt >= now - PACE_WINDOW_MS);
  if (inWindow.length === 0) return { salesforce: 0, marketo: 0 };
  const span = Math.max(now - Math.min(...inWindow.map((c) => c.startedAt)), HOUR / 4);
  const hours = Math.min(span, PACE_WINDOW_MS) / HOUR;
  const sum = (side: 'salesforce' | 'marketo') => inWindow.reduce((n, c) => n + c[side], 0);
  return { salesforce: sum('salesforce') / hours, marketo: sum('marketo') / hours };
}

/** When Marketo's quota day (US Central) ends after `now`: found hour by hour, then minute by minute. */
export function nextCentralMidnight(now: number): number {
  const day = marketoQuotaDay(now);
  let hour = Math.floor(now / HOUR) * HOUR;
  while (marketoQuotaDay(hour + HOUR) === day) hour += HOUR;
  let minute = hour;
  while (marketoQuotaDay(minute) === day) minute += 60_000;
  return minute;
}
