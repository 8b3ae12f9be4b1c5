import { type ApiUsageView, apiUsageView, type CycleCalls, type SideUsage } from '../lib/dashboard/apiUsage';
import type { LogDatabase } from '../lib/db/logPort';
import { formatDateTime } from '../lib/format/time';
import type { SettingsStore } from '../lib/settings/store';
import { readDailyUsage } from '../lib/sync/dailyUsage';
import { retryPauseText } from '../lib/sync/retryPause';
import { useLiveQuery } from './useLiveQuery';
import { useSyncSettings } from './useSyncSettings';

interface Props {
  db: LogDatabase;
  store: SettingsStore;
  timeZone?: string;
}

const DAY = 24 * 3_600_000;
const n = (value: number) => Math.round(value).toLocaleString();
/** A share as a percentage: whole numbers, one decimal below 10 % ("0.2 %" rather than "0 %"). */
const percent = (share: number) => {
  const value = share * 100;
  return `${value > 0 && value < 10 ? value.toFixed(1) : Math.round(value)} %`;
};

/**
 * Dashboard section 4 (docs/dashboard-errors.md): both systems' calls against their daily limits
 * and the extension's allocation, calls per cycle, the day's projection, and whether retries of
 * failed records are paused — live after every cycle (the usage row and the cycles are re-read).
 */
export function ApiUsageCard({ db, store, timeZone }: Props) {
  const { settings, error: settingsError } = useSyncSettings(store);
  const { value: read, error } = useLiveQuery(async () => {
    const now = Date.now();
    const [usage, cycles] = await Promise.all([
      readDailyUsage(db),
      db.cycles
        .where('startedAt')
        .above(now - DAY)
        .toArray(),
    ]);
    return { usage, cycles, now };
  }, [db]);
  const failure = error?.message ?? settingsError;
  const view = read && settings && apiUsageView(read.usage, read.cycles, settings, read.now);
  return (
    <section class="health api-usage" aria-labelledby="api-usage-title">
      <h2 id="api-usage-title">API usage</h2>
      {failure && <p class="error">API usage cannot be shown: {failure}</p>}
      {!view && !failure && <p class="muted">Reading the API usage…</p>}
      {view && (
        <>
          <RetryState view={view} />
          <div class="api-sides">
            <Side
              title="Salesforce — calls in the last 24 hours"
              side={view.salesforce}
              pauseAt={view.pauseAt}
            >
              {view.salesforce.limit === undefined ? (
                <p class="muted">
                  The org’s daily allowance is not known yet: Salesforce reports it with the sync’s first
                  call.
                </p>
              ) : (
                <p>
                  Allocation <b>{n(view.salesforce.allocation!)}</b> (
                  {percent(settings!.apiBudget.salesforceDailyShare)} of the org’s {n(view.salesforce.limit)}{' '}
                  a day, rolling 24 hours)
                </p>
              )}
              <p>
                Projected <b>{n(view.salesforce.projected)}</b> in the next 24 hours at the pace of the last 3
                hours ({n(view.pace.salesforce)} an hour){overText(view.salesforce)}
              </p>
            </Side>
            <Side
              title={`Marketo — calls today (US Central, ${view.marketo.day})`}
              side={view.marketo}
              pauseAt={view.pauseAt}
            >
              <p>
                Allocation <b>{n(view.marketo.allocation!)}</b> of Marketo’s {n(view.marketo.limit!)} a day
                (its usual quota; Marketo does not report yours: Admin → Web Services)
              </p>
              <p>
                Projected <b>{n(view.marketo.projected)}</b> by the reset at{' '}
                {formatDateTime(view.marketo.resetsAt, timeZone)} ({n(view.pace.marketo)} an hour)
                {overText(view.marketo)}
              </p>
            </Side>
          </div>
          <CycleCallsChart cycles={view.cycles} now={read!.now} />
        </>
      )}
    </section>
  );
}

function RetryState({ view }: { view: ApiUsageView }) {
  if (view.pause)
    return (
      <p class="retry-state paused" data-paused="true">
        <b>Retries of failed records are paused:</b> {retryPauseText(view.pause)}. New changes still sync;
        “Retry these now” still retries the records you choose.
      </p>
    );
  return (
    <p class="retry-state" data-paused="false">
      Retries of failed records run; they pause when {percent(view.pauseAt)} of either side’s allocation is
      used.
    </p>
  );
}

const overText = (side: SideUsage) =>
  side.allocation !== undefined && side.projected > side.allocation
    ? ` — more than the allocation: the sync stops for the day when it is spent`
    : '';

function Side({
  title,
  side,
  pauseAt,
  children,
}: {
  title: string;
  side: SideUsage;
  pauseAt: number;
  children: preact.ComponentChildren;
}) {
  const scale = Math.max(side.limit ?? 0, side.allocation ?? 0, side.used, 1);
  const at = (value: number) => `${Math.min(100, (value / scale) * 100)}%`;
  return (
    <div class="api-side">
      <h3>{title}</h3>
      <p>
        <b>{n(side.used)}</b> used
        {side.allocation !== undefined && side.allocation > 0
          ? ` · ${percent(side.used / side.allocation)} of the allocation`
          : ''}
      </p>
      <div
        class="meter"
        role="img"
        aria-label={`${n(side.used)} of ${side.limit === undefined ? 'an unknown limit' : n(side.limit)} calls`}
      >
        <span class="used" style={{ width: at(side.used) }} />
        {side.allocation !== undefined && (
          <>
            <span class="mark" style={{ left: at(side.allocation * pauseAt) }} title="Retries pause here" />
            <span
              class="mark allocation"
              style={{ left: at(side.allocation) }}
              title="The extension's allocation"
            />
          </>
        )}
      </div>
      <p class="meter-legend muted">
        <span class="swatch" style={{ background: 'var(--busy)' }} />
        used
        {side.allocation !== undefined && (
          <>
            {' · '}
            <span class="swatch" style={{ background: 'var(--warn)', width: '2px' }} />
            retries pause at {n(side.allocation * pauseAt)} ·{' '}
            <span class="swatch" style={{ background: 'var(--bad)', width: '2px' }} />
            allocation {n(side.allocation)}
          </>
        )}
        {side.limit !== undefined ? ` · the whole bar: the daily limit, ${n(side.limit)}` : ''}
      </p>
      {children}
    </div>
  );
}

/** Calls per cycle over the last 24 hours: one stacked bar per cycle (Salesforce, then Marketo). */
function CycleCallsChart({ cycles, now }: { cycles: CycleCalls[]; now: number }) {
  if (cycles.length === 0) return <p class="muted">No cycle in the last 24 hours.</p>;
  const most = cycles.reduce((m, c) => Math.max(m, c.salesforce + c.marketo), 1);
  const average = (side: 'salesforce' | 'marketo') => cycles.reduce((s, c) => s + c[side], 0) / cycles.length;
  const width = 720;
  const height = 60;
  const axis = 14;
  const x = (at: number) => ((at - (now - DAY)) / DAY) * (width - 4);
  return (
    <div class="cycle-calls">
      <p>
        Calls per cycle ({cycles.length} cycles in 24 hours): {average('salesforce').toFixed(1)} Salesforce{' '}
        <span class="swatch-inline salesforce">■</span> and {average('marketo').toFixed(1)} Marketo{' '}
        <span class="swatch-inline marketo">■</span> on average, {n(most)} at most.
      </p>
      <svg
        class="cycle-calls"
        width={width}
        height={height + axis}
        role="img"
        aria-label="Calls per cycle, last 24 hours"
      >
        <line x1={0} x2={width} y1={height + 0.5} y2={height + 0.5} />
        <text x={0} y={height + axis - 2}>
          24 hours ago
        </text>
        <text x={width / 2} y={height + axis - 2} text-anchor="middle">
          12 hours ago
        </text>
        <text x={width} y={height + axis - 2} text-anchor="end">
          now
        </text>
        {cycles.map((c) => {
          const sf = (c.salesforce / most) * height;
          const mk = (c.marketo / most) * height;
          return (
            <g key={c.id}>
              <rect class="salesforce" x={x(c.startedAt)} width={3} y={height - sf} height={sf} />
              <rect class="marketo" x={x(c.startedAt)} width={3} y={height - sf - mk} height={mk} />
            </g>
          );
        })}
      </svg>
    </div>
  );
}
