import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { CONNECTIONS } from './popup.fixtures';
import { screenshotPath } from './support/screenshots';

describe('popup states', () => {
  let ext: LoadedExtension;
  let page: Page;
  beforeAll(async () => {
    ext = await launchWithExtension();
    page = await ext.openPage('popup.html');
    await page.setViewportSize({ width: 800, height: 600 });
  });
  afterAll(async () => {
    await ext?.close();
  });

  it('on a fresh install: an empty log, "Not connected" and a way to the options page', async () => {
    await expect.poll(() => page.textContent('.empty')).toBe('No sync cycles yet');
    expect(await page.textContent('[data-testid="not-connected"]')).toContain('Not connected');
    expect(await page.isDisabled('button:text("Sync now")')).toBe(true);
    await page.screenshot({ path: screenshotPath('popup-not-connected.png') });
    const [options] = await Promise.all([
      ext.context.waitForEvent('page'),
      page.click('button:text("Open options")'),
    ]);
    await expect.poll(() => options.url()).toMatch(/\/options\.html$/);
    await options.close();
  });

  it('shows the background sync state, or "Background not answering" when it gives none', async () => {
    await page.evaluate((connections) => chrome.storage.local.set({ connections }), CONNECTIONS);
    await expect.poll(() => page.textContent('.connections')).toContain('acme.my.salesforce.com');
    const answer = await page.evaluate(() =>
      chrome.runtime.sendMessage({ channel: 'salesforce-sync-status', type: 'getSyncState', data: {} }),
    );
    if (answer?.ok) {
      await expect.poll(() => page.textContent('[data-testid="last-cycle"]')).toBe('Last cycle: none yet');
      expect(await page.$('[data-testid="background-problem"]')).toBeNull();
    } else {
      await expect
        .poll(() => page.textContent('[data-testid="background-problem"]'))
        .toContain('Background not answering');
      expect(await page.textContent('[data-testid="last-cycle"]')).toBe('Last cycle: unknown');
      expect(await page.isDisabled('button:text("Sync now")')).toBe(true);
    }
  });

  it('shows a Salesforce user without admin permissions "Admin permissions required" and nothing else', async () => {
    const user = { ...CONNECTIONS.salesforce.user, isAdmin: false };
    await page.evaluate((connections) => chrome.storage.local.set({ connections }), {
      ...CONNECTIONS,
      salesforce: { ...CONNECTIONS.salesforce, user },
    });
    await expect.poll(() => page.innerText('body')).toBe('Admin permissions required');
    expect(await page.$('table')).toBeNull();
    await page.screenshot({ path: screenshotPath('popup-admin-required.png') });
    // Reopening the popup never shows the log first.
    const fresh = await ext.openPage('popup.html');
    await fresh.waitForSelector('.admin-required');
    expect(await fresh.innerText('body')).toBe('Admin permissions required');
    await fresh.close();
  });

  it('names the field when the stored connection settings are invalid', async () => {
    await page.evaluate(() =>
      chrome.storage.local.set({ connections: { salesforce: { instanceUrl: 'javascript:alert(1)' } } }),
    );
    await expect
      .poll(() => page.textContent('[data-testid="settings-error"]'))
      .toMatch(/salesforce\.instanceUrl: not a Salesforce URL/);
  });
});
