import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { decideBrowser } from './findBrowser';
import { machineFacts } from './machineFacts';

/**
 * The test/demo build (`npm run build:test`): it also matches http://127.0.0.1 and localhost.
 * WXT_OUT_DIR (see wxt.config.ts) moves it, so that parallel work builds into separate directories.
 */
export const TEST_BUILD_DIR =
  process.env.EXTENSION_DIR ??
  resolve(process.env.WXT_OUT_DIR ?? resolve(import.meta.dirname, '../.output'), 'chrome-mv3-test');

/** The Chromium `npm run browser` settled on (scripts/findBrowser.ts); it installs one if needed. */
export function chromePath(): string {
  const decision = decideBrowser(machineFacts());
  if (decision.kind === 'use') return decision.path;
  throw new Error(
    decision.kind === 'stop' ? decision.message : 'No Chromium found: run "npm run browser" to install it',
  );
}

export interface LoadedExtension {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Whether installing the extension opened its options page (the first-run experience). */
  openedOptionsOnInstall: boolean;
  /** Opens an extension page such as "popup.html" in a new tab. */
  openPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** Launches headless Chromium with the built extension in a fresh profile (DEVELOPERS.md "The machine"). */
export async function launchWithExtension(
  extensionDir = TEST_BUILD_DIR,
  options: { headless?: boolean } = {},
): Promise<LoadedExtension> {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run "npm run build:test" first`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'sss-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromePath(),
    headless: options.headless ?? true,
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  // On install the extension opens its options page (first run); wait for it so that it cannot
  // take over a tab a test opens next. A new page's URL is about:blank at first, so poll.
  let firstRunPage: Page | undefined;
  for (let waited = 0; !firstRunPage && waited < 10_000; waited += 100) {
    firstRunPage = context.pages().find((page) => page.url().endsWith('/options.html'));
    if (!firstRunPage) await new Promise((r) => setTimeout(r, 100));
  }
  await firstRunPage?.close();
  return {
    context,
    worker,
    extensionId,
    openedOptionsOnInstall: firstRunPage !== undefined,
    async openPage(path: string) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Stops every service worker as Chrome does when idle (browser-facts.md). */
export async function stopServiceWorkers(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}
