// The backlog trend's chart (docs/dashboard.md), drawn with uPlot. uPlot is imported dynamically
// here, so it sits in a chunk of its own that only the dashboard loads, when it first draws (the
// popup never does: its bundle stays ≤ 50 KB gzipped; the chunk's size is a bench row). A static
// import of uPlot in a module the dashboard imports lazily did not do that: the build put uPlot
// into the dashboard's own chunk. Each direction's objects are stacked on their own side of the
// axis: Salesforce → Marketo above, Marketo → Salesforce below.
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type StackedSeries, stacked, type Trend } from '../lib/metrics/backlogTrend';

export interface ChartOptions {
  width: number;
  height: number;
  /** Legend label of a series key (object and direction in words). */
  label: (key: string) => string;
  /** The Salesforce user's time zone, when known (else the browser's). */
  timeZone?: string;
  /** A range dragged out on the chart (ms): the section zooms in to cycle resolution. */
  onZoom: (from: number, to: number) => void;
}

export interface BacklogChart {
  update(trend: Trend): void;
  resize(width: number): void;
  destroy(): void;
}

/** One colour per object (the same in both directions); Marketo → Salesforce is filled lighter. */
const PALETTE = ['#0176d3', '#2e844a', '#a96404', '#9050e9', '#ba0517', '#06a59a', '#706e6b'];

/** What the chart shows now: replaced on each update, read by the legend and point filters. */
interface Shown {
  trend: Trend;
  stacks: StackedSeries[];
}

/**
 * Series in the trend's order; each fills towards the axis down to the series under it in its
 * stack (a uPlot band) or, the first of its direction, to the axis.
 */
function layout(shown: Shown, options: ChartOptions): { series: uPlot.Series[]; bands: uPlot.Band[] } {
  const objects: string[] = [];
  const bands: uPlot.Band[] = [];
  const series = shown.stacks.map((s, i): uPlot.Series => {
    const object = s.key.split('|')[0]!;
    if (!objects.includes(object)) objects.push(object);
    const colour = PALETTE[objects.indexOf(object) % PALETTE.length]!;
    const below = s.key.endsWith('|toSalesforce');
    const fill = `${colour}${below ? '55' : '99'}`;
    // The series under this one: the previous one of its direction (the trend interleaves them).
    const under = shown.stacks.findLastIndex((t, j) => j < i && t.key.endsWith('|toSalesforce') === below);
    // A band from this series' edge towards the axis, stopping at the edge of the series under it
    // (uPlot's stacking: the fill of the outer series is clipped there). uPlot counts the x values
    // as series 0: data series i is uPlot series i + 1.
    if (under >= 0) bands.push({ series: [i + 1, under + 1], dir: below ? 1 : -1 });
    return {
      label: options.label(s.key),
      stroke: colour,
      fill,
      width: 1,
      // The legend shows the series' own count (not its edge in the stack): at the cursor, else
      // the newest.
      value: (_u, _v, _si, idx) => {
        const raw = shown.stacks[i]?.raw ?? [];
        const at = idx ?? raw.length - 1;
        return raw[at]?.toLocaleString('en-US') ?? '—';
      },
      points: {
        // Points mark the measurements; between them a cycle only carries the last one.
        filter: (_u, _si, show) => (show ? shown.trend.measured.flatMap((m, j) => (m ? [j] : [])) : null),
      },
    };
  });
  return { series, bands };
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

// The time axis's tick steps (seconds) and labels. uPlot's defaults go below a second and label a
// span of a few seconds ":16.000 :16.500 …" — seconds and milliseconds without the time they are
// in, which an admin cannot read (cycles back to back, or a zoom into one cycle, make such spans).
// Here a step is a whole second or more and a seconds tick says the whole time, "3:04:16 PM" (as the page writes times).
const TIME_INCRS = [1, 5, 10, 15, 30, MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE]
  .concat([HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR])
  .concat([DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 182 * DAY, 365 * DAY]);

// uPlot's table: the smallest step a row is for, its label, and the label added below when the
// year, month, day, hour, minute or second changes at that tick (null: nothing added); 1 = added.
const TIME_LABELS: (string | number | null)[][] = [
  [365 * DAY, '{YYYY}', null, null, null, null, null, null, 1],
  [28 * DAY, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [DAY, '{M}/{D}', '\n{YYYY}', null, null, null, null, null, 1],
  [HOUR, '{h} {AA}', '\n{M}/{D}/{YY}', null, '\n{M}/{D}', null, null, null, 1],
  [MINUTE, '{h}:{mm} {AA}', '\n{M}/{D}/{YY}', null, '\n{M}/{D}', null, null, null, 1],
  [1, '{h}:{mm}:{ss} {AA}', '\n{M}/{D}/{YY}', null, '\n{M}/{D}', null, null, null, 1],
];

const dataOf = (shown: Shown): uPlot.AlignedData =>
  [shown.trend.times.map((t) => t / 1000), ...shown.stacks.map((s) => s.edge)] as uPlot.AlignedData;

let loading: Promise<typeof uPlot> | undefined;

/** Starts loading uPlot (once): the dashboard asks as it opens, so the chunk loads with the data. */
export function loadChart(): Promise<typeof uPlot> {
  loading ??= import('uplot').then((m) => m.default);
  return loading;
}

export async function drawBacklogChart(
  target: HTMLElement,
  trend: Trend,
  options: ChartOptions,
): Promise<BacklogChart> {
  const UPlot = await loadChart();
  const legendTime = UPlot.fmtDate('{M}/{D}/{YY} {h}:{mm}:{ss} {AA}');
  const shown: Shown = { trend, stacks: stacked(trend) };
  const build = (width: number) => {
    const { series, bands } = layout(shown, options);
    const zone = options.timeZone;
    const opts: uPlot.Options = {
      width,
      height: options.height,
      series: [
        {
          label: 'Time',
          // At the cursor, else the newest point's — the counts beside it are the newest's too
          // (uPlot's default shows "--" until the cursor is on the chart).
          value: (_u, v) => {
            const at = v ?? (shown.trend.times.at(-1) ?? 0) / 1000;
            return at
              ? legendTime(zone ? UPlot.tzDate(new Date(at * 1000), zone) : new Date(at * 1000))
              : '—';
          },
        },
        ...series,
      ],
      bands,
      scales: {
        x: { time: true },
        // A backlog is measured from nothing: the axis always shows 0 (a single measurement, or a
        // steady one, would otherwise fill the chart's height around its own value).
        y: { range: (_u, min, max) => [Math.min(0, min) * 1.05, Math.max(1, max * 1.05)] },
      },
      axes: [
        { incrs: TIME_INCRS, values: TIME_LABELS, space: 80 },
        { values: (_u, splits) => splits.map((v) => Math.abs(v).toLocaleString()), size: 60 },
      ],
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width <= 0) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            options.onZoom(from, to);
          },
        ],
      },
      ...(zone && { tzDate: (ts: number) => UPlot.tzDate(new Date(ts * 1000), zone) }),
    };
    return new UPlot(opts, dataOf(shown), target);
  };
  let plot = build(options.width);
  return {
    update(next) {
      const sameSeries =
        next.series.length === shown.trend.series.length &&
        next.series.every((s, i) => s.key === shown.trend.series[i]!.key);
      shown.trend = next;
      shown.stacks = stacked(next);
      if (sameSeries) plot.setData(dataOf(shown));
      else {
        const width = plot.width;
        plot.destroy();
        plot = build(width);
      }
    },
    resize(width) {
      plot.setSize({ width, height: options.height });
    },
    destroy() {
      plot.destroy();
    },
  };
}
