import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import {
  connectToEmulator,
  loginToSalesforce,
  readLastCycle,
  sendFromPage,
} from '../../scripts/emulatorSession';
import { registerPanelSelector, revealPanel } from './support/closedPanel';
import { screenshotPath } from './support/screenshots';

// The real thing: the built extension's service worker runs a sync cycle against the emulator
// (browser session cookie for Salesforce, client credentials for Marketo) and the views show it.
describe('a sync cycle in the extension', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let salesforceTab: Page;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    await registerPanelSelector();
    ext = await launchWithExtension();
    salesforceTab = await loginToSalesforce(ext, emu.info);
    await revealPanel(salesforceTab);
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  it('refuses Sync now while not connected, saying why', async () => {
    const page = await ext.openPage('popup.html');
    const answer = (await sendFromPage(page, 'syncNow')) as {
      ok: boolean;
      value: { status: string; reason: string };
    };
    expect(answer.value).toMatchObject({ status: 'refused', reason: 'not-connected' });
    await page.close();
  });

  it('runs a cycle on Sync now and the popup lists its steps', async () => {
    await connectToEmulator(ext, emu.info);
    const page = await ext.openPage('popup.html');
    const answer = (await sendFromPage(page, 'syncNow')) as { ok: boolean; value: { status: string } };
    expect(answer.value.status).toBe('started');
    // The worker's log: the cycle ends Completed, having spent calls on both sides.
    await expect
      .poll(async () => (await readLastCycle(page)).cycle?.endedAt ?? null, {
        timeout: 90_000,
        interval: 500,
      })
      .not.toBeNull();
    const { cycle, steps } = await readLastCycle(page);
    expect(cycle?.status).toBe('Completed');
    expect(cycle?.apiCalls.salesforce).toBeGreaterThan(0);
    expect(cycle?.apiCalls.marketo).toBeGreaterThan(0);
    // The popup lists that cycle's steps, live: Sync Schema, and Pull Updates for leads with the
    // demo org's leads written to Marketo (New + Updated > 0).
    await expect.poll(() => page.locator('tr[data-step-id]').count()).toBe(steps.length);
    expect(await page.locator('tr.cycle-row .status').first().textContent()).toBe('Completed');
    expect(await page.locator('tr[data-step-id]', { hasText: 'Sync Schema' }).count()).toBeGreaterThan(0);
    const leadPull = await page
      .locator('tr[data-step-id]', { hasText: 'Pull Updates' })
      .filter({ has: page.locator('td', { hasText: /^(Lead|Person)$/ }) })
      .locator('td.num')
      .allTextContents();
    expect(Number(leadPull[0]) + Number(leadPull[1])).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('popup-after-cycle.png') });
    // The toolbar badge shows the cycle's failures (empty when there are none).
    const failed = cycle?.totals.failed ?? 0;
    expect(await ext.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe(
      failed > 0 ? String(failed) : '',
    );
    await page.close();
  });

  it('shows a pulled lead as synced in the record panel on its Salesforce page', async () => {
    await salesforceTab.reload();
    const firstLead = salesforceTab.locator('a[href*="/lightning/r/Lead/"]').first();
    await firstLead.click();
    const panel = salesforceTab.locator('syncpanel=.panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 15_000 }).toMatch(/synced|excluded/);
    expect(await panel.textContent()).toContain('Pull Updates');
    await salesforceTab.screenshot({ path: screenshotPath('record-panel-after-cycle.png') });
  });

  it('lists the same cycle in the dashboard’s full table', async () => {
    const page = await ext.openPage('dashboard.html');
    await expect.poll(() => page.locator('tr[data-step-id]').count(), { timeout: 15_000 }).toBeGreaterThan(6);
    expect(await page.locator('tr[data-step-id]', { hasText: 'Pull Updates' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('dashboard-after-cycle.png') });
    await page.close();
  });
});
