import type { DashboardMetrics } from '../lib/db/metrics';
import { BACKLOG_INTERVAL_MS } from '../lib/db/metrics';
import { formatDateTime, formatDuration, formatRelative } from '../lib/format/time';
import { backlogKeys } from '../lib/metrics/backlogTrend';
import { DIRECTION_LABELS, keyRank, parseKey } from '../lib/metrics/keys';
import { growthOf, hourlyThroughput, measurementsOf, timeToClear } from '../lib/metrics/throughput';

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
 * backlog as last measured, the time to clear it at that average, Growing/Normal, and when the
 * backlog was last fetched and will be next.
 */
export function ThroughputBacklog({ metrics, now, objectLabel, timeZone }: Props) {
  const { rows, lastFetch } = metrics;
  const recent = rows.filter((r) => r.at > now - DAY_MS);
  const keys = new Set(backlogKeys(rows));
  for (const row of recent)
    for (const [key, n] of Object.entries(row.synced)) if (n > 0 && parseKey(key)) keys.add(key);
  const ordered = [...keys].sort((a, b) => keyRank(a) - keyRank(b));
  const lastMeasured = rows.filter((r) => r.backlog).at(-1);
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
            {ordered.map((key) => {
              const { direction } = parseKey(key)!;
              const stats = hourlyThroughput(recent, key, now);
              const measurements = measurementsOf(rows, key);
              const latest = measurements.at(-1);
              const growth = growthOf(measurements);
              const clear = latest ? timeToClear(latest.value, stats?.average ?? 0) : undefined;
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
                  </td>
                  <td class="clear">
                    {clear === undefined
                      ? '—'
                      : clear === 0
                        ? 'Clear'
                        : clear === Number.POSITIVE_INFINITY
                          ? 'Not clearing (nothing synced in 24 hours)'
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
