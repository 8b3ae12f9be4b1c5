import {
  type DictionaryRow,
  dataDictionary,
  dictionaryCsv,
  directionWords,
  fieldChangeCounts,
} from '../lib/dashboard/dataDictionary';
import type { LogDatabase } from '../lib/db/logPort';
import { formatDateTime } from '../lib/format/time';
import type { SettingsStore } from '../lib/settings/store';
import { saveFile } from './saveFile';
import { useLiveQuery } from './useLiveQuery';
import { useSyncSettings } from './useSyncSettings';

interface Props {
  db: LogDatabase;
  store: SettingsStore;
  timeZone?: string;
}

/**
 * Dashboard section 6 (docs/dashboard-errors.md): every synced field per object, what the sync
 * user's describe says of it, and its writes in the log; with CSV export (one row per field).
 */
export function DataDictionary({ db, store, timeZone }: Props) {
  const { settings, error: settingsError } = useSyncSettings(store);
  const { value: read, error } = useLiveQuery(async () => {
    const [schemas, changes] = await Promise.all([db.schemas.toArray(), fieldChangeCounts(db)]);
    return { schemas: new Map(schemas.map((s) => [s.objectType, s])), changes };
  }, [db]);
  const rows = read && settings && dataDictionary(settings, read.schemas, read.changes);
  const failure = error?.message ?? settingsError;
  const objects = [...new Set(rows?.map((r) => r.object))];
  const exportCsv = () => {
    if (!rows) return;
    const stamp = new Date()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
      .replaceAll(':', '-');
    saveFile(
      new Blob([dictionaryCsv(rows)], { type: 'text/csv;charset=utf-8' }),
      `data-dictionary-${stamp}.csv`,
    );
  };
  return (
    <section class="health dictionary" aria-labelledby="dictionary-title">
      <h2 id="dictionary-title">Data dictionary</h2>
      {failure && <p class="error">The data dictionary cannot be shown: {failure}</p>}
      {!rows && !failure && <p class="muted">Reading the synced fields…</p>}
      {rows && (
        <p class="summary muted">
          {rows.length} synced field{rows.length === 1 ? '' : 's'}; access as the sync user’s last describe
          says; changes are the writes in the log’s window.{' '}
          <button type="button" class="export-dictionary" onClick={exportCsv}>
            Export CSV
          </button>
        </p>
      )}
      {objects.map((object) => (
        <table class="dictionary" key={object} data-object={object}>
          <caption class="muted">{object}</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">API name</th>
              <th scope="col">Type</th>
              <th scope="col">Direction</th>
              <th scope="col">Marketo field</th>
              <th scope="col">Formula</th>
              <th scope="col">Hidden</th>
              <th scope="col">Read-only</th>
              <th scope="col">Changes</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {rows!
              .filter((r) => r.object === object)
              .map((r) => (
                <DictionaryLine key={r.apiName} row={r} timeZone={timeZone} />
              ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

const flag = (value: boolean | undefined) => (value === undefined ? 'unknown' : value ? 'yes' : 'no');

function DictionaryLine({ row, timeZone }: { row: DictionaryRow; timeZone: string | undefined }) {
  const cell = (value: boolean | undefined) => <td class={value ? 'flag-yes' : ''}>{flag(value)}</td>;
  return (
    <tr>
      <td>{row.label}</td>
      <td>
        <code>{row.apiName}</code>
      </td>
      <td>{row.type || '—'}</td>
      <td>{directionWords(row.direction)}</td>
      <td>
        <code>{row.marketoField}</code>
        {row.marketoLabel ? <span class="muted"> ({row.marketoLabel})</span> : null}
      </td>
      {cell(row.formula)}
      {cell(row.hidden)}
      {cell(row.readOnly)}
      <td class="num">{row.changes.toLocaleString()}</td>
      <td>{row.lastChange === undefined ? '—' : formatDateTime(row.lastChange, timeZone)}</td>
    </tr>
  );
}
