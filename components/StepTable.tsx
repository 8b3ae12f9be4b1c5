import type { ObjectType, StepRow } from '../lib/db/types';
import { formatDateTime } from '../lib/format/time';
import { StatusBadge } from './StatusBadge';

export type PersonLabel = 'Lead' | 'Person';

/** The seed shows "Person"; admins may prefer "Lead" (a setting). */
export function objectLabel(objectType: ObjectType, personLabel: PersonLabel): string {
  return objectType === 'Person' ? personLabel : objectType;
}

interface Props {
  steps: StepRow[];
  timeZone?: string;
  personLabel: PersonLabel;
}

/** The seed dashboard's ten columns, plus Excluded when any row has excluded records. */
export function StepTable({ steps, timeZone, personLabel }: Props) {
  const showExcluded = steps.some((s) => s.excluded > 0);
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
        </tr>
      </thead>
      <tbody>
        {steps.map((step) => (
          <tr key={step.id} data-step-id={step.id}>
            <td>{formatDateTime(step.startedAt, timeZone)}</td>
            <td>{formatDateTime(step.endedAt, timeZone)}</td>
            <td>{objectLabel(step.objectType, personLabel)}</td>
            <td>{step.operation}</td>
            <td>
              <StatusBadge status={step.status} />
            </td>
            <td class="num">{step.new}</td>
            <td class="num">{step.updated}</td>
            <td class="num">{step.deleted}</td>
            <td class={step.failed ? 'num failed' : 'num'}>{step.failed}</td>
            <td class="num">{step.skipped}</td>
            {showExcluded && <td class="num">{step.excluded}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
