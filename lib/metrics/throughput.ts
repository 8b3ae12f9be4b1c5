// Throughput and backlog per object and direction (dashboard section 2, docs/dashboard.md), as
// Marketo's Backlog Metrics table: records synced per clock hour over the last 24 hours (max, min,
// average), the backlog as last measured, the time to clear it at the average rate, and whether it
// is Growing (larger than the measurement 6 hours before it) or Normal.
import type { CycleMetrics } from '../db/types';
import { HOUR_MS } from './backlogTrend';

export const GROWING_AFTER_MS = 6 * HOUR_MS;

export interface HourlyStats {
  max: number;
  min: number;
  average: number;
  /** Clock hours in the window in which at least one cycle started (the ones the stats are over). */
  hours: number;
  total: number;
}

/**
 * Records synced per clock hour over the 24 hours ending with the current one (the current hour
 * counts as far as it has run). Only hours in which a cycle ran count: an hour the browser was
 * closed says nothing about the sync's rate; an hour of cycles that synced nothing counts as 0.
 * Undefined when no cycle ran in the window.
 */
export function hourlyThroughput(
  rows: readonly CycleMetrics[],
  key: string,
  now: number,
): HourlyStats | undefined {
  const lastHour = Math.floor(now / HOUR_MS);
  const perHour = new Map<number, number>();
  for (const row of rows) {
    const hour = Math.floor(row.at / HOUR_MS);
    if (hour > lastHour || hour <= lastHour - 24) continue;
    perHour.set(hour, (perHour.get(hour) ?? 0) + (row.synced.get(key) ?? 0));
  }
  if (perHour.size === 0) return undefined;
  const counts = [...perHour.values()];
  const total = counts.reduce((sum, n) => sum + n, 0);
  return {
    max: Math.max(...counts),
    min: Math.min(...counts),
    average: total / counts.length,
    hours: counts.length,
    total,
  };
}

/** Milliseconds to clear `backlog` at `perHour` records an hour: 0 when empty, Infinity when not moving. */
export function timeToClear(backlog: number, perHour: number): number {
  if (backlog <= 0) return 0;
  if (!(perHour > 0)) return Number.POSITIVE_INFINITY;
  return (backlog / perHour) * HOUR_MS;
}

export interface Measurement {
  at: number;
  value: number;
  /** Counted only up to the fetch's page cap: at least `value`. */
  capped: boolean;
}

/** A key's measurements, oldest first. */
export function measurementsOf(rows: readonly CycleMetrics[], key: string): Measurement[] {
  const out: Measurement[] = [];
  for (const r of rows) {
    const value = r.backlog?.get(key);
    if (value !== undefined) out.push({ at: r.at, value, capped: r.backlogCapped?.includes(key) ?? false });
  }
  return out.sort((a, b) => a.at - b.at);
}

export interface Growth {
  status: 'Growing' | 'Normal';
  /** The measurement compared with (the newest at least 6 hours before the latest), if any. */
  earlier?: Measurement;
}

/**
 * Growing when the latest measurement is larger than the newest one taken at least 6 hours before
 * it; Normal otherwise, also when there is none that old yet (nothing shows growth).
 */
export function growthOf(measurements: readonly Measurement[]): Growth {
  const latest = measurements.at(-1);
  if (!latest) return { status: 'Normal' };
  const earlier = measurements.filter((m) => m.at <= latest.at - GROWING_AFTER_MS).at(-1);
  if (!earlier) return { status: 'Normal' };
  return { status: latest.value > earlier.value ? 'Growing' : 'Normal', earlier };
}

/**
 * What is left of a measured backlog: the measurement less the records of its object and direction
 * handled since (from the cycle that measured it, which counted at its start), never below 0 —
 * excluded and failed records have left the backlog too (skipped ones are not counted as handled:
 * lib/sync/metricsTally.ts). An estimate: changes made after the measurement are not known until
 * the next one, and a record skipped for a change of an unmapped field stays counted until then.
 */
export function remainingOf(
  rows: readonly CycleMetrics[],
  key: string,
  measured: Measurement,
): { handled: number; remaining: number } {
  let handled = 0;
  for (const row of rows) if (row.at >= measured.at) handled += row.handled.get(key) ?? 0;
  return { handled, remaining: Math.max(0, measured.value - handled) };
}
