import { syncLog } from '../../lib/db/instance';
import { createSyncErrorsExport } from '../../lib/export/syncErrorsExport';
import type { MessageRouter } from '../../lib/messaging/router';
import type { SettingsStore } from '../../lib/settings/store';

/** The failures CSV (exportSyncErrors) for the popup and the dashboard. */
export function setupExport(router: MessageRouter, { store }: { store: SettingsStore }): void {
  router.onMessage(
    'exportSyncErrors',
    createSyncErrorsExport({
      db: syncLog,
      instanceUrl: async () => (await store.getConnections()).salesforce.instanceUrl,
      isAdmin: async () => (await store.getConnections()).salesforce.user?.isAdmin,
      now: () => Date.now(),
    }),
  );
}
