import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { StepFilter, StepSort } from '../lib/db/stepFilter';
import type { StepsWindow } from '../lib/db/stepsWindow';
import type { SendExportRequest } from '../lib/export/exportChannel';
import { zoneCaption } from '../lib/format/time';
import { announce } from './announce';
import { ExportButton } from './ExportButton';
import type { StepsSource } from './logSource';
import type { PersonLabel } from './objectLabel';
import { STATUS_MEANING } from './StatusBadge';
import { StepFilters } from './StepFilters';
import { StepRecordsList } from './StepRecordsList';
import { StepTable } from './StepTable';
import { defaultFilter } from './stepFilterState';
import { type StartedLiveQuery, startLiveQuery, useLiveQuery } from './useLiveQuery';

interface Props {
  /** This browser's log or the service's (components/logSource.ts). */
  source: StepsSource;
  personLabel: PersonLabel;
  /** The Salesforce user's time zone; the browser's when unset. */
  timeZone?: string;
  /** The org's instance URL, for record links. */
  instanceUrl?: string;
  /** Asks the background for the sync-errors CSV (the Export button). */
  requestExport: SendExportRequest;
  /** Rows shown first and added by "Load more". */
  pageSize?: number;
  /** Called after each render of new rows (the popup sets a performance mark). */
  onRendered?: () => void;
  /** The first window, started before the first render (see prefetchSteps). */
  prefetched?: StepsPrefetch;
}

/** The default view's first window, a live query subscribed while the page is still starting up. */
export interface StepsPrefetch {
  filter: StepFilter;
  pageSize: number;
  live: StartedLiveQuery<StepsWindow>;
}

/**
 * Starts the table's first window (default filter, Started-At sort, grouped) at once, so that the
 * popup's first table does not wait for its first render and effects to ask for it. StepsView takes
 * the subscription over; whoever does not render it must `live.stop()` it.
 */
export function prefetchSteps(source: StepsSource, pageSize = DEFAULT_PAGE_SIZE): StepsPrefetch {
  const filter = defaultFilter(Date.now());
  return {
    filter,
    pageSize,
    live: startLiveQuery(() => source.window({ filter, sort: 'startedAt', limit: pageSize, grouped: true })),
  };
}

const DEFAULT_PAGE_SIZE = 50;

/** The step table with its filter, sort, grouping, record details, paging and CSV export. */
export function StepsView(props: Props) {
  const {
    source,
    personLabel,
    timeZone,
    instanceUrl,
    requestExport,
    pageSize = DEFAULT_PAGE_SIZE,
    onRendered,
    prefetched,
  } = props;
  const [filter, setFilter] = useState<StepFilter>(() =>
    prefetched?.pageSize === pageSize ? prefetched.filter : defaultFilter(Date.now()),
  );
  const [sort, setSort] = useState<StepSort>('startedAt');
  const [grouped, setGrouped] = useState(true);
  const [limit, setLimit] = useState(pageSize);
  const [expanded, setExpanded] = useState<number>();
  // The prefetched subscription is the first query (the same one), never a later one.
  const first = useRef(prefetched?.pageSize === pageSize ? prefetched.live : undefined);
  const { value, error } = useLiveQuery(
    () => source.window({ filter, sort, limit, grouped }),
    [source, filter, sort, limit, grouped],
    first.current,
    source.live,
  );
  first.current = undefined;
  // Set by a filter change: the rows it brings are announced ("Sync steps shown: 3").
  const announceRows = useRef(false);
  useEffect(() => {
    if (!value) return;
    onRendered?.();
    if (!announceRows.current) return;
    announceRows.current = false;
    const n = value.rows.length;
    announce(n ? `Sync steps shown: ${n}${value.next ? '+' : ''}` : 'No sync steps match the filter');
  }, [value]);

  // The table only changes with its rows and display options: the re-render a filter change starts
  // (before its new rows arrive) and the filter panel's own changes skip diffing 50+ rows.
  const table = useMemo(
    () =>
      value && (
        <div class="table-scroll">
          <StepTable
            steps={value.rows}
            timeZone={timeZone}
            personLabel={personLabel}
            groupByCycle={grouped}
            cycles={value.cycles}
            expandedStepId={expanded}
            onToggleStep={(id) => setExpanded(expanded === id ? undefined : id)}
            renderDetails={(step) => (
              <StepRecordsList source={source} step={step} instanceUrl={instanceUrl} />
            )}
          />
          {value.next && (
            <button type="button" class="load-more" onClick={() => setLimit(limit + pageSize)}>
              Load more
            </button>
          )}
        </div>
      ),
    [value, timeZone, personLabel, grouped, expanded, source, instanceUrl, limit, pageSize],
  );

  const changeQuery = (next: { filter?: StepFilter; sort?: StepSort }) => {
    announceRows.current = true;
    if (next.filter) setFilter(next.filter);
    if (next.sort) setSort(next.sort);
    setLimit(pageSize);
  };

  return (
    <div class="steps-view">
      <div class="toolbar">
        <fieldset class="sort" aria-label="Sort, newest first">
          Sort:{' '}
          {(['startedAt', 'endedAt'] as const).map((s) => (
            <button
              type="button"
              key={s}
              class="toggle"
              aria-pressed={sort === s}
              onClick={() => changeQuery({ sort: s })}
            >
              {s === 'startedAt' ? 'Started At' : 'Ended At'} ↓
            </button>
          ))}
        </fieldset>
        <label>
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.currentTarget.checked)} />{' '}
          Group by cycle
        </label>
        <span
          class="muted zone-caption"
          title="Started At and Ended At are shown in this time zone (the Salesforce user's, else this browser's)"
        >
          Times: {zoneCaption(timeZone)}
        </span>
        <span class="spacer" />
        <ExportButton filter={filter} sort={sort} requestExport={requestExport} />
        <StatusLegend />
      </div>
      <StepFilters
        applied={filter}
        sort={sort}
        personLabel={personLabel}
        timeZone={timeZone}
        onApply={(f) => changeQuery({ filter: f })}
        onReset={() => changeQuery({ filter: defaultFilter(Date.now()) })}
      />
      {error && <p class="error">Could not read the sync log: {error.message}</p>}
      {!value && !error && <p class="muted">Loading…</p>}
      {value && value.rows.length === 0 && (
        <p class="empty">{value.logEmpty ? 'No sync cycles yet' : 'No sync steps match the filter'}</p>
      )}
      {value && value.rows.length > 0 && table}
    </div>
  );
}

/** The badges' meanings as text a keyboard reaches (their tooltips need a pointer). */
function StatusLegend() {
  return (
    <details class="status-legend">
      <summary>What the statuses mean</summary>
      {Object.entries(STATUS_MEANING).map(([status, meaning]) => (
        <div key={status}>
          <b>{status}</b>: {meaning}
        </div>
      ))}
    </details>
  );
}
