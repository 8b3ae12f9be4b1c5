import { type Page, selectors } from 'playwright-core';
import { findPanel } from './shadowPanel';

// The record panel renders in a closed shadow root, so that the Salesforce page's own scripts cannot
// read it (docs/security.md) — and neither can Playwright's locators, which pierce open roots only.
// Tests reach it the way DevTools does: CDP's DOM domain sees closed roots (./shadowPanel.ts). `revealPanel(page)` hands
// the panel's root to the page's main world (as __syncPanelRoot) whenever it is (re)mounted, and
// the `syncpanel=` selector engine queries inside it:
//   page.locator('syncpanel=.panel')
// Test-only: never use it in a test that checks what a page script can see (tests/e2e/attacks.test.ts).
// Clicks need { force: true }: Chromium's hit test stops at the closed root's host.

const ENGINE = 'syncpanel';
let registered: Promise<void> | undefined;

/** Registers the selector engine; must run before the browser context is created. */
export function registerPanelSelector(): Promise<void> {
  registered ??= selectors.register(ENGINE, () => {
    const root = () => {
      const r = (window as { __syncPanelRoot?: ShadowRoot }).__syncPanelRoot;
      return r?.host.isConnected ? r : undefined;
    };
    return {
      query: (_scope: Element, selector: string) => root()?.querySelector(selector) ?? null,
      queryAll: (_scope: Element, selector: string) => [...(root()?.querySelectorAll(selector) ?? [])],
    };
  });
  return registered;
}

/** Keeps the page's main world pointed at the panel's current root until the page closes. */
export async function revealPanel(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  let shown: number | undefined;
  let closed = false;
  page.once('close', () => {
    closed = true;
  });
  const tick = async () => {
    const shadow = (await findPanel(cdp))?.shadow;
    if (!shadow || shadow.backendNodeId === shown) return;
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId });
    await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId!,
      functionDeclaration: 'function () { window.__syncPanelRoot = this; }',
    });
    shown = shadow.backendNodeId;
  };
  void (async () => {
    while (!closed) {
      // A navigation in progress makes a call fail: the next tick tries again.
      await tick().catch(() => {
        shown = undefined;
      });
      await new Promise((r) => setTimeout(r, 100));
    }
    await cdp.detach().catch(() => {});
  })();
}
