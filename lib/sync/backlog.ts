// The hourly backlog fetch (docs/dashboard.md): at the start of a scheduled or manual cycle, at most
// once an hour, count the changes waiting on each side before the steps take their share — the
// Salesforce rows the pulls owe (backlogSalesforce.ts, one call) and the Marketo feed the pushes
// have yet to read (backlogMarketo.ts, one call per 300 activities, at most 10). Counted at the
// start, so a cycle whose budget the steps then spend still measures (a backlog beyond one cycle's
// budget is exactly what it is for); the calls count against the same cycle and daily budgets.
// The idle cycle stays at ≤ 3 calls except in the hour's cycle that fetches (2 more when idle).
import type { LogDatabase } from '../db/logPort';
import { BACKLOG_FETCHED_KEY, BACKLOG_INTERVAL_MS } from '../db/metrics';
import { metricKey } from '../metrics/keys';
import { marketoBacklog } from './backlogMarketo';
import { salesforceBacklog } from './backlogSalesforce';
import type { CycleContext } from './context';
import { readCursor } from './cursors';
import { failureReason } from './failureReason';
import { objectTypeOf } from './plan';
import { ACCOUNT_TYPE, probeSobject } from './probeTargets';

export interface BacklogFetch {
  /** Changes waiting per `<object type>|<direction>` (lib/metrics/keys.ts). */
  backlog: Record<string, number>;
  /** Keys counted only up to the feed's page cap: at least that many wait. */
  capped: string[];
  /** Why one side (or both) could not be counted. */
  error?: string;
}

/** When the backlog was last fetched (ms), if ever. */
export async function lastBacklogFetch(db: LogDatabase): Promise<number | undefined> {
  const at = Date.parse((await readCursor(db, BACKLOG_FETCHED_KEY)) ?? '');
  return Number.isNaN(at) ? undefined : at;
}

export const backlogDue = (last: number | undefined, now: number): boolean =>
  last === undefined || now - last >= BACKLOG_INTERVAL_MS;

/**
 * Counts both sides when a fetch is due. Undefined when it is not, in a one-record cycle, and when
 * the budget allows no call to either system now (the fetch stays due). Each side needs only its
 * own system's daily budget: while Marketo's is spent and the pulls wait, the Salesforce rows piling
 * up are still counted. A side that fails (its budget spent included) is named in `error`.
 */
export async function fetchBacklogIfDue(ctx: CycleContext): Promise<BacklogFetch | undefined> {
  if (ctx.record || (ctx.budget.spentReason('salesforce') && ctx.budget.spentReason('marketo')))
    return undefined;
  // A log that cannot be read fails the cycle's own steps with the reason; no fetch then.
  const last = await lastBacklogFetch(ctx.db).catch(() => Number.POSITIVE_INFINITY);
  if (!backlogDue(last, ctx.clock.now())) return undefined;
  const fetched: BacklogFetch = { backlog: {}, capped: [] };
  const errors: string[] = [];
  const why = (error: unknown) => {
    const failure = failureReason(error);
    return failure.kind === 'other' ? failure.raw : failure.reason;
  };
  try {
    const salesforce = await salesforceBacklog(ctx, ctx.notes.probeObjects);
    // Custom objects share one object type ("Custom Objects"): their counts add up. Task and Event
    // are read on two positions (Update Activities, Pull Updates) that owe mostly the same rows: the
    // larger count stands.
    for (const [target, n] of salesforce.counts) {
      const sobject = probeSobject(target);
      const key = metricKey(target === ACCOUNT_TYPE ? 'Account Type' : objectTypeOf(sobject), 'toMarketo');
      const add = sobject === 'Task' || sobject === 'Event' ? Math.max : (a: number, b: number) => a + b;
      fetched.backlog[key] = add(fetched.backlog[key] ?? 0, n);
    }
    for (const { target, error } of salesforce.failed)
      errors.push(`Salesforce ${target} not counted: ${why(error)}`);
  } catch (error) {
    errors.push(`Salesforce not counted: ${why(error)}`);
  }
  try {
    const marketo = await marketoBacklog(ctx);
    if (marketo) {
      Object.assign(fetched.backlog, marketo.counts);
      if (marketo.capped) fetched.capped.push(...Object.keys(marketo.counts));
    }
  } catch (error) {
    errors.push(`Marketo not counted: ${why(error)}`);
  }
  if (errors.length > 0) fetched.error = errors.join('; ');
  ctx.log(`backlog: ${JSON.stringify(fetched)}`);
  return fetched;
}
