// The backlog trend (dashboard section 1, docs/dashboard.md): the backlog measured by the hourly
// fetches, per object and direction, either in 4-hour buckets over the retention window (each
// bucket holds the last measurement in it: where the backlog stood as the bucket ended) or at cycle
// resolution (each cycle shows the backlog as last measured, carried between the hourly fetches).
import type { Counts } from '../db/metricKeys';
import type { CycleMetrics } from '../db/types';
import { keyRank, parseKey } from './keys';

export const HOUR_MS = 3_600_000;
export const BUCKET_MS = 4 * HOUR_MS;

export interface Trend {
  /** Bucket starts, or cycle starts (ms). */
  times: number[];
  /** Per `<object>|<direction>` key, in objects' then directions' order: one value per time, null = none. */
  series: { key: string; values: (number | null)[] }[];
  /** Per time: a fetch measured in that bucket or cycle (the others carry or leave gaps). */
  measured: boolean[];
}

type Measured = Pick<CycleMetrics, 'at'> & { backlog: Counts };

const measuredRows = (rows: readonly CycleMetrics[]): Measured[] =>
  rows.filter((r): r is CycleMetrics & Measured => r.backlog !== undefined).sort((a, b) => a.at - b.at);

/** The keys measured anywhere in `rows`, objects in the dashboard's order, then by direction. */
export function backlogKeys(rows: readonly CycleMetrics[]): string[] {
  const keys = new Set<string>();
  for (const row of rows)
    row.backlog?.each((key) => {
      keys.add(key);
    });
  return [...keys].filter((key) => parseKey(key)).sort((a, b) => keyRank(a) - keyRank(b));
}

/** 4-hour buckets (aligned to UTC multiples of `bucketMs`) from `from` to `to`. */
export function backlogBuckets(
  rows: readonly CycleMetrics[],
  from: number,
  to: number,
  bucketMs = BUCKET_MS,
): Trend {
  const first = Math.floor(from / bucketMs) * bucketMs;
  const times: number[] = [];
  for (let t = first; t <= to; t += bucketMs) times.push(t);
  const keys = backlogKeys(rows);
  const values = new Map(keys.map((k) => [k, times.map((): number | null => null)]));
  const measured = times.map(() => false);
  for (const row of measuredRows(rows)) {
    if (row.at < first || row.at > to) continue;
    const i = Math.floor((row.at - first) / bucketMs);
    measured[i] = true;
    // Rows come in time order: a later measurement in the bucket replaces an earlier one.
    row.backlog.each((key, n) => {
      const series = values.get(key);
      if (series) series[i] = n;
    });
  }
  return { times, series: keys.map((key) => ({ key, values: values.get(key)! })), measured };
}

/**
 * One point per cycle in [from, to] (rows are cycles): the backlog as last measured at or before
 * it — also by a fetch before `from` — and null before a key's first measurement.
 */
export function backlogByCycle(rows: readonly CycleMetrics[], from: number, to: number): Trend {
  const cycles = [...rows].sort((a, b) => a.at - b.at);
  const keys = backlogKeys(rows);
  const last = new Map<string, number>();
  const values = new Map(keys.map((k) => [k, [] as (number | null)[]]));
  const times: number[] = [];
  const measured: boolean[] = [];
  for (const row of cycles) {
    row.backlog?.each((key, n) => last.set(key, n));
    if (row.at < from || row.at > to) continue;
    times.push(row.at);
    measured.push(row.backlog !== undefined);
    for (const key of keys) values.get(key)!.push(last.get(key) ?? null);
  }
  return { times, series: keys.map((key) => ({ key, values: values.get(key)! })), measured };
}

export interface StackedSeries {
  key: string;
  /** The series' own values (what the legend shows). */
  raw: (number | null)[];
  /**
   * Its top edge in the stack: the sum of its direction's series up to and including it, drawn
   * above the axis for Salesforce → Marketo and below it (negative) for Marketo → Salesforce.
   * Null where none of its direction's series up to it has a value.
   */
  edge: (number | null)[];
}

/** The trend's series stacked per direction, in `trend.series` order within each direction. */
export function stacked(trend: Trend): StackedSeries[] {
  const sums = new Map<string, (number | null)[]>();
  return trend.series.map(({ key, values }) => {
    const direction = parseKey(key)!.direction;
    const below = sums.get(direction) ?? values.map(() => null);
    const sign = direction === 'toMarketo' ? 1 : -1;
    const edge = values.map((v, i) =>
      v === null && below[i] === null ? null : (below[i] ?? 0) + sign * (v ?? 0),
    );
    sums.set(direction, edge);
    return { key, raw: values, edge };
  });
}
