import type { LogDatabase } from './logPort';
import {
  type Counters,
  type CycleTrigger,
  emptyCounters,
  type ObjectType,
  type Operation,
  OUTCOMES,
  type StepStatus,
} from './types';

/** The statuses a step or cycle can end with. */
export type FinishedStatus = Exclude<StepStatus, 'In Process'>;

export async function startCycle(
  db: LogDatabase,
  cycle: { trigger: CycleTrigger; at: number; recordId?: string },
): Promise<number> {
  return db.cycles.add({
    trigger: cycle.trigger,
    ...(cycle.recordId !== undefined && { recordId: cycle.recordId }),
    startedAt: cycle.at,
    endedAt: null,
    status: 'In Process',
    totals: emptyCounters(),
    apiCalls: { salesforce: 0, marketo: 0 },
  });
}

export async function startStep(
  db: LogDatabase,
  step: { cycleId: number; operation: Operation; objectType: ObjectType; sobject?: string; at: number },
): Promise<number> {
  return db.steps.add({
    cycleId: step.cycleId,
    operation: step.operation,
    objectType: step.objectType,
    ...(step.sobject && { sobject: step.sobject }),
    status: 'In Process',
    startedAt: step.at,
    endedAt: null,
    // A running step sorts above every finished one in the Ended-At order (see StepRow.endSort).
    endSort: Number.POSITIVE_INFINITY,
    ...emptyCounters(),
  });
}

/** Ends a step; its counters were already added batch by batch by `writeBatch`. */
export async function finishStep(
  db: LogDatabase,
  stepId: number,
  end: { status: FinishedStatus; at: number; error?: string; reason?: string; warnings?: string[] },
): Promise<void> {
  const updated = await db.steps.update(stepId, {
    status: end.status,
    endedAt: end.at,
    endSort: end.at,
    ...(end.error !== undefined && { error: end.error }),
    ...(end.reason !== undefined && { reason: end.reason }),
    ...(end.warnings !== undefined && end.warnings.length > 0 && { warnings: end.warnings }),
  });
  if (updated === 0) throw new Error(`finishStep: no step with id ${stepId}`);
}

/** Ends a cycle: its totals are the sum of its steps' counters, read in the same transaction. */
export async function finishCycle(
  db: LogDatabase,
  cycleId: number,
  end: {
    status: FinishedStatus;
    at: number;
    apiCalls: { salesforce: number; marketo: number };
    error?: string;
    reason?: string;
  },
): Promise<Counters> {
  return db.transaction('rw', ['cycles', 'steps'], async () => {
    const steps = await db.steps.where('cycleId').equals(cycleId).toArray();
    const totals = emptyCounters();
    // A step row recovered from before `drifted` existed has no such counter.
    for (const step of steps) for (const outcome of OUTCOMES) totals[outcome] += step[outcome] ?? 0;
    const updated = await db.cycles.update(cycleId, {
      status: end.status,
      endedAt: end.at,
      totals,
      apiCalls: end.apiCalls,
      ...(end.error !== undefined && { error: end.error }),
      ...(end.reason !== undefined && { reason: end.reason }),
    });
    if (updated === 0) throw new Error(`finishCycle: no cycle with id ${cycleId}`);
    return totals;
  });
}
