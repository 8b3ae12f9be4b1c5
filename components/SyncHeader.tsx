import type { ComponentChild } from 'preact';
import { formatDateTime, formatRelative } from '../lib/format/time';
import { FailureReason } from './FailureReason';
import { failureNote } from './failureNote';
import { StatusBadge } from './StatusBadge';
import type { ConnectionLine, HeaderModel } from './syncHeaderState';

interface Props {
  model: Exclude<HeaderModel, { kind: 'admin-required' }>;
  now: number;
  timeZone?: string;
  dashboardUrl: string;
  onOpenOptions: () => void;
  onSyncNow: () => void;
  onSetPaused: (paused: boolean) => void;
  /** The answer to the last command ("Sync started", "Refused: …"). */
  notice?: string;
  busy?: boolean;
}

const STATE_TEXT: Record<ConnectionLine['state'], string> = {
  connected: 'Connected',
  expired: 'Session expired',
  error: 'Failing',
  unchecked: 'Not checked',
  'not-configured': 'Not connected',
};

/** "in 2:05" (minutes:seconds) for the next run; the cycle interval is at most an hour. */
function countdown(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((at - now) / 1000));
  if (seconds >= 3600) return formatRelative(at, now);
  return `in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The popup's first two seconds: connections, last cycle, next run, and the commands. */
export function SyncHeader(props: Props) {
  const { model, now, notice, busy } = props;
  const { sync } = model;
  const canCommand = Boolean(sync) && !model.notConnected;
  // While a command works the buttons say so with aria-disabled and keep focus (a disabled button
  // would drop it to the page body); they are disabled only when they cannot be used at all.
  const working = Boolean(busy);
  const why = model.notConnected
    ? 'Connect Salesforce and Marketo first'
    : sync
      ? undefined
      : 'The background is not answering';
  const lastCycleNote = sync?.lastCycle && failureNote(sync.lastCycle);
  let next: ComponentChild = '—';
  if (sync?.running) next = 'Running now';
  else if (sync?.paused) next = 'Paused';
  else if (sync?.nextRunAt != null) next = countdown(sync.nextRunAt, now);
  return (
    <div class="sync-header">
      <div class="connections">
        <Connection name="Salesforce" line={model.salesforce} />
        <Connection name="Marketo" line={model.marketo} />
        <span class="spacer" />
        <a href={props.dashboardUrl} target="_blank" rel="noreferrer">
          Dashboard ↗
        </a>
        <button type="button" class="link" onClick={props.onOpenOptions}>
          Options
        </button>
      </div>
      {model.notConnected && (
        <div class="notice warn" data-testid="not-connected">
          <strong>Not connected.</strong> Connect Salesforce and Marketo so the sync can run.{' '}
          <button type="button" class="primary" onClick={props.onOpenOptions}>
            Open options
          </button>
        </div>
      )}
      {/* Service mode (issue 21): where the cycles run, in the background's words. */}
      {sync?.service && <div class="notice">{sync.service.note}</div>}
      {model.backgroundProblem && (
        <div class="notice bad" data-testid="background-problem">
          {model.backgroundProblem}: the sync state is unknown and Sync now / Pause are unavailable.
        </div>
      )}
      {sync?.problem && (
        <div class="notice bad cycle-failure" data-testid="cycle-not-run">
          The last cycle could not run:{' '}
          <FailureReason
            note={{
              plain: sync.problem.reason,
              ...(sync.problem.error !== sync.problem.reason && { raw: sync.problem.error }),
            }}
          />
        </div>
      )}
      {lastCycleNote && (
        <div
          class={`notice ${sync?.lastCycle?.status === 'Not Completed' ? 'warn' : 'bad'} cycle-failure`}
          data-testid="last-cycle-reason"
        >
          <FailureReason note={lastCycleNote} />
        </div>
      )}
      <div class="run-line">
        <span data-testid="last-cycle">
          Last cycle:{' '}
          {sync?.lastCycle ? (
            <>
              <StatusBadge status={sync.lastCycle.status} />{' '}
              <span title={formatDateTime(sync.lastCycle.startedAt, props.timeZone)}>
                {formatRelative(sync.lastCycle.endedAt ?? sync.lastCycle.startedAt, now)}
              </span>
              {sync.lastCycle.totals.failed > 0 && (
                <span class="failed"> · {sync.lastCycle.totals.failed} failed</span>
              )}
              {(sync.lastCycle.totals.drifted ?? 0) > 0 && (
                <span
                  class="failed"
                  title="Reconcile found both sides disagreeing; the next cycle repairs them"
                >
                  {' '}
                  · {sync.lastCycle.totals.drifted} drifted
                </span>
              )}
            </>
          ) : (
            <span class="muted">{sync ? 'none yet' : 'unknown'}</span>
          )}
        </span>
        <span data-testid="next-run">Next run: {next}</span>
        <span class="spacer" />
        {/* Spoken through the page's live region (useBackground); shown here for the eye. */}
        {notice && <span class="muted">{notice}</span>}
        <button
          type="button"
          class="primary"
          disabled={!canCommand}
          aria-disabled={working || sync?.running}
          onClick={() => !working && !sync?.running && props.onSyncNow()}
        >
          Sync now
        </button>
        <button
          type="button"
          disabled={!canCommand}
          aria-disabled={working}
          title={
            why ?? (sync?.paused ? 'Resume the scheduled cycles' : 'Stop the scheduled cycles until resumed')
          }
          onClick={() => !working && props.onSetPaused(!sync?.paused)}
        >
          {sync?.paused ? 'Resume' : 'Pause'}
        </button>
      </div>
    </div>
  );
}

function Connection({ name, line }: { name: string; line: ConnectionLine }) {
  return (
    <span class={`connection conn-${line.state}`} data-state={line.state}>
      <span class="dot" /> {name}: {line.label}
      {line.state !== 'not-configured' && <span class="muted"> · {STATE_TEXT[line.state]}</span>}
      {line.error && line.state !== 'expired' && <span class="conn-error-text">: {line.error}</span>}
      {line.state === 'expired' && line.loginUrl && (
        <>
          {' '}
          <a href={line.loginUrl} target="_blank" rel="noreferrer">
            Log in to {name} again
          </a>
        </>
      )}
    </span>
  );
}
