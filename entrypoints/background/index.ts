import { setupStorageAccess } from '../../components/storage/access';
import { setupClients } from './clients';
import { setupConnections } from './connections';
import { setupDashboard } from './dashboard';
import { setupExport } from './export';
import { setupLifecycle } from './lifecycle';
import { setupLogMessages, setupLogSource } from './logSource';
import { setupMessaging } from './messaging';
import { setupPopupView } from './popupView';
import { setupRecordPanel } from './recordPanel';
import { setupScheduler } from './scheduler';
import { setupSyncCommands } from './syncCommands';

// Wiring only: one setup module per feature, each in this directory (WXT takes index.ts as the
// background entrypoint; its siblings are plain modules). Every listener is registered
// synchronously during this call, so an alarm or a message that wakes a stopped worker finds it.
export default defineBackground(() => {
  setupStorageAccess();
  const clients = setupClients();
  const scheduler = setupScheduler(clients);
  const sources = setupLogSource(clients, scheduler);
  const router = setupMessaging(sources);
  setupLogMessages(router, sources);
  setupSyncCommands(router, scheduler, sources);
  setupRecordPanel(router, clients, scheduler, sources);
  setupPopupView(router, clients, sources);
  setupExport(router, sources);
  setupConnections(router, clients);
  setupDashboard(router, scheduler, sources);
  setupLifecycle(scheduler, clients.store);
});
