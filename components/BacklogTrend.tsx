import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { DashboardMetrics } from '../lib/db/metrics';
import { BUCKET_MS, backlogBuckets, backlogByCycle, HOUR_MS, type Trend } from '../lib/metrics/backlogTrend';
import { type BacklogChart, drawBacklogChart } from './backlogChart';
import { formatCompact } from './tableTime';

interface Props {
  metrics: DashboardMetrics;
  /** Start of the retention window (ms). */
  from: number;
  now: number;
  /** Object and direction of a key in words. */
  label: (key: string) => string;
  timeZone?: string;
  /** Called when the chart has drawn its data, or there is none to draw (the dashboard's paint mark). */
  onDrawn?: () => void;
}

/** Whole window in 4-hour buckets, or a range at cycle resolution (`to` Infinity: up to now, live). */
type View = { kind: 'buckets' } | { kind: 'cycles'; from: number; to: number };

const CHART_HEIGHT = 240;

/**
 * Section 1, the backlog trend (docs/dashboard.md): both directions, stacked per object, in 4-hour
 * buckets over the retention window; dragging a range on the chart (or "Last 24 hours") zooms in
 * to cycle resolution. uPlot loads when the chart first draws, in a chunk of its own (backlogChart.ts).
 */
export function BacklogTrend({ metrics, from, now, label, timeZone, onDrawn }: Props) {
  const [view, setView] = useState<View>({ kind: 'buckets' });
  const [failed, setFailed] = useState<string>();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<BacklogChart | undefined>(undefined);
  const trend: Trend = useMemo(
    () =>
      view.kind === 'buckets'
        ? backlogBuckets(metrics.rows, from, now, BUCKET_MS)
        : backlogByCycle(metrics.rows, view.from, view.to),
    [metrics, from, now, view],
  );
  const empty = trend.series.length === 0;

  useEffect(() => {
    const target = box.current;
    if (!target) return;
    if (empty) {
      onDrawn?.();
      return;
    }
    if (chart.current) {
      chart.current.update(trend);
      return;
    }
    let stopped = false;
    drawBacklogChart(target, trend, {
      width: target.clientWidth,
      height: CHART_HEIGHT,
      label,
      ...(timeZone && { timeZone }),
      onZoom: (a, b) => setView({ kind: 'cycles', from: a, to: b }),
    }).then(
      (drawn) => {
        if (stopped) drawn.destroy();
        else {
          chart.current = drawn;
          onDrawn?.();
        }
      },
      (error: unknown) => setFailed(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      stopped = true;
    };
  }, [trend, empty]);

  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const observer = new ResizeObserver(() => chart.current?.resize(target.clientWidth));
    observer.observe(target);
    return () => {
      observer.disconnect();
      chart.current?.destroy();
      chart.current = undefined;
    };
  }, [empty]);

  const range =
    view.kind === 'buckets'
      ? 'Whole history, 4-hour buckets (the last measurement in each)'
      : `${formatCompact(view.from, timeZone)} – ${view.to === Number.POSITIVE_INFINITY ? 'now' : formatCompact(view.to, timeZone)}, each cycle (the backlog as last measured)`;
  return (
    <section class="metrics-section backlog-trend" aria-labelledby="backlog-trend-title">
      <h2 id="backlog-trend-title">Backlog trend</h2>
      <div class="metrics-controls">
        <span class="muted">{range}</span>
        <button
          type="button"
          aria-pressed={view.kind === 'buckets'}
          onClick={() => setView({ kind: 'buckets' })}
        >
          Whole history
        </button>
        <button
          type="button"
          aria-pressed={view.kind === 'cycles'}
          onClick={() => setView({ kind: 'cycles', from: now - 24 * HOUR_MS, to: Number.POSITIVE_INFINITY })}
        >
          Last 24 hours, each cycle
        </button>
      </div>
      {empty ? (
        <p class="empty">
          No backlog measured yet: the first cycle of each hour counts the changes waiting on both sides.
        </p>
      ) : (
        <p class="muted chart-help">
          Above the line: changes waiting in Salesforce for Marketo; below it: changes waiting in Marketo for
          Salesforce. Drag across the chart to see that range cycle by cycle.
        </p>
      )}
      {failed && <p class="error">The chart could not load: {failed}</p>}
      {/* uPlot draws into this box; its legend under the chart names each series and its count. */}
      <div class="backlog-chart" ref={box} hidden={empty} />
      {!empty && <TrendTable trend={trend} label={label} {...(timeZone && { timeZone })} />}
    </section>
  );
}

/** The measurements the chart shows, as a table (for screen readers, and to read exact counts). */
function TrendTable({
  trend,
  label,
  timeZone,
}: {
  trend: Trend;
  label: (key: string) => string;
  timeZone?: string;
}) {
  // Rendered once opened: a week of hourly measurements is over a thousand cells.
  const [open, setOpen] = useState(false);
  const rows = trend.times.flatMap((_at, i) => (trend.measured[i] ? [i] : []));
  return (
    <details class="trend-table" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>The measurements as a table ({rows.length})</summary>
      {open && (
        <table class="steps metrics-table">
          <thead>
            <tr>
              <th scope="col">Measured</th>
              {trend.series.map((s) => (
                <th scope="col" class="num" key={s.key}>
                  {label(s.key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={trend.times[i]}>
                <th scope="row">{formatCompact(trend.times[i]!, timeZone)}</th>
                {trend.series.map((s) => (
                  <td class="num" key={s.key}>
                    {s.values[i]?.toLocaleString('en-US') ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
