import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounters } from '../../lib/db/types';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { registerPanelSelector, revealPanel } from './support/closedPanel';
import { putRows } from './support/idb';
import { screenshotPath } from './support/screenshots';
import { type LocalServer, serveLocal } from './support/server';

// Two leads: one the log knows as synced (given by its 15-character id in the URL), one unknown.
const SYNCED_15 = '00Q5e00000AbCdE';
const SYNCED_18 = '00Q5e00000AbCdEEAV';
const OTHER_18 = '00Q5e00000XyZaBEAV';

/** A minimal Lightning-like app: record pages that navigate with history.pushState. */
const lightningPage = () => `<!doctype html><html><body>
<h1 id="title"></h1>
<a id="to-other" href="/lightning/r/Lead/${OTHER_18}/view">Other lead</a>
<a id="to-list" href="/lightning/o/Lead/list">Leads</a>
<script>
  const render = () => { document.getElementById('title').textContent = location.pathname; };
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a'); if (!a) return;
    e.preventDefault(); history.pushState({}, '', a.getAttribute('href')); render();
  });
  render();
</script></body></html>`;

describe('record panel', () => {
  let ext: LoadedExtension;
  let site: LocalServer;
  beforeAll(async () => {
    await registerPanelSelector();
    ext = await launchWithExtension();
    site = await serveLocal((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(lightningPage());
    });
    // Log one batch in which the first lead was updated by Pull Updates.
    const page = await ext.openPage('popup.html');
    await page.waitForSelector('.empty');
    // The panel shows only on the connected org's pages: this site stands in for its My Domain.
    await page.evaluate(
      (instanceUrl) =>
        chrome.storage.local.set({ connections: { salesforce: { mode: 'session', instanceUrl } } }),
      site.url,
    );
    const at = Date.now() - 60_000;
    await putRows(page, {
      cycles: [
        {
          id: 7,
          trigger: 'schedule',
          startedAt: at,
          endedAt: at + 1000,
          status: 'Completed',
          totals: emptyCounters(),
          apiCalls: { salesforce: 2, marketo: 1 },
        },
      ],
      steps: [
        {
          ...emptyCounters(),
          id: 70,
          cycleId: 7,
          operation: 'Pull Updates',
          objectType: 'Person',
          status: 'Completed',
          startedAt: at,
          endedAt: at + 900,
          endSort: at + 900,
          updated: 1,
        },
      ],
      recordEvents: [
        {
          id: 1,
          cycleId: 7,
          stepId: 70,
          at,
          operation: 'Pull Updates',
          objectType: 'Person',
          sfIds: [SYNCED_18],
          failedCount: 0,
          outcomes: [
            {
              sfId: SYNCED_18,
              mktoId: 4711,
              name: '<img src=x onerror="window.__pwned=1">Ada',
              outcome: 'updated',
              changes: [{ field: 'Title', old: 'CTO', new: 'CEO' }],
            },
          ],
        },
      ],
    });
    await page.close();
  });
  afterAll(async () => {
    await site?.close();
    await ext?.close();
  });

  it('shows the record’s flags on a record page given a 15-character id, as text', async () => {
    const page = await ext.context.newPage();
    await revealPanel(page);
    await page.goto(`${site.url}/lightning/r/Lead/${SYNCED_15}/view`);
    const panel = page.locator('syncpanel=.panel');
    await expect.poll(() => panel.getAttribute('data-state')).toBe('synced');
    const text = await panel.textContent();
    expect(text).toContain('Synced');
    expect(text).toContain(SYNCED_18);
    expect(text).toContain('4711');
    expect(text).toContain('Title: CTO → CEO');
    expect(text).toContain('<img src=x onerror="window.__pwned=1">Ada');
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: screenshotPath('record-panel-foundation.png') });
    await page.close();
  });

  it('follows in-page navigation to another record, and leaves non-record pages', async () => {
    const page = await ext.context.newPage();
    await revealPanel(page);
    await page.goto(`${site.url}/lightning/r/Lead/${SYNCED_18}/view`);
    const panel = page.locator('syncpanel=.panel');
    await expect.poll(() => panel.getAttribute('data-state')).toBe('synced');
    await page.click('#to-other');
    await expect.poll(async () => (await panel.textContent()) ?? '').toContain(OTHER_18);
    // A lead the log has never seen has no Marketo person yet.
    expect(await panel.getAttribute('data-state')).toBe('not-linked');
    expect(await panel.textContent()).toContain('Not linked');
    await page.click('#to-list');
    await expect.poll(() => page.locator('sync-status-panel').count()).toBe(0);
    await page.close();
  });
});
