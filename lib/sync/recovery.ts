// A worker stopped mid-cycle leaves its cycle and step rows "In Process" forever. The next cycle
// (holding the lease, so the old one is surely dead) closes them as Not Completed and marks them
// incomplete (runner.ts): the stopped step, and every step its cycle did not reach, resume from the
// cursors their committed batches left instead of trusting the change probe, whose positions may
// already be past their backlog (design §10).
import type { SyncLogDatabase } from '../db/database';
import { finishCycle } from '../db/lifecycle';
import { incompleteMarkers } from './runner';

export async function recoverInterrupted(db: SyncLogDatabase, now: number): Promise<number> {
  const steps = await db.steps
    .where('[status+startedAt+id]')
    .between(['In Process', -Infinity, -Infinity], ['In Process', Infinity, Infinity])
    .toArray();
  for (const step of steps) {
    await db.cursors.put({ key: incompleteMarkers.step(step), value: 'Not Completed', updatedAt: now });
    await db.steps.update(step.id, {
      status: 'Not Completed',
      endedAt: now,
      endSort: now,
      error: 'Interrupted: the worker stopped during this step',
    });
  }
  const cycles = await db.cycles.orderBy('startedAt').reverse().limit(20).toArray();
  const stopped = cycles.filter((c) => c.status === 'In Process');
  if (stopped.length)
    await db.cursors.put({ key: incompleteMarkers.cycle, value: 'Not Completed', updatedAt: now });
  for (const cycle of stopped) {
    await finishCycle(db, cycle.id, {
      status: 'Not Completed',
      at: now,
      apiCalls: cycle.apiCalls,
      error: 'Interrupted: the worker stopped during this cycle',
    });
  }
  return steps.length;
}
