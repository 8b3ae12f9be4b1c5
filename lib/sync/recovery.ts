// A worker stopped mid-cycle leaves its cycle and step rows "In Process" forever. The next cycle
// (holding the lease, so the old one is surely dead) closes them as Not Completed and marks them
// incomplete (runner.ts): the stopped step, and every step its cycle did not reach, resume from the
// cursors their committed batches left instead of trusting the change probe, whose positions may
// already be past their backlog (docs/engine-cursors.md). A cycle that stopped because the log could
// not take its end (storage full) is closed Failed with that reason instead.

import { finishCycle } from '../db/lifecycle';
import type { LogDatabase } from '../db/logPort';
import { incompleteMarkers } from './runner';
import type { UnwrittenEnd } from './unwrittenEnds';

export async function recoverInterrupted(
  db: LogDatabase,
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
    await db.cursors.put({ key: incompleteMarkers.step(step), value: 'Not Completed', updatedAt: now });
    await db.steps.update(step.id, {
      status: kept ? 'Failed' : 'Not Completed',
      endedAt: now,
      endSort: now,
      ...(kept ? keptEnd(kept) : { error: 'Interrupted: the worker stopped during this step' }),
    });
  }
  // The runner could not mark the steps of a cycle whose end it could not write as unfinished
  // either: without the marks the change probe may skip their rest.
  for (const cycleId of unwritten.keys()) {
    const cycleSteps = await db.steps.where('cycleId').equals(cycleId).toArray();
    for (const step of cycleSteps.filter((s) => s.status !== 'Completed')) {
      await db.cursors.put({ key: incompleteMarkers.step(step), value: step.status, updatedAt: now });
    }
  }
  const cycles = await db.cycles.orderBy('startedAt').reverse().limit(20).toArray();
  const stopped = cycles.filter((c) => c.status === 'In Process');
  if (stopped.length || unwritten.size)
    await db.cursors.put({ key: incompleteMarkers.cycle, value: 'Not Completed', updatedAt: now });
  for (const cycle of stopped) {
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
