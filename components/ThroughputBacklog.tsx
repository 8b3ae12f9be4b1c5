import { useMemo } from 'preact/hooks';
import type { DashboardMetrics } from '../lib/db/metrics';
import { BACKLOG_INTERVAL_MS } from '../lib/db/metrics';
import type { CycleMetrics } from '../lib/db/types';
import { formatDuration } from '../lib/format/duration';
import { formatDateTime, formatRelative } from '../lib/format/time';
import { backlogKeys } from '../lib/metrics/backlogTrend';
import { DIRECTION_LABELS, keyRank, parseKey } from '../lib/metrics/keys';
import {
  growthOf,
  hourlyThroughput,
  measurementsOf,
  remainingOf,
  timeToClear,
} from '../lib/metrics/throughput';

interface Props {
  metrics: DashboardMetrics;
  now: number;
  /** The object of a key in words ("Lead" or "Person" for persons). */
  objectLabel: (key: string) => string;
  timeZone?: string;
}

const DAY_MS = 24 * 3_600_000;
const fmt = (n: number) => (Number.isInteger(n) ? n : Math.round(n * 10) / 10).toLocaleString('en-US');

/**
 * Section 2, throughput and backlog per object and direction (docs/dashboard.md): records synced
 * per hour over the last 24 hours (max, min, average over the hours in which cycles ran), the
 * backlog as last measured (and what was handled since), the time to clear what is left of it at
 * that average, Growing/Normal, and when the backlog was last fetched and will be next.
 */
export function ThroughputBacklog({ metrics, now, objectLabel, timeZone }: Props) {
  const { rows, lastFetch } = metrics;
  const ordered = useMemo(() => tableRows(rows, now), [rows, now]);
  const lastMeasured = rows.findLast((r) => r.backlog);
  const next = lastFetch === undefined ? undefined : lastFetch + BACKLOG_INTERVAL_MS;
  return (
    <section class="metrics-section throughput" aria-labelledby="throughput-title">
      <h2 id="throughput-title">Throughput and backlog</h2>
      <p class="muted fetch-times">
        Backlog last fetched:{' '}
        {lastFetch === undefined
          ? 'not yet'
          : `${formatDateTime(lastFetch, timeZone)} (${formatRelative(lastFetch, now)})`}
        . Next: with the first cycle{' '}
        {next === undefined || next <= now ? 'that runs' : `after ${formatDateTime(next, timeZone)}`} (hourly,
        both sides counted: 1 Salesforce call and 1 Marketo call per 300 changes waiting, at most 10).
      </p>
      {lastMeasured?.backlogError && (
        <p class="notice warn backlog-error">
          The last backlog fetch did not count everything: {lastMeasured.backlogError}
        </p>
      )}
      {ordered.length === 0 ? (
        <p class="empty">Nothing synced in the last 24 hours and no backlog measured yet.</p>
      ) : (
        <table class="steps metrics-table">
          <thead>
            <tr>
              <th scope="col">Object</th>
              <th scope="col">Direction</th>
              <th scope="col" class="num">
                Max / hour
              </th>
              <th scope="col" class="num">
                Min / hour
              </th>
              <th scope="col" class="num">
                Average / hour
              </th>
              <th scope="col" class="num">
                Backlog
              </th>
              <th scope="col">Time to clear</th>
              <th scope="col">Trend</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map(({ key, direction, stats, latest, left, growth, clear }) => {
              return (
                <tr key={key} data-key={key}>
                  <td>{objectLabel(key)}</td>
                  <td>{DIRECTION_LABELS[direction]}</td>
                  <td class="num">{stats ? fmt(stats.max) : '—'}</td>
                  <td class="num">{stats ? fmt(stats.min) : '—'}</td>
                  <td
                    class="num"
                    title={stats && `${stats.total} records over ${stats.hours} hours with cycles`}
                  >
                    {stats ? fmt(stats.average) : '—'}
                  </td>
                  <td
                    class="num backlog"
                    title={
                      latest &&
                      `Measured ${formatDateTime(latest.at, timeZone)}${latest.capped ? ' (at least: the count stopped at its page cap)' : ''}`
                    }
                  >
                    {latest ? `${latest.capped ? '≥ ' : ''}${fmt(latest.value)}` : '—'}
                    {latest && left && latest.value > 0 && left.handled > 0 && (
                      <span class="muted handled-since">
                        {' '}
                        ({left.remaining === 0 ? 'all' : fmt(left.handled)} handled since)
                      </span>
                    )}
                  </td>
                  <td class="clear">
                    {clear === undefined
                      ? '—'
                      : clear === 0
                        ? 'Clear'
                        : clear === Number.POSITIVE_INFINITY
                          ? 'Not clearing (nothing synced in 24 hours)'
                          : clear < 60_000
                            ? 'Under a minute'
                            : `about ${formatDuration(clear)}`}
                  </td>
                  <td
                    class={`trend ${growth.status === 'Growing' ? 'growing' : ''}`}
                    title={
                      growth.earlier
                        ? `${fmt(growth.earlier.value)} at ${formatDateTime(growth.earlier.at, timeZone)}`
                        : 'No measurement 6 hours older than the latest yet'
                    }
                  >
                    {latest ? growth.status : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One table row per object and direction synced in the last 24 hours or measured in the window. */
function tableRows(rows: readonly CycleMetrics[], now: number) {
  const recent = rows.filter((r) => r.at > now - DAY_MS);
  const keys = new Set(backlogKeys(rows));
  for (const row of recent)
    row.synced.each((key, n) => {
      if (n > 0) keys.add(key);
    });
  return [...keys]
    .filter((key) => parseKey(key))
    .sort((a, b) => keyRank(a) - keyRank(b))
    .map((key) => {
      const stats = hourlyThroughput(recent, key, now);
      const measurements = measurementsOf(rows, key);
      const latest = measurements.at(-1);
      const left = latest && remainingOf(rows, key, latest);
      return {
        key,
        direction: parseKey(key)!.direction,
        stats,
        latest,
        left,
        growth: growthOf(measurements),
        clear: left ? timeToClear(left.remaining, stats?.average ?? 0) : undefined,
      };
    });
}
