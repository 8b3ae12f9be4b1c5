import type { ComponentChild } from 'preact';
import type { CycleRow, StepRow } from '../lib/db/types';
import { formatDateTime } from '../lib/format/time';
import { FailureReason } from './FailureReason';
import { failureNote } from './failureNote';
import { objectLabel, type PersonLabel } from './objectLabel';
import { StatusBadge } from './StatusBadge';
import { formatCompact, formatTime, sameDay } from './tableTime';

interface Props {
  steps: StepRow[];
  timeZone?: string;
  personLabel: PersonLabel;
  /** Group rows under a header row per cycle (consecutive rows of one cycle form a group). */
  groupByCycle?: boolean;
  /** The cycles of the rows, for the group headers (a window's few, so a search is cheap). */
  cycles?: readonly CycleRow[];
  /** Rows with failed or skipped records get a toggle; the open one shows `renderDetails`. */
  expandedStepId?: number;
  onToggleStep?: (stepId: number) => void;
  renderDetails?: (step: StepRow) => ComponentChild;
}

const hasRecords = (step: StepRow) => step.failed > 0 || step.skipped > 0 || step.drifted > 0;

/**
 * The seed dashboard's ten columns, plus Excluded when any row has excluded records and Drifted
 * when any row has drifted ones (Reconcile found both sides disagreeing).
 */
export function StepTable(props: Props) {
  const { steps, timeZone, personLabel, groupByCycle, cycles, expandedStepId, onToggleStep } = props;
  const showExcluded = steps.some((s) => s.excluded > 0);
  // Older rows (written before Reconcile existed) have no `drifted` counter.
  const showDrifted = steps.some((s) => (s.drifted ?? 0) > 0);
  const columns = 10 + (showExcluded ? 1 : 0) + (showDrifted ? 1 : 0);
  const rows: ComponentChild[] = [];
  let previousCycle: number | undefined;
  for (const step of steps) {
    if (groupByCycle && step.cycleId !== previousCycle) {
      rows.push(
        <CycleRowHeader
          key={`c${step.cycleId}-${step.id}`}
          cycleId={step.cycleId}
          cycle={cycles?.find((c) => c.id === step.cycleId)}
          columns={columns}
          timeZone={timeZone}
        />,
      );
    }
    previousCycle = step.cycleId;
    const expandable = Boolean(onToggleStep) && hasRecords(step);
    const expanded = expandable && expandedStepId === step.id;
    rows.push(
      <tr key={step.id} data-step-id={step.id} class={expanded ? 'open' : undefined}>
        {/* Few elements per row: the popup's first paint lays out 50 of them (a row without records
            keeps the toggle's room with a CSS pseudo-element, not a spacer element). */}
        <td
          title={formatDateTime(step.startedAt, timeZone)}
          class={onToggleStep && !expandable ? 'expand-pad' : undefined}
        >
          {expandable && (
            <button
              type="button"
              class="expand"
              aria-expanded={expanded}
              // The glyph alone names nothing: the name says which step's records it shows.
              aria-label={`Show failed and skipped records: ${step.operation}, ${objectLabel(step.objectType, personLabel)}`}
              onClick={() => onToggleStep?.(step.id)}
            >
              {expanded ? '▾' : '▸'}
            </button>
          )}
          {formatCompact(step.startedAt, timeZone)}
        </td>
        <EndedAt step={step} timeZone={timeZone} />
        <td class="wrap">{objectLabel(step.objectType, personLabel)}</td>
        <td class="wrap">{step.operation}</td>
        <td>
          <StatusBadge status={step.status} />
        </td>
        <td class="num">{step.new}</td>
        <td class="num">{step.updated}</td>
        <td class="num">{step.deleted}</td>
        <td class={step.failed ? 'num failed' : 'num'}>{step.failed}</td>
        <td class="num">{step.skipped}</td>
        {showExcluded && <td class="num">{step.excluded}</td>}
        {showDrifted && (
          <td class="num">
            {step.drifted ?? 0}
            {step.operation === 'Reconcile' && (step.drifted ?? 0) > 0 && (
              <div class="muted repaired" title="Written by the Pull and Push Updates that followed">
                {step.repaired ?? 0} repaired
              </div>
            )}
          </td>
        )}
      </tr>,
    );
    // Why a step did not complete, under its row (a few rows at most: most steps complete).
    const note = failureNote(step);
    if (note) {
      rows.push(
        <tr key={`r${step.id}`} class="step-reason" data-reason-for={step.id}>
          <td colSpan={columns}>
            <FailureReason note={note} />
          </td>
        </tr>,
      );
    }
    // What a step left out although it completed (e.g. a mapped field the sync user cannot read).
    if (step.warnings?.length) {
      rows.push(
        <tr key={`w${step.id}`} class="step-warning" data-warning-for={step.id}>
          <td colSpan={columns}>
            {step.warnings.map((warning) => (
              <p key={warning}>⚠ {warning}</p>
            ))}
          </td>
        </tr>,
      );
    }
    if (expanded && props.renderDetails) {
      rows.push(
        <tr key={`d${step.id}`} class="details" data-details-for={step.id}>
          <td colSpan={columns}>{props.renderDetails(step)}</td>
        </tr>,
      );
    }
  }
  return (
    <table class="steps">
      <thead>
        <tr>
          <th>Started At</th>
          <th>Ended At</th>
          <th>Object</th>
          <th>Operation</th>
          <th>Status</th>
          <th class="num">New</th>
          <th class="num">Updated</th>
          <th class="num">Deleted</th>
          <th class="num">Failed</th>
          <th class="num">Skipped</th>
          {showExcluded && <th class="num">Excluded</th>}
          {showDrifted && (
            <th class="num" title="Reconcile read both sides and they disagree; the next cycle repairs them">
              Drifted
            </th>
          )}
        </tr>
      </thead>
      <tbody>{rows}</tbody>
    </table>
  );
}

function EndedAt({ step, timeZone }: { step: StepRow; timeZone?: string }) {
  if (step.endedAt === null) return <td>—</td>;
  const full = formatDateTime(step.endedAt, timeZone);
  const shown = sameDay(step.startedAt, step.endedAt, timeZone)
    ? formatTime(step.endedAt, timeZone)
    : formatCompact(step.endedAt, timeZone);
  return <td title={full}>{shown}</td>;
}

function CycleRowHeader(props: { cycleId: number; cycle?: CycleRow; columns: number; timeZone?: string }) {
  const { cycle } = props;
  const note = cycle && failureNote(cycle);
  return (
    <tr class="cycle-row" data-group-cycle={props.cycleId}>
      <td colSpan={props.columns}>
        Cycle {props.cycleId}
        {cycle && (
          <>
            {' '}
            · {cycle.trigger} · {formatDateTime(cycle.startedAt, props.timeZone)}{' '}
            <StatusBadge status={cycle.status} />
          </>
        )}
        {note && (
          <>
            {' '}
            <FailureReason note={note} />
          </>
        )}
      </td>
    </tr>
  );
}
