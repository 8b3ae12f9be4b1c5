import { useMemo, useState } from 'preact/hooks';
import type { DashboardMetrics } from '../lib/db/metrics';
import type { ObjectType, SyncDirection } from '../lib/db/types';
import { DIRECTION_LABELS } from '../lib/metrics/keys';
import { type NoisyObject, noisyFields } from '../lib/metrics/noisyFields';
import type { Parsed, SyncSettings } from '../lib/settings';
import {
  isNumberType,
  mappedSobject,
  mappingOf,
  thresholdFor,
  thresholdName,
  withFieldStopped,
  withThreshold,
} from '../lib/settings/noisyFieldActions';
import { announce } from './announce';

interface Props {
  metrics: DashboardMetrics;
  /** Start of the window (ms): the retention window. */
  from: number;
  /** The stored settings as last read (undefined while loading). */
  settings: Parsed<SyncSettings> | undefined;
  /** The settings store's save (validated by the schema; nothing written when invalid). */
  save: (settings: SyncSettings) => Promise<Parsed<SyncSettings>>;
  objectLabel: (objectType: ObjectType) => string;
}

/** A threshold the section offers first: changes smaller than this are held back. */
const SUGGESTED_MIN_DELTA = 5;

interface Done {
  text: string;
  /** The settings before the change, for Undo. */
  before: SyncSettings;
}

/**
 * Section 5, noisy fields (docs/dashboard.md): per object and direction, the fields whose changes
 * were part of the most updates in the window, with their share; one click sets a change threshold
 * on a number field (settings.changeThresholds) or stops syncing the field in that direction (its
 * mapping), through the settings store's save — the one the options page uses — with Undo.
 */
export function NoisyFields({ metrics, from, settings, save, objectLabel }: Props) {
  const [done, setDone] = useState<Done>();
  const [error, setError] = useState<string>();
  const noisy = useMemo(() => noisyFields(metrics.rows, from), [metrics.rows, from]);
  const current = settings?.ok ? settings.value : undefined;

  async function apply(next: SyncSettings | undefined, text: string) {
    if (!current || !next) return;
    const saved = await save(next);
    if (saved.ok) {
      setDone({ text, before: current });
      setError(undefined);
      announce(text);
    } else setError(`Not saved: ${saved.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }

  async function undo() {
    if (!done) return;
    const saved = await save(done.before);
    if (saved.ok) {
      setDone(undefined);
      announce('Undone.');
    } else setError(`Not undone: ${saved.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }

  return (
    <section class="metrics-section noisy-fields" aria-labelledby="noisy-title">
      <h2 id="noisy-title">Noisy fields</h2>
      <p class="muted">
        The fields whose changes caused the most updates in the history kept, with their share of the object's
        updates (one update can change several fields).
      </p>
      {settings && !settings.ok && (
        <p class="notice bad">
          The settings cannot be read, so nothing can be changed here: {settings.errors[0]?.message}
        </p>
      )}
      {error && <p class="notice bad noisy-error">{error}</p>}
      {done && (
        <p class="notice noisy-done" role="status">
          {done.text}{' '}
          <button type="button" class="link" onClick={undo}>
            Undo
          </button>
        </p>
      )}
      {noisy.length === 0 ? (
        <p class="empty">No updates in the history kept yet.</p>
      ) : (
        noisy.map((object) => (
          <NoisyObjectTable
            key={`${object.objectType}|${object.direction}`}
            object={object}
            settings={current}
            fieldTypes={metrics.fieldTypes}
            label={objectLabel(object.objectType)}
            apply={apply}
          />
        ))
      )}
    </section>
  );
}

interface TableProps {
  object: NoisyObject;
  settings: SyncSettings | undefined;
  fieldTypes: Map<string, string>;
  label: string;
  apply: (next: SyncSettings | undefined, text: string) => Promise<void>;
}

function NoisyObjectTable({ object, settings, fieldTypes, label, apply }: TableProps) {
  const { objectType, direction } = object;
  const toWhere = direction === 'toMarketo' ? 'Marketo' : 'Salesforce';
  return (
    <table class="steps metrics-table noisy" data-key={`${objectType}|${direction}`}>
      <caption>
        {label}, {DIRECTION_LABELS[direction]}: {object.updates.toLocaleString('en-US')} updates
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col" class="num">
            Updates
          </th>
          <th scope="col" class="num">
            Share
          </th>
          <th scope="col">Hold back or stop</th>
        </tr>
      </thead>
      <tbody>
        {object.fields.map((f) => {
          const name = settings && thresholdName(settings, objectType, direction, f.field);
          const mapping = settings && mappingOf(settings, objectType, f.field);
          const threshold = name ? thresholdFor(settings!, name) : undefined;
          const numeric = isNumberType(
            thresholdFieldType(fieldTypes, objectType, direction, f.field, mapping?.marketoField),
          );
          const stopped = settings && withFieldStopped(settings, objectType, direction, f.field);
          return (
            <tr key={f.field} data-field={f.field}>
              <th scope="row">
                {f.field}
                {name && name !== f.field && <span class="muted"> ({name})</span>}
              </th>
              <td class="num">{f.updates.toLocaleString('en-US')}</td>
              <td class="num">{Math.round(f.share * 100)} %</td>
              <td class="actions">
                {name && numeric && (
                  <ThresholdButton
                    name={name}
                    threshold={threshold}
                    set={(minDelta) =>
                      apply(
                        withThreshold(settings!, name, minDelta),
                        `Saved: ${name} changes smaller than ${minDelta} are no longer synced.`,
                      )
                    }
                  />
                )}
                {stopped && (
                  <button
                    type="button"
                    class="stop-field"
                    onClick={() =>
                      apply(stopped, `Saved: ${f.field} of ${label} is no longer synced to ${toWhere}.`)
                    }
                  >
                    Stop syncing to {toWhere}
                  </button>
                )}
                {settings && !stopped && !(name && numeric) && (
                  <span class="muted" title="Not synced by a field mapping in this direction">
                    —
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The field's type on the side a threshold names it (Salesforce for pulls, Marketo for pushes). */
function thresholdFieldType(
  types: Map<string, string>,
  objectType: ObjectType,
  direction: SyncDirection,
  salesforceField: string,
  marketoField: string | undefined,
): string | undefined {
  if (direction === 'toSalesforce') return marketoField ? types.get(`Marketo|${marketoField}`) : undefined;
  const sobject = mappedSobject(objectType);
  return sobject ? types.get(`${sobject}|${salesforceField}`) : undefined;
}

function ThresholdButton(props: {
  name: string;
  threshold: number | undefined;
  set: (minDelta: number) => void;
}) {
  const [value, setValue] = useState(String(props.threshold ?? SUGGESTED_MIN_DELTA));
  const minDelta = Number(value);
  const valid = Number.isFinite(minDelta) && minDelta > 0;
  return (
    <span class="threshold">
      <label>
        <span class="muted">
          {props.threshold === undefined ? 'Ignore changes under' : `Threshold ${props.threshold}; change to`}
        </span>{' '}
        <input
          type="number"
          min="0"
          step="any"
          inputMode="decimal"
          value={value}
          aria-label={`Smallest change of ${props.name} to sync`}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
      </label>{' '}
      <button type="button" class="set-threshold" disabled={!valid} onClick={() => props.set(minDelta)}>
        Set a change threshold
      </button>
    </span>
  );
}
