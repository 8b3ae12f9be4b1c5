// The cycle runner: runs the plan's steps in order, each as a step row whose status says how it
// ended (design §5). Record failures never fail a step; a step Fails when it as a whole failed
// (auth, quota, network after retries, unparsable response); it is Purged when it undid
// half-applied work; Not Completed when the budget ran out or the lease was lost, which also ends
// the cycle (the next cycle resumes from the checkpoints).
// A step that did not complete leaves an `incomplete:<operation>:<object>` marker; a cycle that
// ended before its last step (or whose worker stopped, recovery.ts) leaves `incomplete:cycle`. The
// next run of a marked step resumes from its cursor without asking the change probe: its backlog
// can be older than the positions the probe compares with (another step may have moved them).
import { type FinishedStatus, finishStep, startStep } from '../db/lifecycle';
import { BudgetSpentError } from './budget';
import { type CycleContext, stepContext } from './context';
import { type FailureReason, failureReason, isStorageFailure } from './failureReason';
import { LeaseLostError } from './lease';
import type { OperationModule, PlannedStep } from './plan';

/** Marker keys (cursor rows) of steps and cycles that did not complete. */
export const incompleteMarkers = {
  // Custom objects share one object type: each keeps its own marker.
  step: (step: Pick<PlannedStep, 'operation' | 'objectType'> & { sobject?: string }) =>
    `incomplete:${step.operation}:${step.objectType}${step.objectType === 'Custom Objects' && step.sobject ? `:${step.sobject}` : ''}`,
  cycle: 'incomplete:cycle',
};

/** Thrown by a step that rolled back half-applied writes from their before-images. */
export class PurgedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PurgedError';
  }
}

/** The log could not take a step's end (e.g. browser storage full): the engine keeps it for recovery. */
export class StepEndNotWritten extends Error {
  constructor(
    readonly stepId: number,
    readonly end: { error?: string; reason?: string },
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StepEndNotWritten';
  }
}

export interface PlanResult {
  status: FinishedStatus;
  error?: string;
  /** `error` in plain words (lib/sync/failureReason.ts). */
  reason?: string;
}

export async function runPlan(
  ctx: CycleContext,
  plan: readonly { step: PlannedStep; module: OperationModule }[],
): Promise<PlanResult> {
  let failed: string | undefined;
  let failedReason: string | undefined;
  const cycleMarker = ctx.record ? undefined : await ctx.db.cursors.get(incompleteMarkers.cycle);
  const endEarly = async (result: PlanResult): Promise<PlanResult> => {
    // The steps not reached this time resume next cycle, like the one that stopped. (When the log
    // is full this mark may not fit either; recovery then marks the cycle, see recovery.ts.)
    if (!ctx.record)
      await ctx.db.cursors
        .put({ key: incompleteMarkers.cycle, value: result.status, updatedAt: ctx.clock.now() })
        .catch(() => {});
    return result;
  };
  for (const { step, module } of plan) {
    const stopped = ctx.budget.spentReason();
    if (stopped) {
      return endEarly({
        status: 'Not Completed',
        error: stopped,
        reason: failureReason(new BudgetSpentError(stopped)).reason,
      });
    }
    const stepId = await startStep(ctx.db, {
      cycleId: ctx.cycleId,
      operation: step.operation,
      objectType: step.objectType,
      ...(step.objectType === 'Custom Objects' && { sobject: step.sobject }),
      at: ctx.clock.now(),
    });
    let status: FinishedStatus = 'Completed';
    let error: string | undefined;
    let failure: FailureReason | undefined;
    const marker = incompleteMarkers.step(step);
    const resume =
      !ctx.record && (cycleMarker !== undefined || (await ctx.db.cursors.get(marker)) !== undefined);
    const warnings: string[] = [];
    try {
      await module.run({ ...stepContext(ctx, step, stepId, warnings), resume });
    } catch (caught) {
      failure = failureReason(caught);
      // A log error's own message is terse (Chromium's quota abort: "QuotaExceededError "): keep
      // the names of what it wraps.
      error = isStorageFailure(failure)
        ? failure.raw
        : caught instanceof Error
          ? caught.message
          : String(caught);
      status =
        caught instanceof BudgetSpentError || caught instanceof LeaseLostError
          ? 'Not Completed'
          : caught instanceof PurgedError
            ? 'Purged'
            : 'Failed';
      ctx.log(`${step.operation} ${step.objectType}: ${status}: ${error}`);
    }
    const reason = failure && failure.kind !== 'other' ? failure.reason : undefined;
    const end = { ...(error !== undefined && { error }), ...(reason !== undefined && { reason }) };
    // When the log cannot take the step's end either, the error goes up to the engine, which keeps
    // the step's reason for the next cycle's recovery (lib/sync/unwrittenEnds.ts).
    const finish = { status, at: ctx.clock.now(), ...end, ...(warnings.length > 0 && { warnings }) };
    await finishStep(ctx.db, stepId, finish).catch((closing: unknown) => {
      throw new StepEndNotWritten(stepId, end, closing);
    });
    // A step that did not complete runs in full next time even if the change probe sees nothing
    // new: its unfinished work (e.g. a purged conversion) is older than the probe's watermark.
    if (!ctx.record) {
      if (status === 'Completed') await ctx.db.cursors.delete(marker);
      else
        await ctx.db.cursors
          .put({ key: marker, value: status, updatedAt: ctx.clock.now() })
          .catch((marking: unknown) => {
            throw new StepEndNotWritten(stepId, end, marking);
          });
    }
    if (status === 'Not Completed') return endEarly({ status, ...end });
    // The log cannot be written: later steps could record nothing either; the cycle stops here.
    const stepError = `${step.operation} ${step.objectType}: ${error}`;
    if (failure && isStorageFailure(failure))
      return endEarly({ status: 'Failed', error: stepError, reason: failure.reason });
    if (status !== 'Completed' && failed === undefined) {
      failed = stepError;
      failedReason = reason;
    }
  }
  // Every step ran; each one that did not complete keeps its own marker.
  if (cycleMarker) await ctx.db.cursors.delete(incompleteMarkers.cycle);
  return failed
    ? { status: 'Failed', error: failed, ...(failedReason !== undefined && { reason: failedReason }) }
    : { status: 'Completed' };
}
