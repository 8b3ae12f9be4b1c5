import { changesOf } from '../lib/db/packedChanges';
import type { StepRecord } from '../lib/db/stepRecords';
import type { StepRow } from '../lib/db/types';
import { recordUrl } from '../lib/export/recordUrl';
import type { StepsSource } from './logSource';
import { useLiveQuery } from './useLiveQuery';

interface Props {
  source: StepsSource;
  step: StepRow;
  /** The org's instance URL; without it ids are shown without a link. */
  instanceUrl?: string;
  limitPerKind?: number;
}

/** An opened step row: its failed, skipped and drifted records, each linking to the record in Salesforce. */
export function StepRecordsList({ source, step, instanceUrl, limitPerKind = 100 }: Props) {
  const { value, error } = useLiveQuery(
    () => source.records({ stepId: step.id, limit: limitPerKind }),
    [source, step.id, limitPerKind],
    undefined,
    source.live,
  );
  if (error) return <p class="error">Could not read the step's records: {error.message}</p>;
  if (!value) return <p class="muted">Loading…</p>;
  const records = [...value.failed, ...value.drifted, ...value.skipped];
  if (records.length === 0)
    return <p class="muted">No failed or skipped records are in the log for this step.</p>;
  return (
    <div class="step-records">
      <table class="records">
        <thead>
          <tr>
            <th>Outcome</th>
            <th>Name</th>
            <th>Salesforce Id</th>
            <th>Error code</th>
            <th>Message</th>
            <th>Field</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r, i) => (
            <RecordLine key={`${r.outcome}${r.sfId}${i}`} record={r} step={step} instanceUrl={instanceUrl} />
          ))}
        </tbody>
      </table>
      {value.truncated && (
        <p class="muted">
          Showing the newest {value.failed.length} failed and {value.skipped.length} skipped of {step.failed}{' '}
          failed and {step.skipped} skipped. Export CSV lists every failure.
        </p>
      )}
    </div>
  );
}

function RecordLine({
  record,
  step,
  instanceUrl,
}: {
  record: StepRecord;
  step: StepRow;
  instanceUrl?: string;
}) {
  const url = recordUrl(instanceUrl, step.objectType, record.sfId);
  const failed = record.outcome === 'failed';
  if (record.outcome === 'drifted') return <DriftedLine record={record} url={url} />;
  return (
    <tr data-record-id={record.sfId} class={failed ? 'failed' : 'skipped'}>
      <td>{failed ? 'Failed' : 'Skipped'}</td>
      <td>{record.name ?? '—'}</td>
      <RecordIdCell id={record.sfId} url={url} />
      <td>{failed ? (record.error?.code ?? 'UNKNOWN') : '—'}</td>
      <td class="message">
        {failed ? record.error?.message : (record.reason ?? 'Changed, but no synced field changed')}
      </td>
      <td>{failed ? record.error?.fields.join(', ') : ''}</td>
    </tr>
  );
}

/** The record's Salesforce id, linked to its page when the org is known. */
function RecordIdCell({ id, url }: { id: string; url: string | undefined }) {
  return (
    <td>
      {url ? (
        <a href={url} target="_blank" rel="noreferrer">
          {id}
        </a>
      ) : (
        id
      )}
    </td>
  );
}

/** Reconcile's finding: which fields disagree, and the value each will be set to. */
function DriftedLine({ record, url }: { record: StepRecord; url: string | undefined }) {
  const changes = changesOf(record) ?? [];
  const text = (v: unknown) => (v === null || v === undefined || v === '' ? 'empty' : JSON.stringify(v));
  const described = changes.map((c) => `${c.field} ${text(c.old)} → ${text(c.new)}`).join('; ');
  return (
    <tr data-record-id={record.sfId} class="drifted">
      <td>Drifted</td>
      <td>{record.name ?? '—'}</td>
      <RecordIdCell id={record.sfId} url={url} />
      <td>—</td>
      <td class="message">{`Both sides disagree: ${described}; the next cycle repairs it`}</td>
      <td>{changes.map((c) => c.field).join(', ')}</td>
    </tr>
  );
}
