import { formatDateTime } from '../lib/format/time';
import type { RecordStatusView } from '../lib/messaging/views';

/** The badge's words for each state (design §7 "Record panel"). */
export const STATE_LABEL: Record<RecordStatusView['state'], string> = {
  synced: 'Synced',
  pending: 'Pending',
  failed: 'Failed',
  skipped: 'Skipped',
  excluded: 'Excluded',
  'not-linked': 'Not linked',
  deleted: 'Deleted',
  converted: 'Converted',
  unknown: 'Not synced yet',
};

interface Props {
  status?: RecordStatusView;
  error?: string;
  collapsed: boolean;
  onToggle: () => void;
  timeZone?: string;
}

/**
 * One record's sync flags. Every Salesforce value is rendered as text by Preact (never as HTML),
 * so a field value like `<img onerror=…>` cannot run in the page.
 */
export function RecordPanel({ status, error, collapsed, onToggle, timeZone }: Props) {
  const state = status?.state ?? 'unknown';
  return (
    <div class={collapsed ? 'panel collapsed' : 'panel'} data-state={status ? state : 'loading'}>
      <button type="button" class="head" onClick={onToggle} aria-expanded={!collapsed}>
        <span class="title">Marketo sync</span>
        {status && <span class={`badge ${state}`}>{STATE_LABEL[state]}</span>}
        <span class="toggle" aria-hidden="true">
          {collapsed ? '▴' : '▾'}
        </span>
      </button>
      {!collapsed && (
        <div class="body">
          {error && <p class="error">{error}</p>}
          {!status && !error && <p class="muted">Loading…</p>}
          {status && <StatusDetails status={status} timeZone={timeZone} />}
        </div>
      )}
    </div>
  );
}

function StatusDetails({ status, timeZone }: { status: RecordStatusView; timeZone?: string }) {
  return (
    <>
      <dl>
        <dt>Record</dt>
        <dd>
          {status.name ? `${status.name} · ` : ''}
          {status.recordId}
        </dd>
        <dt>Last synced</dt>
        <dd>{status.lastSyncedAt ? formatDateTime(status.lastSyncedAt, timeZone) : 'never'}</dd>
        {status.operation && (
          <>
            <dt>Step</dt>
            <dd>
              {status.operation}
              {status.cycleId !== undefined ? ` · cycle ${status.cycleId}` : ''}
            </dd>
          </>
        )}
        <dt>Marketo id</dt>
        <dd>{status.mktoId ?? '—'}</dd>
        {status.excludedReason && (
          <>
            <dt>Excluded</dt>
            <dd>{status.excludedReason}</dd>
          </>
        )}
      </dl>
      {status.lastError && (
        <div class="last-error">
          <p class="error">
            {status.lastError.code}: {status.lastError.message}
            {status.lastError.fields.length > 0 ? ` (${status.lastError.fields.join(', ')})` : ''}
          </p>
          <p class="hint">{status.lastError.hint}</p>
        </div>
      )}
      {status.lastChanges.length > 0 && (
        <>
          <p class="muted">Fields written last time</p>
          <ul class="history changes">
            {status.lastChanges.map((c) => (
              <li key={c.field}>
                {c.field}: {String(c.old ?? '∅')} → {String(c.new ?? '∅')}
              </li>
            ))}
          </ul>
        </>
      )}
      {status.hiddenFields.length > 0 && (
        <p class="muted">Hidden from the sync user: {status.hiddenFields.join(', ')}</p>
      )}
      {status.history.length > 0 && (
        <>
          <p class="muted">History</p>
          <ul class="history">
            {status.history.map((h) => (
              <li key={`${h.cycleId}-${h.at}-${h.operation}`}>
                {formatDateTime(h.at, timeZone)} · {h.operation} · {h.outcome}
                {h.error ? ` · ${h.error.code}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
