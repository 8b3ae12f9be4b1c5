import { useEffect, useMemo } from 'preact/hooks';
import { failingRecords, failureRows, groupFailures, withFailing } from '../lib/dashboard/errorCauses';
import type { LogDatabase } from '../lib/db/logPort';
import type { SendMessage } from '../lib/messaging/client';
import type { SettingsStore } from '../lib/settings/store';
import { ErrorCauseCard } from './ErrorCauseCard';
import { useLiveQuery } from './useLiveQuery';
import { useSyncSettings } from './useSyncSettings';

interface Props {
  db: LogDatabase;
  send: SendMessage;
  store: SettingsStore;
  /** The org's instance URL, for links to the records. */
  instanceUrl?: string;
  timeZone?: string;
}

/** The mark the bench reads: the causes were grouped and painted (tests/bench/dashboard-errors.bench.ts). */
export const ERRORS_PAINTED_MARK = 'errors-by-cause-painted';
/** …and when the counts of records failing now were painted. */
export const ERRORS_FAILING_MARK = 'errors-by-cause-failing-painted';

/**
 * Dashboard section 3 (docs/dashboard-errors.md): the log's failures grouped by cause, one card per
 * cause, live after every cycle (the query re-runs when the failures or the records' flags change).
 */
export function ErrorsByCause({ db, send, store, instanceUrl, timeZone }: Props) {
  // Two live queries: the failures grouped by cause (the cards), then which records fail now (the
  // `state` index, as long a read as the failures): the cards show first, the counts follow. The
  // second starts once the first has answered, so that the two reads do not share the database.
  const { value: grouped, error } = useLiveQuery(async () => {
    performance.mark('errors-by-cause-start');
    const rows = await failureRows(db);
    performance.measure('errors-by-cause-read', 'errors-by-cause-start');
    const causes = groupFailures(rows);
    performance.measure('errors-by-cause-grouped', 'errors-by-cause-start');
    return causes;
  }, [db]);
  const groupedYet = grouped !== undefined;
  const { value: failing, error: flagsError } = useLiveQuery(async () => {
    if (!groupedYet) return undefined;
    performance.mark('errors-failing-start');
    const ids = await failingRecords(db);
    performance.measure('errors-by-cause-failing-read', 'errors-failing-start');
    return ids;
  }, [db, groupedYet]);
  const causes = useMemo(() => grouped && failing && withFailing(grouped, failing), [grouped, failing]);
  const shown = causes ?? grouped;
  const { settings } = useSyncSettings(store);
  // Effects run after the frame is painted (Preact), as the popup's table mark does.
  useEffect(() => {
    if (grouped) performance.mark(ERRORS_PAINTED_MARK);
  }, [grouped]);
  useEffect(() => {
    if (causes) performance.mark(ERRORS_FAILING_MARK);
  }, [causes]);
  const failingNow = causes?.reduce((n, c) => n + c.failingNow, 0);
  const failures = shown?.reduce((n, c) => n + c.failures, 0) ?? 0;
  return (
    <section class="health errors" aria-labelledby="errors-title">
      <h2 id="errors-title">Errors by cause</h2>
      {(error ?? flagsError) && (
        <p class="error">The log could not be read: {(error ?? flagsError)!.message}</p>
      )}
      {!shown && !error && <p class="muted">Grouping the failures…</p>}
      {shown?.length === 0 && <p class="muted">No failures in the log’s window.</p>}
      {shown && shown.length > 0 && (
        <>
          <p class="summary muted">
            {shown.length} cause{shown.length === 1 ? '' : 's'} ·{' '}
            {failingNow === undefined
              ? 'checking which records fail now…'
              : `${failingNow.toLocaleString()} record${failingNow === 1 ? '' : 's'} failing now`}{' '}
            · {failures.toLocaleString()} failure
            {failures === 1 ? '' : 's'} in the log
            {settings
              ? ` (last ${settings.retentionDays} day${settings.retentionDays === 1 ? '' : 's'})`
              : ''}
          </p>
          <div class="cause-cards">
            {shown.map((cause) => (
              <ErrorCauseCard
                key={cause.key}
                cause={cause}
                failingKnown={causes !== undefined}
                db={db}
                send={send}
                store={store}
                valueRules={settings?.valueRules ?? []}
                {...(instanceUrl && { instanceUrl })}
                {...(timeZone && { timeZone })}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
