// The repair half of Reconcile (reconcile.ts): the drifted records it queued are re-read by id at
// the start of the next Pull Updates (Salesforce ids, per object) and Push Updates (Marketo ids).
// Reconcile already corrected their sync state to what each side really holds, so the normal
// classification sees the difference and writes it; a record that meanwhile agrees is skipped.
// The queues are cursor rows; each chunk's commit leaves the rest of the queue, so a stopped step
// goes on where it was (a chunk redone is idempotent: written rows hash as unchanged).
// Each record written this way also counts as repaired on the Reconcile step that found it (its
// id is kept with the queues): the admin sees compared, drifted and repaired on that one row. The
// count is added after the chunk's commit, so a worker stopped in between leaves it one chunk short
// (the repair itself is not lost).
import type { PackedOutcome } from '../../db/types';
import type { StepContext } from '../context';
import { reconcileKeys } from '../reconcileSchedule';
import { chunks } from './common';

/** Salesforce ids per Pull Updates read (an `Id IN (…)` of 200 keeps the query URI short). */
const PULL_CHUNK = 200;

const written = (o: PackedOutcome) => o.outcome === 'updated' || o.outcome === 'new';

/** A context whose commits also count the queued records they write, for the Reconcile step's row. */
function counting(ctx: StepContext, queued: (o: PackedOutcome) => boolean) {
  let repaired = 0;
  const counted: StepContext = {
    ...ctx,
    async commit(batch) {
      await ctx.commit(batch);
      repaired += batch.outcomes.filter((o) => written(o) && queued(o)).length;
    },
  };
  return {
    ctx: counted,
    /** Adds what was written since the last call to the Reconcile step's `repaired`. */
    async flush() {
      if (repaired === 0) return;
      const n = repaired;
      repaired = 0;
      const stepId = Number((await ctx.db.cursors.get(reconcileKeys.repairStep))?.value);
      if (!Number.isInteger(stepId)) return;
      await ctx.db.steps
        .where('id')
        .equals(stepId)
        .modify((step) => {
          step.repaired = (step.repaired ?? 0) + n;
        });
    },
  };
}

/** Pull Updates: reads the queued drifted records of its object through `read`, chunk by chunk. */
export async function pullDrifted(
  ctx: StepContext,
  read: (ctx: StepContext, ids: string[]) => Promise<void>,
): Promise<void> {
  if (ctx.record) return;
  const key = reconcileKeys.repairPull(ctx.step.sobject);
  const stored = await ctx.db.cursors.get(key);
  if (!stored) return;
  const batches = chunks(JSON.parse(stored.value) as string[], PULL_CHUNK);
  for (const [i, ids] of batches.entries()) {
    const queued = new Set(ids);
    const repair = counting(ctx, (o) => queued.has(o.sfId));
    await read(repair.ctx, ids);
    const rest = batches.slice(i + 1).flat();
    await ctx.commit({
      outcomes: [],
      extraCursors: [{ key, value: rest.length ? JSON.stringify(rest) : null }],
    });
    await repair.flush();
  }
}

/**
/**
 * Push Updates: the queued drifted persons (read with its retries, through `ctx` of the answer so
 * that their writes are counted as repairs), and how to leave the queue after: `rest` are the
 * persons of the other object, left for its own step (one step per object).
 */
export async function pushDrifted(
  ctx: StepContext,
): Promise<{ ids: number[]; ctx: StepContext; done: (rest: number[]) => Promise<void> }> {
  const stored = ctx.record ? undefined : await ctx.db.cursors.get(reconcileKeys.repairPush);
  const ids = stored ? (JSON.parse(stored.value) as number[]) : [];
  const queued = new Set(ids);
  const repair = counting(ctx, (o) => o.mktoId !== undefined && queued.has(o.mktoId));
  return {
    ids,
    ctx: ids.length ? repair.ctx : ctx,
    done: async (rest) => {
      if (ids.length && rest.length < ids.length) {
        const value = rest.length ? JSON.stringify(rest) : null;
        await ctx.commit({ outcomes: [], extraCursors: [{ key: reconcileKeys.repairPush, value }] });
      }
      await repair.flush();
    },
  };
}
