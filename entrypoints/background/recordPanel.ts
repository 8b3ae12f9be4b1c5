import { loadPanelUi, savePanelUi } from '../../components/storage/panelUi';
import { syncLog } from '../../lib/db/instance';
import { systemClock } from '../../lib/http/ports';
import type { MessageRouter } from '../../lib/messaging/router';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import type { WorkerClients } from './clients';
import type { Scheduler } from './scheduler';
import { userTimeZone } from './userTimeZone';

/** Answers the record panel on Salesforce record pages (getRecordStatus, its UI state). */
export function setupRecordPanel(
  router: MessageRouter,
  { store, connectedClients }: WorkerClients,
  scheduler: Scheduler,
): void {
  const recordPanelStatus = createRecordPanelService({
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
  router.onMessage('getRecordStatus', (request) => recordPanelStatus(request));
  // Replay as the sync user (lib/sync/replay.ts): admins only, like everything the panel shows.
  router.onMessage('replayRecord', async ({ objectType, recordId }) => {
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
