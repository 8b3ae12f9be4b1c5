// How a cycle ends when its log fails under it (lib/sync/engine.ts): the result to write, and the
// report when not even the cycle's end could be written.
import type { LogDatabase } from '../db/logPort';
import type { CycleRow } from '../db/types';
import type { CycleReport } from './engine';
import { failureReason } from './failureReason';
import { type PlanResult, StepEndNotWritten } from './runner';
import { keepUnwrittenEnd, type UnwrittenEndsStore } from './unwrittenEnds';

/**
 * The cycle's result when the log failed under the plan. A step whose end could not be written
 * (StepEndNotWritten) keeps it for the next cycle's recovery, even if the cycle's end fits later.
 */
export async function planFailure(
  db: LogDatabase,
  cycleId: number,
  error: unknown,
  store: UnwrittenEndsStore | undefined,
): Promise<PlanResult> {
  const failure = failureReason(error);
  const stepEnd = error instanceof StepEndNotWritten ? error.end : {};
  const reason = stepEnd.reason ?? (failure.kind !== 'other' ? failure.reason : undefined);
  const result: PlanResult = {
    status: 'Failed',
    error:
      stepEnd.error ?? (failure.kind === 'other' && error instanceof Error ? error.message : failure.raw),
    ...(reason !== undefined && { reason }),
  };
  if (error instanceof StepEndNotWritten) {
    const end = { ...(result.error !== undefined && { error: result.error }), ...(reason && { reason }) };
    await keepUnwrittenEnd(db, cycleId, end, store);
  }
  return result;
}

/**
 * The cycle and its steps as logged; `unwritten`, when the log could not take the cycle's end,
 * is how it ended (shown on the cycle and its unfinished step until recovery writes it).
 */
export async function reportOf(
  db: LogDatabase,
  cycleId: number,
  unwritten?: Pick<CycleRow, 'status' | 'error' | 'reason'> & { endedAt: number },
): Promise<CycleReport> {
  const cycle = await db.cycles.get(cycleId);
  const steps = (await db.steps.where('cycleId').equals(cycleId).toArray()).sort((a, b) => a.id - b.id);
  if (!unwritten || !cycle) return { cycle, steps };
  return {
    cycle: { ...cycle, ...unwritten },
    steps: steps.map((s) =>
      s.status === 'In Process' ? { ...s, ...unwritten, endSort: unwritten.endedAt } : s,
    ),
  };
}
