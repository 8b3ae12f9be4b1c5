import type { MessageRouter } from '../../lib/messaging/router';
import type { Scheduler } from './scheduler';

/** Sync now, Check both sides now, a record's Sync now, pause and resume, and the sync state. */
export function setupSyncCommands(router: MessageRouter, scheduler: Scheduler): void {
  router.onMessage('getSyncState', () => scheduler.state());
  router.onMessage('syncNow', () => scheduler.syncNow());
  router.onMessage('reconcileNow', () => scheduler.reconcileNow());
  router.onMessage('syncRecord', ({ objectType, recordId }) =>
    scheduler.syncRecord({ objectType, id: recordId }),
  );
  router.onMessage('setPaused', ({ paused }) => scheduler.setPaused(paused));
}
