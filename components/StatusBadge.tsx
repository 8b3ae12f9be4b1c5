import type { StepStatus } from '../lib/db/types';

/** What each seed status means, shown as the badge's tooltip. */
export const STATUS_MEANING: Record<StepStatus, string> = {
  Completed: 'Every record was handled. Record failures are counted in Failed and retried later.',
  Failed: 'The step as a whole failed (authentication, quota, network or an unreadable response).',
  'Not Completed': 'The step was interrupted or ran out of API or time budget; the next cycle resumes it.',
  'In Process': 'The step is running now.',
  Purged: 'The step failed and its partial changes were rolled back to the last consistent state.',
};

const STATUS_CLASS: Record<StepStatus, string> = {
  Completed: 'ok',
  Failed: 'bad',
  'Not Completed': 'warn',
  'In Process': 'busy',
  Purged: 'purged',
};

export function StatusBadge({ status }: { status: StepStatus }) {
  return (
    <span class={`status status-${STATUS_CLASS[status]}`} title={STATUS_MEANING[status]}>
      {status}
    </span>
  );
}
