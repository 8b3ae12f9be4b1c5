import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { DashboardMetrics as MetricsData } from '../lib/db/metrics';
import type { ObjectType } from '../lib/db/types';
import { DIRECTION_LABELS, parseKey } from '../lib/metrics/keys';
import type { Parsed, SettingsStore, SyncSettings } from '../lib/settings';
import { BacklogTrend } from './BacklogTrend';
import { loadChart } from './backlogChart';
import type { LiveSubscribe } from './logSource';
import { NoisyFields } from './NoisyFields';
import { objectLabel, type PersonLabel } from './objectLabel';
import { ThroughputBacklog } from './ThroughputBacklog';
import { useLiveQuery } from './useLiveQuery';
import './metrics.css';

interface Props {
  /** The metric rows since `from`: this browser's log, or the service's (issue 21). */
  read: (from: number) => Promise<MetricsData>;
  /** How the rows follow the log (default: Dexie's liveQuery). */
  live?: LiveSubscribe;
  /** The settings store; asked for after the first paint (it may load its chunk then). */
  loadStore: () => Promise<SettingsStore>;
  personLabel: PersonLabel;
  timeZone?: string;
  /** Called once the sections are painted (or after 3 s whatever happens): later sections wait for it. */
  onPainted?: () => void;
}

const DAY_MS = 24 * 3_600_000;
/** The longest retention the settings allow: the rows read at once; retention prunes older ones. */
const MAX_RETENTION_DAYS = 90;

interface StoredSettings {
  store?: SettingsStore;
  settings?: Parsed<SyncSettings>;
}

/**
 * The stored settings, kept current (the options page or a section here may save them), loaded
 * once `start` is true: after the first paint.
 */
function useStoredSettings(loadStore: () => Promise<SettingsStore>, start: boolean): StoredSettings {
  const [state, setState] = useState<StoredSettings>({});
  useEffect(() => {
    if (!start) return;
    let unwatch: (() => void) | undefined;
    let stopped = false;
    const failed = (error: unknown): Parsed<SyncSettings> => ({
      ok: false,
      errors: [{ path: '', message: error instanceof Error ? error.message : String(error) }],
    });
    loadStore().then(
      (store) => {
        if (stopped) return;
        setState({ store });
        store.getSettings().then(
          (value) => setState({ store, settings: { ok: true, value } }),
          (error: unknown) => setState({ store, settings: failed(error) }),
        );
        unwatch = store.watchSettings((settings) => setState({ store, settings }));
      },
      (error: unknown) => setState({ settings: failed(error) }),
    );
    return () => {
      stopped = true;
      unwatch?.();
    };
  }, [loadStore, start]);
  return state;
}

/**
 * The clock the sections compute "the last 24 hours" and "next fetch" from: read again when the
 * rows change (after each cycle) and every minute, so that relative times move on; stable between
 * other renders, so that the sections' computations are not redone for nothing.
 */
function useNow(everyMs: number, data: unknown): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return useMemo(() => Date.now(), [tick, data]);
}

/**
 * The dashboard's metric sections (issue 18, docs/dashboard.md): backlog trend, throughput and
 * backlog, noisy fields. One live query reads the metric rows (one per cycle) for all three, so
 * they change together after every cycle; it starts at once, not after the settings (loaded
 * lazily, for the retention window and the noisy fields' actions). Marks `metrics-painted` once
 * the first rows are shown and the chart drawn (the bench's first paint).
 */
export function DashboardMetrics({ read, live: follow, loadStore, personLabel, timeZone, onPainted }: Props) {
  // The settings are not needed to show the sections, only for the retention window (the oldest
  // row stands in) and the noisy fields' actions: they are read (and, given a lazy store, loaded)
  // once the sections are painted, or after 3 s whatever happens. Measured: the store's chunk
  // (~25 KB gzipped) loaded while the first paint waited on IndexedDB delayed it by its ~45 ms.
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setPainted(true), 3000);
    return () => clearTimeout(timer);
  }, []);
  const { store, settings } = useStoredSettings(loadStore, painted);
  useEffect(() => {
    if (painted) onPainted?.();
  }, [painted]);
  useEffect(() => void loadChart().catch(() => {}), []);
  const live = useLiveQuery(() => read(Date.now() - MAX_RETENTION_DAYS * DAY_MS), [read], undefined, follow);
  const all = live.value;
  const now = useNow(60_000, all);
  // The retention window once the settings are read; until then (and in service mode, whose settings
  // are the service's) from the oldest row kept — retention prunes older ones, so that is about the
  // same — but a day at least: a log of minutes would be one bucket, which the chart cannot scale.
  const days = settings?.ok ? settings.value.retentionDays : undefined;
  const from = days !== undefined ? now - days * DAY_MS : Math.min(all?.rows[0]?.at ?? now, now - DAY_MS);
  const metrics = useMemo(
    () => (all && days !== undefined ? { ...all, rows: all.rows.filter((r) => r.at >= from) } : all),
    [all, from],
  );
  const marked = useRef(false);
  const onDrawn = () => {
    if (marked.current) return;
    marked.current = true;
    performance.mark('metrics-painted');
    setPainted(true);
  };
  const labelOf = (objectType: ObjectType) => objectLabel(objectType, personLabel);
  const keyObject = (key: string) => {
    const parsed = parseKey(key);
    return parsed ? labelOf(parsed.objectType) : key;
  };
  const keyLabel = (key: string) => {
    const parsed = parseKey(key);
    return parsed ? `${labelOf(parsed.objectType)}, ${DIRECTION_LABELS[parsed.direction]}` : key;
  };
  if (live.error) return <p class="notice bad">The metrics could not be read: {live.error.message}</p>;
  if (!metrics) return <p class="muted">Loading metrics…</p>;
  return (
    <div class="metrics">
      <BacklogTrend
        metrics={metrics}
        from={from}
        now={now}
        label={keyLabel}
        {...(timeZone && { timeZone })}
        onDrawn={onDrawn}
      />
      <ThroughputBacklog
        metrics={metrics}
        now={now}
        objectLabel={keyObject}
        {...(timeZone && { timeZone })}
      />
      <NoisyFields
        metrics={metrics}
        from={from}
        settings={settings}
        save={(next) => (store ? store.saveSettings(next) : Promise.reject(new Error('settings not loaded')))}
        objectLabel={labelOf}
      />
    </div>
  );
}
