import { useState } from 'preact/hooks';
import { causeCsv } from '../lib/dashboard/causeExport';
import type { AffectedRecord, ErrorCause } from '../lib/dashboard/errorCauses';
import { RETRYABLE_OPERATIONS } from '../lib/dashboard/retryCause';
import type { LogDatabase } from '../lib/db/logPort';
import { recordUrl } from '../lib/export/recordUrl';
import { formatDateTime } from '../lib/format/time';
import type { SendMessage } from '../lib/messaging/client';
import { errorHint } from '../lib/records/errorHints';
import type { ValueRule } from '../lib/settings/schema';
import type { SettingsStore } from '../lib/settings/store';
import { announce } from './announce';
import { CauseSuggestions } from './CauseSuggestions';
import { retryText } from './retryText';
import { saveFile } from './saveFile';

interface Props {
  cause: ErrorCause;
  /** Whether the records' flags were read (until then nothing is known to fail now). */
  failingKnown: boolean;
  db: LogDatabase;
  send: SendMessage;
  store: SettingsStore;
  valueRules: readonly ValueRule[];
  instanceUrl?: string;
  timeZone?: string;
}

/** Records shown at first, and added per "Show more". */
const SHOWN = 5;
const MORE = 100;

/** One cause: its counts, the records it affects, the fix, Retry these now, and its export. */
export function ErrorCauseCard({
  cause,
  failingKnown,
  db,
  send,
  store,
  valueRules,
  instanceUrl,
  timeZone,
}: Props) {
  const [shown, setShown] = useState(SHOWN);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const tell = (text: string) => {
    setStatus(text);
    announce(text);
  };
  const retryable = cause.operations.some((op) => RETRYABLE_OPERATIONS.includes(op));
  const hint = errorHint({ code: cause.code, message: cause.message, fields: cause.fields.split('; ') });

  async function act(work: () => Promise<string>) {
    if (busy) return;
    setBusy(true);
    try {
      tell(await work());
    } catch (error) {
      tell(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }
  const retry = () => act(async () => retryText(await send('retryCause', { cause: cause.key })));
  const exportCsv = () =>
    act(async () => {
      const csv = await causeCsv(db, cause.key, instanceUrl, Date.now());
      saveFile(new Blob(csv.parts, { type: 'text/csv;charset=utf-8' }), csv.fileName);
      return `${csv.rows.toLocaleString()} failure${csv.rows === 1 ? '' : 's'} exported`;
    });

  return (
    <article
      class="cause-card"
      data-cause={cause.key}
      data-failing={failingKnown ? cause.failingNow : undefined}
    >
      <h3>
        <code>{cause.code}</code>
        <span>
          {cause.sobject} · {cause.fields || 'no field named'}
        </span>
      </h3>
      <p class="counts">
        {failingKnown ? (
          <>
            <strong class={cause.failingNow ? 'failing' : 'resolved'}>
              {cause.failingNow.toLocaleString()}
            </strong>{' '}
            failing now
          </>
        ) : (
          'checking which fail now…'
        )}{' '}
        · {cause.records.length.toLocaleString()} record{cause.records.length === 1 ? '' : 's'} ·{' '}
        {cause.failures.toLocaleString()} failure
        {cause.failures === 1 ? '' : 's'} · last {formatDateTime(cause.lastAt, timeZone)} ·{' '}
        {cause.operations.join(', ')}
      </p>
      <p class="message">{cause.message}</p>
      <p class="hint">
        <b>Fix:</b> {hint}
      </p>
      <CauseSuggestions cause={cause} db={db} send={send} store={store} valueRules={valueRules} />
      <ul class="affected" aria-label={`Records with ${cause.code}`}>
        {cause.records.slice(0, shown).map((r) => (
          <AffectedItem
            key={`${r.sfId}-${r.operation}`}
            record={r}
            failingKnown={failingKnown}
            instanceUrl={instanceUrl}
            timeZone={timeZone}
          />
        ))}
      </ul>
      {cause.records.length > shown && (
        <button type="button" class="link" onClick={() => setShown(shown + MORE)}>
          Show {Math.min(MORE, cause.records.length - shown)} more of {cause.records.length.toLocaleString()}
        </button>
      )}
      <div class="actions">
        {retryable && cause.failingNow > 0 && (
          <button type="button" class="primary retry-cause" aria-disabled={busy} onClick={retry}>
            Retry these now
          </button>
        )}
        <button type="button" class="export-cause" aria-disabled={busy} onClick={exportCsv}>
          Export CSV
        </button>
        <span class="cause-status">{status}</span>
      </div>
      {!retryable && (
        <p class="muted">
          “Retry these now” is for the steps that retry failed records ({RETRYABLE_OPERATIONS.join(', ')});{' '}
          {cause.operations.join(', ')} does not.
        </p>
      )}
    </article>
  );
}

function AffectedItem({
  record,
  failingKnown,
  instanceUrl,
  timeZone,
}: {
  record: AffectedRecord;
  failingKnown: boolean;
  instanceUrl: string | undefined;
  timeZone: string | undefined;
}) {
  const url = recordUrl(instanceUrl, record.objectType, record.sfId);
  const label = record.name ? `${record.name} (${record.sfId})` : record.sfId;
  return (
    <li>
      {url ? (
        <a href={url} target="_blank" rel="noreferrer">
          {label}
        </a>
      ) : (
        label
      )}{' '}
      {failingKnown && (
        <span class={record.failingNow ? 'tag' : 'tag fixed'}>
          {record.failingNow ? 'failing' : 'no longer failing'}
        </span>
      )}{' '}
      <span class="muted">
        {record.attempts} attempt{record.attempts === 1 ? '' : 's'} · {formatDateTime(record.at, timeZone)}
      </span>
    </li>
  );
}
