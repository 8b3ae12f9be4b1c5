import { loadPanelUi, savePanelUi } from '../../components/storage/panelUi';
import { syncLog } from '../../lib/db/instance';
import { systemClock } from '../../lib/http/ports';
import type { MessageRouter } from '../../lib/messaging/router';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import { refusedInServiceMode } from '../../lib/serviceMode/logSource';
import type { WorkerClients } from './clients';
import type { WorkerLogSource } from './logSource';
import type { Scheduler } from './scheduler';
import { userTimeZone } from './userTimeZone';

/** The record panel's answer from this browser's log (the log source of browser mode). */
export function localRecordPanel({ store, connectedClients }: WorkerClients, scheduler: Scheduler) {
  return createRecordPanelService({
    db: syncLog,
    settings: () => store.getSettings(),
    isAdmin: async () => (await store.getConnections()).salesforce.user?.isAdmin,
    timeZone: userTimeZone,
    pending: createPendingChecker({
      db: syncLog,
      clock: systemClock,
      salesforce: async () => {
        const clients = await connectedClients();
        return clients.ok ? clients.salesforce : `not connected (${clients.missing.join(', ')})`;
      },
    }),
    syncing: (sfId) => scheduler.recordSync(sfId),
  });
}

/**
 * Answers the record panel on Salesforce record pages (getRecordStatus, its UI state): from this
 * browser's log, or from the service's in service mode (issue 21).
 */
export function setupRecordPanel(
  router: MessageRouter,
  { store }: WorkerClients,
  scheduler: Scheduler,
  sources: WorkerLogSource,
): void {
  router.onMessage('getRecordStatus', async (request) => (await sources.current()).recordStatus(request));
  // Replay as the sync user (lib/sync/replay.ts): admins only, like everything the panel shows.
  router.onMessage('replayRecord', async ({ objectType, recordId }) => {
    const { service } = await sources.current();
    if (service) return refusedInServiceMode('Replay as the sync user', service);
    if ((await store.getConnections()).salesforce.user?.isAdmin === false)
      throw new Error('Admin permissions required');
    return scheduler.replay({ objectType, id: recordId });
  });
  router.onMessage('getPanelUi', () => loadPanelUi());
  router.onMessage('savePanelUi', async (state) => {
    await savePanelUi(state);
    return null;
  });
}
