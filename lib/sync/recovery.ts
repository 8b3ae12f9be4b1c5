// A worker stopped mid-cycle leaves its cycle and step rows "In Process" forever. The next cycle
// (holding the lease, so the old one is surely dead) closes them as Not Completed: their work
// resumes from the checkpoints their committed batches left. A cycle that stopped because the log
// could not take its end (storage full) is closed Failed with that reason instead.
import type { SyncLogDatabase } from '../db/database';
import { finishCycle } from '../db/lifecycle';
import type { UnwrittenEnd } from './unwrittenEnds';

export async function recoverInterrupted(
  db: SyncLogDatabase,
  now: number,
  /** Ends a cycle could not write (storage full), by cycle id: written instead of "worker stopped". */
  unwritten: ReadonlyMap<number, UnwrittenEnd> = new Map(),
): Promise<number> {
  const steps = await db.steps
    .where('[status+startedAt+id]')
    .between(['In Process', -Infinity, -Infinity], ['In Process', Infinity, Infinity])
    .toArray();
  for (const step of steps) {
    const kept = unwritten.get(step.cycleId);
    await db.steps.update(step.id, {
      status: kept ? 'Failed' : 'Not Completed',
      endedAt: now,
      endSort: now,
      ...(kept ? keptEnd(kept) : { error: 'Interrupted: the worker stopped during this step' }),
    });
  }
  // The runner could not mark the steps of a cycle whose end it could not write as unfinished
  // either (same key as runner.ts): without the mark the change probe may skip their rest.
  for (const cycleId of unwritten.keys()) {
    const steps = await db.steps.where('cycleId').equals(cycleId).toArray();
    for (const step of steps.filter((s) => s.status !== 'Completed')) {
      const key = `incomplete:${step.operation}:${step.objectType}`;
      await db.cursors.put({ key, value: step.status, updatedAt: now });
    }
  }
  const cycles = await db.cycles.orderBy('startedAt').reverse().limit(20).toArray();
  for (const cycle of cycles.filter((c) => c.status === 'In Process')) {
    const kept = unwritten.get(cycle.id);
    await finishCycle(db, cycle.id, {
      status: kept ? 'Failed' : 'Not Completed',
      at: now,
      apiCalls: cycle.apiCalls,
      ...(kept ? keptEnd(kept) : { error: 'Interrupted: the worker stopped during this cycle' }),
    });
  }
  return steps.length;
}

const keptEnd = (end: UnwrittenEnd) => ({
  error: end.error ?? end.reason ?? 'The sync log could not be written',
  ...(end.reason !== undefined && { reason: end.reason }),
});
