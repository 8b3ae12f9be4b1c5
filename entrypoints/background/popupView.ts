import { popupViewItem } from '../../components/storage/published';
import { connectionTestItem } from '../../components/storage/worker';
import { readPopupView } from '../../lib/messaging/popupView';
import type { MessageRouter } from '../../lib/messaging/router';
import { servicePopupView } from '../../lib/serviceMode/popupView';
import type { SettingsStore } from '../../lib/settings/store';
import type { WorkerLogSource } from './logSource';
import { publisher } from './publish';
import { userTimeZone } from './userTimeZone';

/**
 * The popup's view of the settings: published in storage.session (popupViewItem) whenever what it
 * is made of changes (the settings, the connections, the last connection test, and in service mode
 * the service's view of its org), so the popup reads it at open; getPopupView answers a popup that
 * finds none (the browser just started, the extension was just updated).
 */
export function setupPopupView(
  router: MessageRouter,
  { store }: { store: SettingsStore },
  sources: WorkerLogSource,
): void {
  const popupView = async () => {
    const view = await readPopupView({
      getSettings: () => store.getSettings(),
      getConnections: () => store.getConnections(),
      timeZone: userTimeZone,
    });
    const connections = await store.getConnections().catch(() => undefined);
    return connections ? servicePopupView(view, connections, sources.lastServiceState()) : view;
  };
  router.onMessage('getPopupView', popupView);
  const publishPopupView = publisher(popupViewItem, popupView);
  publishPopupView();
  store.watchSettings(publishPopupView);
  store.watchConnections(publishPopupView);
  connectionTestItem.watch(publishPopupView);
  sources.onServiceView(publishPopupView);
}
