// Which failed records a step retries this cycle (design §5.6, docs/dashboard-errors.md): the ones
// whose backoff is due — unless the day's API allocation is nearly spent, then none, so that
// retrying known failures cannot use up the calls new changes need (settings
// `retry.pauseAtAllocationShare`, 75 % by default, as HubSpot pauses its retries) — plus the ones
// the admin asked to retry now ("Retry these now" on the dashboard), which run whatever the pause.
import { isRetryDue, pendingFailures } from '../db/recordFlags';
import type { Operation, RecordFlagsRow } from '../db/types';
import { dueRetries } from '../db/writeBatch';
import { toId18 } from '../salesforce/ids';
import type { StepContext } from './context';
import type { AllocationUse } from './dailyUsage';

/** Retries read per step and cycle (the `nextRetryAt` index, soonest first). */
export const RETRIES_PER_CYCLE = 2000;

export interface RetryPause {
  /** Which side is past the threshold, and how far. */
  side: 'Salesforce' | 'Marketo';
  used: number;
  cap: number;
  /** The threshold, a share of the allocation (0–1). */
  at: number;
}

/** Whether retries pause, given each side's use of its allocation; the side furthest past comes first. */
export function retryPause(use: AllocationUse | undefined, at: number): RetryPause | undefined {
  if (!use) return undefined;
  const sides: RetryPause[] = [];
  if (use.salesforce) sides.push({ side: 'Salesforce', ...pick(use.salesforce), at });
  sides.push({ side: 'Marketo', ...pick(use.marketo), at });
  const past = sides.filter((s) => s.used >= s.cap * at).sort((a, b) => share(b) - share(a));
  return past[0];
}

const pick = ({ used, cap }: { used: number; cap: number }) => ({ used, cap });
const share = (p: RetryPause) => (p.cap > 0 ? p.used / p.cap : Number.POSITIVE_INFINITY);
const percent = (n: number) => `${Math.round(n * 100)} %`;

/** The pause in words, as the step's warning and the dashboard's API usage card say it. */
export function retryPauseText(pause: RetryPause): string {
  return `${percent(share(pause))} of today's ${pause.side} API allocation is used (${pause.used} of ${pause.cap} calls); automatic retries of failed records pause at ${percent(pause.at)} (Options → Failed records)`;
}

/**
 * The failed records `operation` retries now: the admin's "Retry these now" first (CycleNotes
 * retryNow), then those whose retry is due unless retries are paused; a pause that holds back due
 * retries is said on the step's row.
 */
export async function retriesToRun(
  ctx: StepContext,
  operation: Operation,
  now: number,
  /** Which records this step handles (its object, say). */
  mine: (row: RecordFlagsRow) => boolean = () => true,
): Promise<RecordFlagsRow[]> {
  const asked = ctx.notes.retryNow?.get(operation) ?? [];
  const askedRows = asked.length
    ? (await ctx.db.records.bulkGet([...asked])).filter(
        (r): r is RecordFlagsRow => r !== undefined && pendingFailures(r)[operation] !== undefined && mine(r),
      )
    : [];
  const due = (await dueRetries(ctx.db, now, RETRIES_PER_CYCLE)).filter(
    (r) => isRetryDue(r, operation, now) && mine(r),
  );
  const taken = new Set(askedRows.map((r) => r.sfId));
  const waiting = due.filter((r) => !taken.has(r.sfId));
  const pause = retryPause(ctx.budget.allocation(), ctx.settings.retry.pauseAtAllocationShare);
  if (!pause) return [...askedRows, ...waiting];
  if (waiting.length > 0)
    ctx.warn(`Retries of ${waiting.length} failed records held back: ${retryPauseText(pause)}.`);
  return askedRows;
}

/** A request's "Retry these now" (CycleRequest retryNow) as the cycle's note, ids in 18 characters. */
export function retryNowOf(retryNow: Partial<Record<Operation, string[]>>): Map<Operation, string[]> {
  return new Map(
    (Object.entries(retryNow) as [Operation, string[]][]).map(([operation, ids]) => [
      operation,
      ids.map(toId18),
    ]),
  );
}
