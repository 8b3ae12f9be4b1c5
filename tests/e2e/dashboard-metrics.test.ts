// The dashboard's metric sections (issue 18, docs/dashboard.md) on real cycles of the built
// extension against the emulator: a backlog that grows while Marketo's daily budget is spent (bulk
// edits the cycles cannot take) and drains once the admin raises it, shown in the backlog trend and
// the throughput table; leadScore churn in Marketo, shown as the noisiest field, whose "Set a
// change threshold" saves the threshold in the settings and holds the next small change back.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { defaultSettings, SETTINGS_VERSION, type SyncSettings } from '../../lib/settings/schema';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectToEmulator, loginToSalesforce } from '../../scripts/emulatorSession';
import { personsPerLead } from '../support/personsPerRecord';
import { axeViolations } from './support/axe';
import { runCycle } from './support/cycles';
import { screenshotPath } from './support/screenshots';

describe('dashboard metric sections', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let dashboard: Page;
  const leads: string[] = [];
  const settings: SyncSettings = { ...defaultSettings(), changeThresholds: [] };

  /** Saves the settings as the options page does (storage.local, with WXT's version marker). */
  const saveSettings = (s: SyncSettings) =>
    ext.worker.evaluate(([value, v]) => chrome.storage.local.set({ settings: value, settings$: { v } }), [
      s,
      SETTINGS_VERSION,
    ] as const);
  const storedSettings = () =>
    ext.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings as SyncSettings);

  /**
   * An hour passes for the backlog fetch: its last-fetch mark moves an hour back, as it stands to
   * the clock an hour later (the worker's clock is the browser's real one, which a test cannot
   * move; the mark is all the fetch schedule compares with).
   */
  const hourPassesForTheFetch = () =>
    dashboard.evaluate(`(async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open('sync-log'); r.onsuccess = () => ok(r.result); });
      const store = () => db.transaction('cursors', 'readwrite').objectStore('cursors');
      const row = await new Promise((ok) => { const r = store().get('metrics:backlog-fetched'); r.onsuccess = () => ok(r.result); });
      const earlier = new Date(Date.parse(row.value) - 3600000).toISOString();
      await new Promise((ok) => { const r = store().put({ ...row, value: earlier }); r.onsuccess = () => ok(); });
      db.close();
    })()`);

  const createLeads = (n: number, tag: string) => {
    for (let i = 0; i < n; i++)
      leads.push(
        emu.control.sfCreate({
          object: 'Lead',
          fields: { LastName: `${tag}${i}`, Company: 'Acme', Email: `${tag.toLowerCase()}${i}@example.com` },
        }).id,
      );
  };
  const backlogCell = (key: string) => dashboard.locator(`.throughput tr[data-key="${key}"] td.backlog`);
  /** The backlog trend's measurements table, column of `Lead, Salesforce → Marketo`. */
  const measuredToMarketo = async () => {
    const table = dashboard.locator('.backlog-trend .trend-table table');
    const headers = await table.locator('thead th').allTextContents();
    const column = headers.indexOf('Lead, Salesforce → Marketo');
    const rows = await table.locator('tbody tr').all();
    return Promise.all(
      rows.map(async (row) => (await row.locator('th, td').nth(column).textContent()) ?? ''),
    );
  };

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'empty' });
    createLeads(40, 'First');
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    await connectToEmulator(ext, emu.info);
    await saveSettings(settings);
    dashboard = await ext.openPage('dashboard.html');
    await dashboard.setViewportSize({ width: 1200, height: 900 });
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  it('shows a backlog that grows while the cycles cannot take it, and drains', async () => {
    const first = await runCycle(dashboard);
    expect(first.cycle.status).toBe('Completed');
    await expect
      .poll(() => backlogCell('Person|toMarketo').textContent(), { timeout: 15_000 })
      .toBe('40 (all handled since)');

    // Marketo's daily budget is spent: the pulls stop, edits pile up in Salesforce.
    await saveSettings({ ...settings, apiBudget: { ...settings.apiBudget, marketoDailyCalls: 0 } });
    for (const id of leads.slice(0, 40)) emu.control.sfUpdate({ id, fields: { Title: 'Bulk edit' } });
    createLeads(260, 'Bulk');
    await hourPassesForTheFetch();
    expect((await runCycle(dashboard)).cycle.status).toBe('Not Completed');
    await expect.poll(() => backlogCell('Person|toMarketo').textContent()).toBe('300');
    // Marketo's side could not be counted with its budget spent: the section says why.
    await expect
      .poll(() => dashboard.locator('.throughput .backlog-error').textContent())
      .toContain("Marketo not counted: Today's Marketo API budget is spent");

    createLeads(300, 'More');
    await hourPassesForTheFetch();
    expect((await runCycle(dashboard)).cycle.status).toBe('Not Completed');
    await expect.poll(() => backlogCell('Person|toMarketo').textContent()).toBe('600');

    // The admin raises the budget: the next cycle takes the whole backlog, the one after finds none.
    await saveSettings(settings);
    await hourPassesForTheFetch();
    const drained = await runCycle(dashboard);
    expect(drained.cycle.status).toBe('Completed');
    await hourPassesForTheFetch();
    await runCycle(dashboard);
    await expect.poll(() => backlogCell('Person|toMarketo').textContent()).toBe('0');
    const row = dashboard.locator('.throughput tr[data-key="Person|toMarketo"]');
    // 40 + 600 records synced within this hour: the only hour with cycles, so max = min = average.
    expect(await row.locator('td').nth(2).textContent()).toBe('640');
    expect(await row.locator('td.clear').textContent()).toBe('Clear');
    expect(await row.locator('td.trend').textContent()).toBe('Normal');
    await dashboard.locator('.throughput').screenshot({ path: screenshotPath('dashboard-throughput.png') });

    // The trend, cycle by cycle: 40 at the first sync, 300 and 600 while the budget was spent, 600
    // again at the start of the draining cycle, then 0.
    await dashboard.click('.backlog-trend button:text("Last 24 hours, each cycle")');
    await dashboard.locator('.backlog-trend details.trend-table summary').click();
    await expect.poll(measuredToMarketo).toEqual(['40', '300', '600', '600', '0']);
    await expect.poll(() => dashboard.locator('.backlog-chart canvas').count()).toBe(1);
    const legend = await dashboard.locator('.backlog-chart .u-legend').textContent();
    expect(legend).toContain('Lead, Salesforce → Marketo');
    // Off the chart, the legend's time is the newest point's, as its counts are (not uPlot's "--").
    expect(legend).toMatch(/Time:?\s*\d{1,2}\/\d{1,2}\/\d{2} \d{1,2}:\d{2}:\d{2} (AM|PM)/);
    await dashboard
      .locator('.backlog-trend')
      .screenshot({ path: screenshotPath('dashboard-backlog-trend.png') });
  });

  it('shows leadScore churn as the noisiest field, and "Set a change threshold" saves one', async () => {
    const persons = () => emu.marketo.snapshot().leads as Record<string, unknown>[];
    const personsOf = personsPerLead(persons());
    const churned = leads.slice(0, 20).map((id) => personsOf.get(id)![0]!.id as number);
    for (const score of [10, 30, 50]) {
      for (const id of churned) emu.control.mkUpdateLead({ id, fields: { leadScore: score } });
      // The first round is counted waiting in Marketo's feed, at the start of the cycle that takes it.
      if (score === 10) await hourPassesForTheFetch();
      await runCycle(dashboard);
    }
    const pushRow = dashboard.locator('.throughput tr[data-key="Person|toSalesforce"]');
    await expect.poll(() => pushRow.locator('td.backlog').textContent()).toBe('20 (all handled since)');
    expect(await pushRow.locator('td.clear').textContent()).toBe('Clear');
    const table = dashboard.locator('.noisy-fields table[data-key="Person|toSalesforce"]');
    const row = table.locator('tr[data-field="mkto71_Lead_Score__c"]');
    await expect.poll(() => row.locator('td').nth(0).textContent(), { timeout: 15_000 }).toBe('60');
    expect(await row.locator('td').nth(1).textContent()).toBe('100 %');
    expect(await row.locator('th').textContent()).toBe('mkto71_Lead_Score__c (leadScore)');
    // The Salesforce → Marketo table has the bulk edit's Title on the 40 updated leads.
    const pulled = dashboard.locator(
      '.noisy-fields table[data-key="Person|toMarketo"] tr[data-field="Title"]',
    );
    expect(await pulled.locator('td').nth(0).textContent()).toBe('40');
    await dashboard
      .locator('.noisy-fields')
      .screenshot({ path: screenshotPath('dashboard-noisy-fields.png') });

    // "Stop syncing" keeps the field's other direction, and Undo saves the settings from before.
    await pulled.locator('button.stop-field').click();
    await expect
      .poll(() => dashboard.locator('.noisy-fields .noisy-done').textContent())
      .toContain('Saved: Title of Lead is no longer synced to Marketo.');
    const title = async () =>
      (await storedSettings()).objects.Lead!.fields.find((f) => f.salesforceField === 'Title')?.direction;
    expect(await title()).toBe('push');
    await dashboard.locator('.noisy-fields .noisy-done button:text("Undo")').click();
    await expect.poll(title).toBe('both');

    await row.locator('button.set-threshold').click();
    await expect
      .poll(() => dashboard.locator('.noisy-fields .noisy-done').textContent())
      .toContain('Saved: leadScore changes smaller than 5 are no longer synced.');
    expect((await storedSettings()).changeThresholds).toEqual([{ field: 'leadScore', minDelta: 5 }]);
    await expect.poll(() => row.locator('.threshold').textContent()).toContain('Threshold 5');

    // The next cycle holds a change below it back.
    emu.control.mkUpdateLead({ id: churned[0]!, fields: { leadScore: 52 } });
    const { steps } = await runCycle(dashboard);
    const push = steps.find((s) => s.operation === 'Push Updates' && s.objectType === 'Person');
    expect(push).toMatchObject({ updated: 0, skipped: 1 });
    await dashboard.locator('.metrics').screenshot({ path: screenshotPath('dashboard-metrics.png') });
    // The sections with their data pass axe (WCAG 2.1 AA), the measurements table open.
    await dashboard.locator('.backlog-trend details.trend-table').evaluate((d) => {
      (d as HTMLDetailsElement).open = true;
    });
    await dashboard.waitForSelector('.backlog-trend .trend-table table');
    expect(await axeViolations(dashboard, '.metrics')).toEqual([]);
  });
});
