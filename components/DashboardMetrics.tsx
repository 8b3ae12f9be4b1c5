import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SyncLogDatabase } from '../lib/db/database';
import { readDashboardMetrics } from '../lib/db/metrics';
import type { ObjectType } from '../lib/db/types';
import { DIRECTION_LABELS, parseKey } from '../lib/metrics/keys';
import type { Parsed, SettingsStore, SyncSettings } from '../lib/settings';
import { BacklogTrend } from './BacklogTrend';
import { NoisyFields } from './NoisyFields';
import { objectLabel, type PersonLabel } from './objectLabel';
import { ThroughputBacklog } from './ThroughputBacklog';
import { useLiveQuery } from './useLiveQuery';
import './metrics.css';

interface Props {
  db: SyncLogDatabase;
  store: SettingsStore;
  personLabel: PersonLabel;
  timeZone?: string;
}

const DAY_MS = 24 * 3_600_000;

/** The stored settings, kept current (the options page or a section here may save them). */
function useStoredSettings(store: SettingsStore): Parsed<SyncSettings> | undefined {
  const [settings, setSettings] = useState<Parsed<SyncSettings>>();
  useEffect(() => {
    store.getSettings().then(
      (value) => setSettings({ ok: true, value }),
      (error: unknown) =>
        setSettings({
          ok: false,
          errors: [{ path: '', message: error instanceof Error ? error.message : String(error) }],
        }),
    );
    return store.watchSettings(setSettings);
  }, [store]);
  return settings;
}

/** The clock the sections compute "the last 24 hours" and "next fetch" from, moved every minute. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The dashboard's metric sections (issue 18, docs/dashboard.md): backlog trend, throughput and
 * backlog, noisy fields. One live query reads the retention window's metric rows (one per cycle)
 * for all three, so they change together after every cycle. Marks `metrics-painted` once the
 * first rows are shown and the chart drawn (the bench's first paint).
 */
export function DashboardMetrics({ db, store, personLabel, timeZone }: Props) {
  const settings = useStoredSettings(store);
  const days = settings?.ok ? settings.value.retentionDays : undefined;
  const now = useNow(60_000);
  // The window starts where retention cuts; it is read again when the retention changes.
  const from = useMemo(() => (days === undefined ? undefined : Date.now() - days * DAY_MS), [days]);
  const live = useLiveQuery(
    () => (from === undefined ? Promise.resolve(undefined) : readDashboardMetrics(db, from)),
    [db, from],
  );
  const marked = useRef(false);
  const onDrawn = () => {
    if (marked.current) return;
    marked.current = true;
    performance.mark('metrics-painted');
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
  if (settings && !settings.ok && from === undefined)
    return <p class="notice bad">The metrics cannot be shown: {settings.errors[0]?.message}</p>;
  if (live.error) return <p class="notice bad">The metrics could not be read: {live.error.message}</p>;
  const metrics = live.value;
  if (!metrics || from === undefined) return <p class="muted">Loading metrics…</p>;
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
        save={(next) => store.saveSettings(next)}
        objectLabel={labelOf}
      />
    </div>
  );
}
