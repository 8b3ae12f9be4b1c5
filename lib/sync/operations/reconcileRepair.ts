// The repair half of Reconcile (reconcile.ts): the drifted records it queued are re-read by id at
// the start of the next Pull Updates (Salesforce ids, per object) and Push Updates (Marketo ids).
// Reconcile already corrected their sync state to what each side really holds, so the normal
// classification sees the difference and writes it; a record that meanwhile agrees is skipped.
// The queues are cursor rows; each chunk's commit leaves the rest of the queue, so a stopped step
// goes on where it was (a chunk redone is idempotent: written rows hash as unchanged).
import type { StepContext } from '../context';
import { reconcileKeys } from '../reconcileSchedule';
import { chunks } from './common';

/** Salesforce ids per Pull Updates read (an `Id IN (…)` of 200 keeps the query URI short). */
const PULL_CHUNK = 200;

/** Pull Updates: reads the queued drifted records of its object through `read`, chunk by chunk. */
export async function pullDrifted(ctx: StepContext, read: (ids: string[]) => Promise<void>): Promise<void> {
  if (ctx.record) return;
  const key = reconcileKeys.repairPull(ctx.step.sobject);
  const stored = await ctx.db.cursors.get(key);
  if (!stored) return;
  const batches = chunks(JSON.parse(stored.value) as string[], PULL_CHUNK);
  for (const [i, ids] of batches.entries()) {
    await read(ids);
    const rest = batches.slice(i + 1).flat();
    await ctx.commit({
      outcomes: [],
      extraCursors: [{ key, value: rest.length ? JSON.stringify(rest) : null }],
    });
  }
}

/**
 * Push Updates: the queued drifted persons (read with its retries), and how to leave the queue
 * after: `rest` are the persons of the other object, left for its own step (one step per object).
 */
export async function pushDrifted(
  ctx: StepContext,
): Promise<{ ids: number[]; done: (rest: number[]) => Promise<void> }> {
  const stored = ctx.record ? undefined : await ctx.db.cursors.get(reconcileKeys.repairPush);
  const ids = stored ? (JSON.parse(stored.value) as number[]) : [];
  return {
    ids,
    done: async (rest) => {
      if (ids.length && rest.length < ids.length) {
        const value = rest.length ? JSON.stringify(rest) : null;
        await ctx.commit({ outcomes: [], extraCursors: [{ key: reconcileKeys.repairPush, value }] });
      }
    },
  };
}
