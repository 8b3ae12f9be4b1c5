// A cycle whose log could not be written (browser storage full), as the popup shows it in Chromium:
// the plain reason under the failed step's row, on its cycle's header and in the popup's header,
// the raw error behind a disclosure. And Chromium's own quota failure, checked against what the
// Node tests simulate (tests/support/quotaIndexedDb.ts): every request succeeds, then the
// transaction aborts at commit with a QuotaExceededError, nothing of it is kept, and a small write
// after it still fits.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_FULL_REASON } from '../../lib/sync/failureReason';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { CONNECTIONS, cycle, MINUTE, step } from './popup.fixtures';
import { registerPanelSelector, revealPanel } from './support/closedPanel';
import { putRows } from './support/idb';
import { screenshotPath } from './support/screenshots';
import { serveLocal } from './support/server';

/** The raw error the engine stores for Chromium's quota abort (its DOMException has no message). */
const RAW = 'AbortError: QuotaExceededError';
const LEAD = '00Q5e00000AbCdEEAV';

describe('popup: why a cycle failed', () => {
  let ext: LoadedExtension;
  let page: Page;
  const now = Date.now();

  beforeAll(async () => {
    await registerPanelSelector();
    ext = await launchWithExtension();
    page = await ext.openPage('popup.html');
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForSelector('.empty');
    await page.evaluate((connections) => chrome.storage.local.set({ connections }), CONNECTIONS);
    const startedAt = now - 10 * MINUTE;
    await putRows(page, {
      cycles: [
        cycle(1, startedAt - 20 * MINUTE),
        cycle(2, startedAt, { status: 'Failed', error: RAW, reason: STORAGE_FULL_REASON }),
      ],
      steps: [
        {
          ...step(1, 1, 'Pull Updates', 'Person', startedAt - 20 * MINUTE, {
            status: 'Not Completed',
            endedAt: startedAt - 19 * MINUTE,
          }),
          error: 'Interrupted: the worker stopped during this step',
        },
        step(2, 2, 'Sync Schema', 'Person', startedAt, { status: 'Completed', endedAt: startedAt + 1000 }),
        {
          ...step(3, 2, 'Pull Updates', 'Person', startedAt + 2000, {
            status: 'Failed',
            endedAt: startedAt + MINUTE,
          }),
          new: 300,
          error: RAW,
          reason: STORAGE_FULL_REASON,
        },
      ],
      // A lead the first cycle synced (the record panel's test).
      recordEvents: [
        {
          id: 1,
          cycleId: 1,
          stepId: 1,
          at: startedAt - 19 * MINUTE,
          operation: 'Pull Updates',
          objectType: 'Person',
          sfIds: [LEAD],
          failedCount: 0,
          outcomes: [{ sfId: LEAD, mktoId: 4711, name: 'Ada Lovelace', outcome: 'updated' }],
        },
      ],
    });
    await page.reload();
    await page.waitForSelector('table.steps');
  });
  afterAll(async () => {
    await ext?.close();
  });

  it('shows the plain reason under the failed step, the raw error behind a closed disclosure', async () => {
    const reason = page.locator('tr[data-reason-for="3"]');
    await expect.poll(() => reason.locator('.plain').textContent()).toBe(STORAGE_FULL_REASON);
    const details = reason.locator('details');
    expect(await details.getAttribute('open')).toBeNull();
    expect(await reason.locator('code').isVisible()).toBe(false);
    await details.locator('summary').click();
    expect(await reason.locator('code').isVisible()).toBe(true);
    expect(await reason.locator('code').textContent()).toBe(RAW);
    // A completed step has no reason row; an interrupted one says so, with nothing more to disclose.
    expect(await page.$('tr[data-reason-for="2"]')).toBeNull();
    const interrupted = page.locator('tr[data-reason-for="1"]');
    expect(await interrupted.textContent()).toBe('Interrupted: the worker stopped during this step');
    expect(await interrupted.locator('details').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('popup-storage-full.png') });
  });

  it('says it on the cycle header and in the popup header too', async () => {
    const header = page.locator('tr.cycle-row[data-group-cycle="2"] .failure-reason .plain');
    expect(await header.textContent()).toBe(STORAGE_FULL_REASON);
    const answer = await page.evaluate(() =>
      chrome.runtime.sendMessage({ channel: 'salesforce-sync-status', type: 'getSyncState', data: {} }),
    );
    // The header's line comes from the background's sync state (the last cycle it logged).
    expect(answer?.ok, JSON.stringify(answer)).toBe(true);
    const last = page.locator('[data-testid="last-cycle-reason"]');
    await expect.poll(() => last.locator('.plain').textContent()).toBe(STORAGE_FULL_REASON);
    await last.locator('summary').click();
    expect(await last.locator('code').textContent()).toBe(RAW);
  });

  it('the record panel says the last cycle failed and why, the raw error behind a disclosure', async () => {
    const site = await serveLocal((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><body><h1>Lead</h1></body></html>');
    });
    // The panel shows only on the connected org's pages: this site stands in for its My Domain.
    await page.evaluate(
      ({ connections, instanceUrl }) =>
        chrome.storage.local.set({
          connections: { ...connections, salesforce: { ...connections.salesforce, instanceUrl } },
        }),
      { connections: CONNECTIONS, instanceUrl: site.url },
    );
    const record = await ext.context.newPage();
    try {
      await revealPanel(record);
      await record.goto(`${site.url}/lightning/r/Lead/${LEAD}/view`);
      const problem = record.locator('syncpanel=[data-testid="cycle-problem"]');
      await expect.poll(() => problem.locator('.plain').textContent()).toBe(STORAGE_FULL_REASON);
      expect(await problem.textContent()).toMatch(/^Last sync cycle failed: /);
      expect(await problem.locator('code').isVisible()).toBe(false);
      await problem.locator('summary').click({ force: true });
      expect(await problem.locator('code').textContent()).toBe(RAW);
      await record.screenshot({ path: screenshotPath('record-panel-storage-full.png') });
    } finally {
      await record.close();
      await site.close();
    }
  });

  it("Chromium's quota failure is the one the Node tests simulate", async () => {
    // A plain web page on loopback (CDP's quota override does not reach the extension's own origin:
    // Chromium keeps answering it the disk-sized quota); IndexedDB's commit path is the same.
    const server = await serveLocal((_req, res) => res.end('<!doctype html><title>quota</title>'));
    const probe = await ext.context.newPage();
    try {
      await probe.goto(server.url);
      const cdp = await ext.context.newCDPSession(probe);
      const origin = server.url;
      const { usage } = (await cdp.send('Storage.getUsageAndQuota', { origin })) as { usage: number };
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 500_000 });
      const seen = await probe.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('quota-probe');
          open.onupgradeneeded = () => open.result.createObjectStore('cursors', { keyPath: 'key' });
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const write = (value: string) =>
          new Promise<{ request: string; aborted?: string; message?: string }>((resolve) => {
            const tx = db.transaction('cursors', 'readwrite');
            const request = tx.objectStore('cursors').put({ key: 'probe', value, updatedAt: 0 });
            let requestOutcome = 'pending';
            request.onsuccess = () => {
              requestOutcome = 'success';
            };
            request.onerror = (e) => {
              requestOutcome = `error ${request.error?.name}`;
              e.preventDefault();
            };
            tx.oncomplete = () => resolve({ request: requestOutcome });
            tx.onabort = () =>
              resolve({ request: requestOutcome, aborted: tx.error?.name, message: tx.error?.message });
          });
        // Random bytes: Chromium compresses large values, so a repeated character would fit.
        const random = new Uint8Array(3_000_000);
        for (let i = 0; i < random.length; i += 65_536)
          crypto.getRandomValues(random.subarray(i, i + 65_536));
        const big = await write(btoa(Array.from(random, (b) => String.fromCharCode(b)).join('')));
        const kept = await new Promise<unknown>((resolve) => {
          const get = db.transaction('cursors').objectStore('cursors').get('probe');
          get.onsuccess = () => resolve(get.result);
        });
        const small = await write('x');
        db.close();
        return { big, kept: kept !== undefined, small };
      });
      // Chromium 156: the request succeeded; the abort's DOMException has no message.
      expect(seen.big).toEqual({ request: 'success', aborted: 'QuotaExceededError', message: '' });
      expect(seen.kept).toBe(false);
      expect(seen.small).toEqual({ request: 'success' });
    } finally {
      await probe.close();
      await server.close();
    }
  });
});
