import { useRef, useState } from 'preact/hooks';
import type { StepFilter, StepSort } from '../lib/db/stepFilter';
import { OBJECT_TYPES, OPERATIONS, STEP_STATUSES } from '../lib/db/types';
import { announce } from './announce';
import { objectLabel, type PersonLabel } from './objectLabel';
import { describeFilter, draftOf, type FilterDraft, filterOf, sameFilter, toggled } from './stepFilterState';

interface Props {
  applied: StepFilter;
  sort: StepSort;
  personLabel: PersonLabel;
  timeZone?: string;
  onApply: (filter: StepFilter) => void;
  onReset: () => void;
}

type ListKey = 'objectTypes' | 'operations' | 'statuses';

/**
 * The filter line: a summary of the active filter, and a panel with the date/time range and the
 * three multi-selects. Nothing changes in the table until Apply; Reset goes back to the last 5 days.
 */
export function StepFilters(props: Props) {
  const { applied, sort, personLabel, timeZone } = props;
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  // Apply, Reset and Escape close the panel: focus goes back to where the keyboard user opened it.
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  return (
    <div class="filters">
      <div class="filter-summary">
        <button ref={toggle} type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          Filters {open ? '▴' : '▾'}
        </button>
        <span class="active-filter" data-testid="active-filter">
          {describeFilter(applied, { sort, personLabel, timeZone }).map((part) => (
            <span class="chip" key={part}>
              {part}
            </span>
          ))}
        </span>
      </div>
      {/* Keyed by the applied filter: a new one (Apply, Reset, a caller's change) restarts the draft. */}
      {open && <FilterPanel key={applied} {...props} onClose={close} />}
    </div>
  );
}

/**
 * The open panel. Its draft (the inputs' wall-clock text, which takes Intl work in the table's
 * time zone) exists only while it is open, so a closed panel costs the popup's first paint nothing.
 */
function FilterPanel(props: Props & { onClose: () => void }) {
  const { applied, sort, personLabel, timeZone, onApply, onReset, onClose } = props;
  const [draft, setDraft] = useState<FilterDraft>(() => draftOf(applied, timeZone));
  const [error, setError] = useState<string>();

  const parsed = filterOf(draft, timeZone);
  const changed = !parsed.ok || !sameFilter(parsed.filter, applied);
  const apply = (event: Event) => {
    event.preventDefault();
    if (!parsed.ok) {
      setError(parsed.error);
      return announce(parsed.error);
    }
    onApply(parsed.filter);
    onClose();
  };
  const setList = (key: ListKey, value: string, on: boolean) =>
    setDraft((d) => ({ ...d, [key]: toggled(d[key] as string[], value, on) }));

  const column = sort === 'startedAt' ? 'Started' : 'Ended';
  return (
    <form class="filter-panel" onSubmit={apply} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {/* First in the Tab order: Apply is one stop from Filters, not one past 45 checkboxes. */}
      <div class="filter-actions">
        <button type="submit" class="primary" disabled={!changed}>
          Apply
        </button>
        <button
          type="button"
          onClick={() => {
            onReset();
            onClose();
          }}
        >
          Reset
        </button>
        {error && (
          <span class="error" id="filter-error">
            {error}
          </span>
        )}
      </div>
      <fieldset class="range">
        <legend>{column} between</legend>
        <label>
          From{' '}
          <input
            type="datetime-local"
            name="from"
            value={draft.from}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'filter-error' : undefined}
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
        </label>
        <label>
          To{' '}
          <input
            type="datetime-local"
            name="to"
            value={draft.to}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'filter-error' : undefined}
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
        </label>
      </fieldset>
      <CheckList
        legend="Object"
        name="objectTypes"
        values={OBJECT_TYPES.map((o) => [o, objectLabel(o, personLabel)] as const)}
        selected={draft.objectTypes}
        onChange={(value, on) => setList('objectTypes', value, on)}
      />
      <CheckList
        legend="Operation"
        name="operations"
        values={OPERATIONS.map((o) => [o, o] as const)}
        selected={draft.operations}
        onChange={(value, on) => setList('operations', value, on)}
      />
      <CheckList
        legend="Status"
        name="statuses"
        values={STEP_STATUSES.map((s) => [s, s] as const)}
        selected={draft.statuses}
        onChange={(value, on) => setList('statuses', value, on)}
      />
    </form>
  );
}

function CheckList(props: {
  legend: string;
  name: string;
  values: readonly (readonly [string, string])[];
  selected: readonly string[];
  onChange: (value: string, on: boolean) => void;
}) {
  return (
    <fieldset class="checklist" data-filter={props.name}>
      <legend>
        {props.legend}{' '}
        <span class="muted">{props.selected.length ? `(${props.selected.length})` : '(all)'}</span>
      </legend>
      {props.values.map(([value, label]) => (
        <label key={value}>
          <input
            type="checkbox"
            name={props.name}
            value={value}
            checked={props.selected.includes(value)}
            onChange={(e) => props.onChange(value, e.currentTarget.checked)}
          />{' '}
          {label}
        </label>
      ))}
    </fieldset>
  );
}
