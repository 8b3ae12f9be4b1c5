import { formatDateTime } from '../lib/format/time';
import type { RecordStatusView } from '../lib/messaging/views';
import { FailureReason } from './FailureReason';
import { failureNote } from './failureNote';

const PERSON_OBJECTS = new Set(['Lead', 'Contact', 'Person']);

const DIRECTION_TEXT = { pull: 'Salesforce → Marketo', push: 'Marketo → Salesforce' } as const;
/** Which way an owed field goes, by the operation that owes it. */
const OWED_DIRECTION: Partial<Record<string, 'pull' | 'push'>> = {
  'Push Updates': 'push',
  'Push New': 'push',
  'Pull Updates': 'pull',
};

/** A logged field value as text (values come from Salesforce or Marketo: never HTML). */
function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function RecordPanelDetails({ status }: { status: RecordStatusView }) {
  const tz = status.timeZone;
  const at = (ms: number) => formatDateTime(ms, tz);
  const cycleNote = status.cycleProblem && failureNote(status.cycleProblem);
  return (
    <>
      {cycleNote && (
        <p class="cycle-problem" data-testid="cycle-problem">
          Last sync cycle {status.cycleProblem!.status.toLowerCase()}: <FailureReason note={cycleNote} />
        </p>
      )}
      {status.state === 'pending' && (
        <p class="pending-note">
          Changed since the last cycle
          {status.pendingFields?.length ? `: ${status.pendingFields.join(', ')}` : ''}. The next cycle syncs
          it.
        </p>
      )}
      {status.state === 'not-linked' && (
        <p class="muted">
          No Marketo person is linked to this record yet; the next cycle creates or finds one.
        </p>
      )}
      <dl>
        <dt>Record</dt>
        <dd>
          {status.name ? `${status.name} · ` : ''}
          {status.recordId}
        </dd>
        <dt>Last synced</dt>
        <dd>
          {status.lastSyncedAt ? at(status.lastSyncedAt) : 'never'}
          {tz && status.lastSyncedAt ? <span class="muted"> ({tz})</span> : null}
        </dd>
        {status.operation && (
          <>
            <dt>Last step</dt>
            <dd>
              {status.operation}
              {status.cycleId !== undefined ? ` · cycle ${status.cycleId}` : ''}
            </dd>
          </>
        )}
        {status.direction && (
          <>
            <dt>Direction</dt>
            <dd>{DIRECTION_TEXT[status.direction]}</dd>
          </>
        )}
        {/* A person's "—" says it is not linked yet; other objects (a template, a deal) have no
            Marketo lead id to show. */}
        {(status.mktoId !== undefined || PERSON_OBJECTS.has(status.objectType)) && (
          <>
            <dt>Marketo id</dt>
            <dd>{status.mktoId ?? '—'}</dd>
          </>
        )}
        {status.state === 'drifted' && (
          <>
            <dt>Drifted</dt>
            <dd>{`Both sides disagree on ${driftText(status.drifted)}; the next cycle repairs it.`}</dd>
          </>
        )}
        {status.state === 'skipped' && status.skippedReason && (
          <>
            <dt>Skipped</dt>
            <dd data-testid="skipped-reason">{status.skippedReason}</dd>
          </>
        )}
        {status.state === 'excluded' && (
          <>
            <dt>Excluded</dt>
            <dd>{status.excludedReason ?? 'by the sync filter field'}</dd>
          </>
        )}
      </dl>
      {status.lastError && status.state === 'failed' && (
        <div class="last-error">
          <p class="error">
            {status.lastError.code}: {status.lastError.message}
            {status.lastError.fields.length > 0 ? ` (${status.lastError.fields.join(', ')})` : ''}
          </p>
          <p class="hint">{status.lastError.hint}</p>
          {(status.owedFields?.length ?? 0) > 0 && (
            <>
              <p class="section">Still owed (not written yet)</p>
              <ul class="history owed">
                {status.owedFields!.map((o) => (
                  <li key={`${o.operation}-${o.field}`}>
                    {o.field}: {valueText(o.value)} · {DIRECTION_TEXT[OWED_DIRECTION[o.operation] ?? 'pull']}
                    {o.error ? ` · ${o.error.code}: ${o.error.message}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {status.attempts !== undefined && (
            <p class="muted">
              {status.attempts} attempt{status.attempts === 1 ? '' : 's'}
              {status.nextRetryAt ? `; next retry ${at(status.nextRetryAt)}` : '; no more automatic retries'}
              {status.pendingFields?.length ? `. Changed since: ${status.pendingFields.join(', ')}` : ''}
            </p>
          )}
        </div>
      )}
      {status.lastChanges.length > 0 && (
        <>
          <p class="section">Fields written last time</p>
          <ul class="history changes">
            {status.lastChanges.map((c) => (
              <li key={c.field}>
                {c.field}: {c.old === undefined ? '' : `${valueText(c.old)} → `}
                {valueText(c.new)}
              </li>
            ))}
          </ul>
        </>
      )}
      {status.valueRulesApplied && (
        <p class="muted value-rules" data-testid="value-rules">
          Value rule applied{' '}
          {status.valueRulesApplied.times === 1 ? 'once' : `${status.valueRulesApplied.times} times`}:{' '}
          {status.valueRulesApplied.rules.map((r) => `${r.field} “${r.from}” → “${r.to}”`).join(', ')}
        </p>
      )}
      {status.hiddenFields.length > 0 && (
        <p class="warn">The sync user cannot read: {status.hiddenFields.join(', ')}</p>
      )}
      {(status.readOnlyFields?.length ?? 0) > 0 && (
        <p class="warn">The sync user cannot update: {status.readOnlyFields!.join(', ')}</p>
      )}
      {status.history.length > 0 && (
        <>
          <p class="section">History</p>
          <ul class="history">
            {status.history.map((h) => (
              <li key={`${h.cycleId}-${h.at}-${h.operation}`}>
                {at(h.at)} · {h.operation} · {h.outcome}
                {h.error ? ` · ${h.error.code}` : ''}
                {h.reason ? ` · ${h.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** Reconcile's finding: each field with its value now and the value the repair gives it. */
function driftText(changes: RecordStatusView['drifted']): string {
  const shown = (value: unknown) =>
    value === null || value === undefined || value === '' ? 'empty' : String(value);
  const fields = (changes ?? []).map((c) => `${c.field} (${shown(c.old)} → ${shown(c.new)})`);
  return fields.length ? fields.join(', ') : 'mapped fields';
}
