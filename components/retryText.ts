import type { RetryCauseAnswer } from '../lib/messaging/views';

/** What "Retry these now" did, in words (a cause card's status line). */
export function retryText(answer: RetryCauseAnswer): string {
  if (answer.records === 0 || !answer.cycle)
    return 'No record of this cause is failing now: nothing to retry.';
  const records = `${answer.records.toLocaleString()} record${answer.records === 1 ? '' : 's'}`;
  if (answer.cycle.status === 'refused') return `${records} made due now, but ${answer.cycle.message}`;
  const when = answer.cycle.status === 'queued' ? 'after the cycle in progress' : 'now';
  return `Retrying ${records} ${when}; the cards update when the cycle ends.`;
}
