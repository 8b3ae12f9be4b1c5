// Issue 22: the popup and the dashboard by keyboard and screen reader. axe-core (WCAG 2.1 A/AA)
// on every state a user opens, the accessible names read from Chromium's accessibility tree,
// and where focus is after each command.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { CONNECTIONS, smallLog } from './popup.fixtures';
import { accessibilityTree, focusedControl, namesOf, tabTo } from './support/accessibility';
import { axeViolations } from './support/axe';
import { putRows } from './support/idb';
import { screenshotPath } from './support/screenshots';

/** The texts of the page's live regions. */
const liveRegions = (page: Page) =>
  page.$$eval('[role="status"], [role="alert"], [role="log"], [aria-live]', (els) =>
    els.map((e) => e.textContent ?? ''),
  );
/** The page's live regions, by id and whether they sit outside the rendered app (there from load). */
const liveRegionsAtLoad = (page: Page) =>
  page.$$eval('[role="status"], [role="alert"], [role="log"], [aria-live]', (els) =>
    els.map((e) => ({ id: e.id, outsideApp: !e.closest('#app'), text: e.textContent })),
  );
const ANNOUNCER = [{ id: 'announcer', outsideApp: true, text: '' }];
const shot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(`a11y-${name}.png`) });

describe('popup and dashboard accessibility', () => {
  let ext: LoadedExtension;
  let page: Page;

  beforeAll(async () => {
    ext = await launchWithExtension();
    page = await ext.openPage('popup.html');
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForSelector('.empty');
    await page.evaluate((connections) => chrome.storage.local.set({ connections }), CONNECTIONS);
    await putRows(page, smallLog(Date.now()));
    await page.reload();
    await page.waitForSelector('table.steps');
  });
  afterAll(async () => {
    await ext?.close();
  });

  it('has one live region, present from load and empty', async () => {
    expect(await liveRegionsAtLoad(page)).toEqual(ANNOUNCER);
  });

  it('passes axe (WCAG 2.1 AA) as loaded, with a step expanded and with the filter panel open', async () => {
    expect(await axeViolations(page)).toEqual([]);
    await page.click('tr[data-step-id="3"] button.expand');
    await page.waitForSelector('tr[data-details-for="3"] tr[data-record-id]');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('text=Filters');
    await page.waitForSelector('.filter-panel');
    await page.check('.filter-panel input[name="statuses"][value="Failed"]');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.click('tr[data-step-id="3"] button.expand');
  });

  it('names every control for what it does and to what', async () => {
    const buttons = await namesOf(page, 'button');
    expect(buttons.filter((n) => !/[a-z]/i.test(n))).toEqual([]); // no "▸" alone
    expect(buttons).toContain('Show failed and skipped records: Pull Updates, Lead');
    const unnamed = (await accessibilityTree(page)).filter(
      (n) => ['button', 'link', 'checkbox', 'textbox', 'combobox'].includes(n.role) && !n.name.trim(),
    );
    expect(unnamed).toEqual([]);
  });

  it('says what each status means without a pointer', async () => {
    await page.click('summary:text("What the statuses mean")');
    const legend = await page.textContent('.status-legend');
    for (const status of ['Completed', 'Failed', 'Not Completed', 'In Process', 'Purged']) {
      expect(legend).toContain(status);
    }
    expect(legend).toContain('rolled back');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('summary:text("What the statuses mean")');
  });

  it('reaches Apply in a few Tab stops, and Apply, Reset and Escape return focus to Filters', async () => {
    await page.focus('button:text("Filters")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.filter-panel');
    // Apply is disabled until something changes: tick a status first.
    await page.check('.filter-panel input[name="statuses"][value="Failed"]');
    await page.focus('button:text("Filters")');
    expect(await tabTo(page, 'button Apply')).toBeLessThanOrEqual(3);
    await shot(page, 'popup-apply-focused');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.$('.filter-panel')).toBeNull();
    expect(await focusedControl(page)).toMatch(/^button Filters/);
    await expect.poll(() => liveRegions(page)).toEqual(['Sync steps shown: 1']);
    await shot(page, 'popup-filters-focused');

    await page.keyboard.press('Enter');
    await page.waitForSelector('.filter-panel');
    await tabTo(page, 'button Reset');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.$('.filter-panel')).toBeNull();
    expect(await focusedControl(page)).toMatch(/^button Filters/);

    await page.keyboard.press('Enter');
    await page.waitForSelector('.filter-panel');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.$('.filter-panel')).toBeNull();
    expect(await focusedControl(page)).toMatch(/^button Filters/);
  });

  it('announces a filter that matches nothing', async () => {
    await page.click('text=Filters');
    await page.check('.filter-panel input[name="objectTypes"][value="Campaign"]');
    await page.check('.filter-panel input[name="statuses"][value="Purged"]');
    await page.click('.filter-panel button[type="submit"]');
    await expect.poll(() => liveRegions(page)).toEqual(['No sync steps match the filter']);
    await page.click('text=Filters');
    await page.click('.filter-panel button:text("Reset")');
  });

  it('shows a visible focus ring on a step toggle', async () => {
    await page.focus('button:text("Filters")');
    await tabTo(page, 'button Show failed and skipped records: Pull Updates, Lead');
    const outline = await page.$eval(
      'tr[data-step-id="3"] button.expand',
      (b) => getComputedStyle(b).outlineStyle,
    );
    expect(outline).not.toBe('none');
    await shot(page, 'popup-expand-focused');
  });

  it('passes axe on the dashboard, with a step expanded and the filter panel open', async () => {
    const dashboard = await ext.openPage('dashboard.html');
    await dashboard.waitForSelector('table.steps');
    expect(await liveRegionsAtLoad(dashboard)).toEqual(ANNOUNCER);
    expect(await axeViolations(dashboard)).toEqual([]);
    await dashboard.click('tr[data-step-id="3"] button.expand');
    await dashboard.waitForSelector('tr[data-details-for="3"] tr[data-record-id]');
    await dashboard.click('text=Filters');
    expect(await axeViolations(dashboard)).toEqual([]);
    await dashboard.focus('#reconcileNow');
    await dashboard.keyboard.press('Enter');
    await expect.poll(() => liveRegions(dashboard)).toEqual([expect.stringMatching(/\w/)]);
    expect(await focusedControl(dashboard)).toBe('button Check both sides now');
    expect(await axeViolations(dashboard)).toEqual([]);
    await shot(dashboard, 'dashboard-reconcile-focused');
    await dashboard.close();
  });

  it('passes axe for a Salesforce user without admin permissions', async () => {
    const user = { ...CONNECTIONS.salesforce.user, isAdmin: false };
    await page.evaluate((connections) => chrome.storage.local.set({ connections }), {
      ...CONNECTIONS,
      salesforce: { ...CONNECTIONS.salesforce, user },
    });
    await page.reload();
    await page.waitForSelector('.admin-required');
    expect(await axeViolations(page)).toEqual([]);
    expect(await liveRegionsAtLoad(page)).toEqual(ANNOUNCER);
  });
});
