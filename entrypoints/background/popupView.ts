import { POPUP_VIEW_KEY, POPUP_VIEW_SOURCES, readPopupView } from '../../lib/messaging/popupView';
import type { MessageRouter } from '../../lib/messaging/router';
import type { SettingsStore } from '../../lib/settings/store';
import { publisher } from './publish';
import { userTimeZone } from './userTimeZone';

/**
 * The popup's view of the settings: published in storage.session whenever what it is made of
 * changes, so the popup reads it at open (see POPUP_VIEW_KEY); getPopupView answers a popup that
 * finds none (the browser just started, the extension was just updated).
 */
export function setupPopupView(router: MessageRouter, { store }: { store: SettingsStore }): void {
  const popupView = () =>
    readPopupView({
      getSettings: () => store.getSettings(),
      getConnections: () => store.getConnections(),
      timeZone: userTimeZone,
    });
  router.onMessage('getPopupView', popupView);
  const publishPopupView = publisher(POPUP_VIEW_KEY, popupView);
  publishPopupView();
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && POPUP_VIEW_SOURCES.some((key) => key in changes)) publishPopupView();
  });
}
