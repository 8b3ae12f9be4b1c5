// A worker stopped mid-cycle leaves its cycle and step rows "In Process" forever. The next cycle
// (holding the lease, so the old one is surely dead) closes them as Not Completed: their work
// resumes from the checkpoints their committed batches left.
import type { SyncLogDatabase } from '../db/database';
import { finishCycle } from '../db/lifecycle';

export async function recoverInterrupted(db: SyncLogDatabase, now: number): Promise<number> {
  const steps = await db.steps
    .where('[status+startedAt+id]')
    .between(['In Process', -Infinity, -Infinity], ['In Process', Infinity, Infinity])
    .toArray();
  for (const step of steps) {
    await db.steps.update(step.id, {
      status: 'Not Completed',
      endedAt: now,
      endSort: now,
      error: 'Interrupted: the worker stopped during this step',
    });
  }
  const cycles = await db.cycles.orderBy('startedAt').reverse().limit(20).toArray();
  for (const cycle of cycles.filter((c) => c.status === 'In Process')) {
    await finishCycle(db, cycle.id, {
      status: 'Not Completed',
      at: now,
      apiCalls: cycle.apiCalls,
      error: 'Interrupted: the worker stopped during this cycle',
    });
  }
  return steps.length;
}
