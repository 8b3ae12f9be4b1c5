import type { MessageRouter } from '../../lib/messaging/router';
import { refusedInServiceMode } from '../../lib/serviceMode/logSource';
import type { WorkerLogSource } from './logSource';
import type { Scheduler } from './scheduler';

/**
 * Sync now, Check both sides now, a record's Sync now, pause and resume, and the sync state: this
 * browser's scheduler, or the service's in service mode (issue 21), which runs no Reconcile on
 * demand and no one-record cycles.
 */
export function setupSyncCommands(
  router: MessageRouter,
  scheduler: Scheduler,
  sources: WorkerLogSource,
): void {
  router.onMessage('getSyncState', async () => (await sources.current()).state());
  router.onMessage('syncNow', async () => (await sources.current()).syncNow());
  router.onMessage('reconcileNow', async () => {
    const { service } = await sources.current();
    return service ? refusedInServiceMode('Check both sides now', service) : scheduler.reconcileNow();
  });
  router.onMessage('syncRecord', async ({ objectType, recordId }) => {
    const { service } = await sources.current();
    if (service) return refusedInServiceMode('Sync now of one record', service);
    return scheduler.syncRecord({ objectType, id: recordId });
  });
  router.onMessage('setPaused', async ({ paused }) => (await sources.current()).setPaused(paused));
}
