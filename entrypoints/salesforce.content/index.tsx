import { render } from 'preact';
import { RecordPanelHost } from '../../components/RecordPanelHost';
import panelCss from '../../components/recordPanel.css?inline';
import { sendPanelMessage } from '../../components/recordPanelClient';
import { MessageError } from '../../lib/messaging/envelope';
import { DEFAULT_PANEL_UI, type PanelUiState } from '../../lib/pages/panelUiState';
import { parseRecordPageUrl } from '../../lib/pages/recordPage';

// Only Lightning pages can be record pages; test and demo builds also match the emulator's
// loopback pages (wxt.config.ts adds those). While idle the script costs nothing: no timers, no
// observers, one listener for Lightning's in-page navigation.
export default defineContentScript({
  // Salesforce serves Lightning on *.lightning.force.com only (My Domain links redirect there).
  matches: ['https://*.lightning.force.com/lightning/*'],
  runAt: 'document_idle',
  async main(ctx) {
    // The background answers only on the connected org's pages (lib/messaging/contentScriptScope.ts):
    // on another org's or origin's pages, or before an org is connected, the panel is not shown.
    let initialUi: PanelUiState;
    try {
      initialUi = await sendPanelMessage('getPanelUi');
    } catch (error) {
      if (error instanceof MessageError && error.code === 'refused-sender') return;
      // Any other failure (the worker could not answer): the panel shows, and its status request
      // says why it has nothing to show.
      initialUi = { ...DEFAULT_PANEL_UI };
    }
    const ui = await createShadowRootUi(ctx, {
      name: 'sync-status-panel',
      position: 'inline',
      anchor: 'body',
      css: panelCss,
      // Closed: the page's own scripts cannot reach into the panel and read the org's data.
      mode: 'closed',
      // Keystrokes typed in the panel must not reach Lightning's keyboard shortcuts.
      isolateEvents: true,
      onMount: (container) => container,
      onRemove(container) {
        if (container) render(null, container);
      },
    });

    // The latest UI state, so that the panel of the next record opens as the last one was left.
    let lastUi = initialUi;
    const show = (url: string) => {
      const page = parseRecordPageUrl(url);
      if (!page) {
        ui.remove();
        return;
      }
      if (!ui.mounted) ui.mount();
      // Keyed by the record so that navigating to another record starts from a clean state.
      render(
        <RecordPanelHost
          key={`${page.objectType}/${page.urlId}`}
          page={page}
          initialUi={lastUi}
          onUiChange={(state) => {
            lastUi = state;
          }}
        />,
        ui.mounted!,
      );
    };

    show(location.href);
    // Lightning navigates in-page; WXT raises this before the URL commits, so read newUrl.
    ctx.addEventListener(window, 'wxt:locationchange', (event) => show(event.newUrl.href));
  },
});
