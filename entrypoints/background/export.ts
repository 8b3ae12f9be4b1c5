import { syncLog } from '../../lib/db/instance';
import { createSyncErrorsExport } from '../../lib/export/syncErrorsExport';
import type { MessageRouter } from '../../lib/messaging/router';
import type { SettingsStore } from '../../lib/settings/store';
import type { WorkerLogSource } from './logSource';

/** The failures CSV of this browser's log (the log source of browser mode). */
export function localExport(store: SettingsStore) {
  return createSyncErrorsExport({
    db: syncLog,
    instanceUrl: async () => (await store.getConnections()).salesforce.instanceUrl,
    isAdmin: async () => (await store.getConnections()).salesforce.user?.isAdmin,
    now: () => Date.now(),
  });
}

/** The failures CSV (exportSyncErrors) for the popup and the dashboard: this browser's or the service's. */
export function setupExport(router: MessageRouter, sources: WorkerLogSource): void {
  router.onMessage('exportSyncErrors', async (request) =>
    (await sources.current()).exportSyncErrors(request),
  );
}
