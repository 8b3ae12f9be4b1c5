import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_MEANING } from '../../components/StatusBadge';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { CONNECTIONS, leadId, SEED_COLUMNS, smallLog } from './popup.fixtures';
import { putRows } from './support/idb';
import { screenshotPath } from './support/screenshots';

const require = createRequire(import.meta.url);

describe('popup with a log', () => {
  let ext: LoadedExtension;
  let page: Page;
  const now = Date.now();

  beforeAll(async () => {
    ext = await launchWithExtension();
    page = await ext.openPage('popup.html');
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForSelector('.empty');
    await page.evaluate((connections) => chrome.storage.local.set({ connections }), CONNECTIONS);
    await putRows(page, smallLog(now));
    await page.reload();
    await page.waitForSelector('table.steps');
  });
  afterAll(async () => {
    await ext?.close();
  });

  const stepIds = () =>
    page.$$eval('tr[data-step-id]', (rows) => rows.map((r) => Number(r.getAttribute('data-step-id'))));
  const cells = (stepId: number) =>
    page.$$eval(`tr[data-step-id="${stepId}"] td`, (tds) => tds.map((td) => td.textContent?.trim()));
  async function openFilters() {
    if (!(await page.$('.filter-panel'))) await page.click('text=Filters');
  }
  async function applyFilter(
    checks: { name: string; value: string }[],
    range?: { from?: string; to?: string },
  ) {
    await openFilters();
    for (const c of checks) await page.check(`.filter-panel input[name="${c.name}"][value="${c.value}"]`);
    if (range?.from !== undefined) await page.fill('input[name="from"]', range.from);
    if (range?.to !== undefined) await page.fill('input[name="to"]', range.to);
    await page.click('.filter-panel button[type="submit"]');
  }
  async function reset() {
    await openFilters();
    await page.click('.filter-panel button:text("Reset")');
    await expect.poll(stepIds).toEqual([7, 6, 5, 4, 3, 2]);
  }

  it('shows the last 5 days, newest started first, grouped by cycle, with the seed columns', async () => {
    expect(await stepIds()).toEqual([7, 6, 5, 4, 3, 2]); // step 1 is 7 days old
    expect(
      await page.$$eval('tr.cycle-row', (rows) => rows.map((r) => r.getAttribute('data-group-cycle'))),
    ).toEqual(['4', '3', '2']);
    const headers = await page.$$eval('table.steps > thead th', (ths) => ths.map((th) => th.textContent));
    expect(headers).toEqual([...SEED_COLUMNS, 'Excluded']); // step 6 excluded 2 records
    const pull = await cells(3);
    expect(pull.slice(2)).toEqual(['Lead', 'Pull Updates', 'Completed', '12', '5', '0', '3', '2', '0']);
    expect(await page.textContent('[data-testid="active-filter"]')).toMatch(/^Started .* → now$/);
    await page.screenshot({ path: screenshotPath('popup-log.png') });
  });

  it('gives each status its own colour and a tooltip saying what it means', async () => {
    const badges = await page.$$eval('tr[data-step-id] .status', (els) =>
      els.map((e) => ({
        text: e.textContent!,
        title: e.getAttribute('title'),
        bg: getComputedStyle(e).backgroundColor,
      })),
    );
    const byStatus = new Map(badges.map((b) => [b.text, b]));
    expect([...byStatus.keys()].sort()).toEqual([
      'Completed',
      'Failed',
      'In Process',
      'Not Completed',
      'Purged',
    ]);
    for (const [status, badge] of byStatus) {
      expect(badge.title).toBe(STATUS_MEANING[status as keyof typeof STATUS_MEANING]);
    }
    expect(new Set([...byStatus.values()].map((b) => b.bg)).size).toBe(5);
  });

  it('sorts by Ended At (running first) and back by Started At, newest first', async () => {
    await page.click('button.toggle:text("Ended At")');
    await expect.poll(stepIds).toEqual([7, 4, 6, 5, 3, 2]);
    expect(await page.textContent('[data-testid="active-filter"]')).toMatch(/^Ended /);
    await page.click('button.toggle:text("Started At")');
    await expect.poll(stepIds).toEqual([7, 6, 5, 4, 3, 2]);
  });

  it('shows rows flat without the cycle headers', async () => {
    await page.uncheck('text=Group by cycle');
    await expect.poll(() => page.$$('tr.cycle-row').then((r) => r.length)).toBe(0);
    expect(await stepIds()).toEqual([7, 6, 5, 4, 3, 2]);
    await page.check('text=Group by cycle');
  });

  it('filters by object type, operation and status, shows what is active, and resets', async () => {
    await applyFilter([{ name: 'objectTypes', value: 'Account' }]);
    await expect.poll(stepIds).toEqual([7, 5]);
    expect(await page.textContent('[data-testid="active-filter"]')).toContain('Object: Account');
    await applyFilter([{ name: 'statuses', value: 'Purged' }]);
    await expect.poll(stepIds).toEqual([5]);
    expect(await page.textContent('[data-testid="active-filter"]')).toContain('Status: Purged');
    await reset();

    await applyFilter([{ name: 'operations', value: 'Pull Updates' }]);
    await expect.poll(stepIds).toEqual([7, 3]);
    expect(await page.textContent('[data-testid="active-filter"]')).toContain('Operation: Pull Updates');
    await applyFilter([{ name: 'objectTypes', value: 'Person' }]);
    await expect.poll(stepIds).toEqual([3]);
    expect(await page.textContent('[data-testid="active-filter"]')).toContain('Object: Lead');
    await reset();

    await applyFilter([
      { name: 'statuses', value: 'Failed' },
      { name: 'statuses', value: 'Not Completed' },
    ]);
    await expect.poll(stepIds).toEqual([6, 4]);
    await page.screenshot({ path: screenshotPath('popup-filtered.png') });
    await reset();
  });

  it('filters by a date and time range (typed in the table time zone)', async () => {
    const local = (ms: number) => {
      const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
      return d.toISOString().slice(0, 16);
    };
    await openFilters();
    await page.check('.filter-panel input[name="statuses"][value="Failed"]');
    await page.screenshot({ path: screenshotPath('popup-filter-panel.png') });
    await page.uncheck('.filter-panel input[name="statuses"][value="Failed"]');
    // Only cycle 3 started in this window (2 h ago, steps at +0, +1, +3 minutes).
    await applyFilter([], { from: local(now - 3 * 3600_000), to: local(now - 60 * 60_000) });
    await expect.poll(stepIds).toEqual([6, 5, 4]);
    // Clearing "From" shows everything, including the 7-day-old step.
    await applyFilter([], { from: '', to: '' });
    await expect.poll(stepIds).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(await page.textContent('[data-testid="active-filter"]')).toBe('All dates');
    // A range that ends before it starts is refused with a message; the table keeps its rows.
    await applyFilter([], { from: local(now), to: local(now - 3600_000) });
    expect(await page.textContent('.filter-panel .error')).toBe('"From" must not be after "To"');
    expect(await stepIds()).toEqual([7, 6, 5, 4, 3, 2, 1]);
    await reset();
  });

  it('opens a step to list its failed and skipped records, linked to Salesforce', async () => {
    expect(await page.$('tr[data-step-id="2"] button.expand')).toBeNull(); // nothing to show
    await page.click('tr[data-step-id="3"] button.expand');
    await page.waitForSelector('tr[data-details-for="3"] tr[data-record-id]');
    const records = await page.$$eval('tr[data-details-for="3"] tr[data-record-id]', (rows) =>
      rows.map((r) => ({
        cells: [...r.querySelectorAll('td')].map((td) => td.textContent),
        href: r.querySelector('a')?.getAttribute('href'),
      })),
    );
    expect(records.map((r) => r.cells)).toEqual([
      [
        'Failed',
        'Ada Lovelace',
        leadId(4),
        'UNABLE_TO_LOCK_ROW',
        'unable to obtain exclusive access to this record',
        '',
      ],
      [
        'Failed',
        '=HYPERLINK("http://evil.example","x")',
        leadId(1),
        'INVALID_EMAIL_ADDRESS',
        'Email: invalid email address: bob@',
        'Email',
      ],
      [
        'Failed',
        'Grace Hopper',
        leadId(2),
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        'Phone is required, "mobile" too',
        'Phone, MobilePhone',
      ],
      ['Skipped', 'Skipped Sue', leadId(5), '—', 'Changed, but no synced field changed', ''],
      ['Skipped', 'Skipped Sam', leadId(3), '—', 'Changed, but no synced field changed', ''],
    ]);
    expect(records[0]!.href).toBe(`https://acme.my.salesforce.com/lightning/r/Lead/${leadId(4)}/view`);
    await page.screenshot({ path: screenshotPath('popup-expanded.png') });
    await page.click('tr[data-step-id="3"] button.expand');
    await expect.poll(() => page.$('tr[data-details-for="3"]')).toBeNull();
  });

  it('exports the sync errors matching the filter as CSV, formulas escaped', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('button:text("Export CSV")'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^sync-errors-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual([
      'Time',
      'Cycle',
      'Operation',
      'Object',
      'Salesforce Id',
      'Marketo Id',
      'Record Name',
      'Error Code',
      'Message',
      'Fields',
      'Attempts',
      'Record URL',
    ]);
    expect(rows).toHaveLength(4);
    const evil = rows.find((r) => r[4] === leadId(1))!;
    expect(evil).toEqual([
      new Date(now - 3 * 86_400_000 + 10_000).toISOString(),
      '2',
      'Pull Updates',
      'Person',
      leadId(1),
      '501',
      '\'=HYPERLINK("http://evil.example","x")',
      'INVALID_EMAIL_ADDRESS',
      'Email: invalid email address: bob@',
      'Email',
      '1',
      `https://acme.my.salesforce.com/lightning/r/Lead/${leadId(1)}/view`,
    ]);
    expect(rows.find((r) => r[4] === leadId(2))!.slice(8, 11)).toEqual([
      'Phone is required, "mobile" too',
      'Phone; MobilePhone',
      '3',
    ]);
    await expect.poll(() => page.textContent('.export-state')).toBe('3 errors exported');

    // With a filter that matches no failing step there is nothing to download.
    await applyFilter([{ name: 'objectTypes', value: 'Account' }]);
    await expect.poll(stepIds).toEqual([7, 5]);
    await page.click('button:text("Export CSV")');
    await expect.poll(() => page.textContent('.export-state')).toBe('No sync errors match the filter');
    await reset();
  });

  it('exports the same file from the dashboard (the background builds it for either page)', async () => {
    const dashboard = await ext.openPage('dashboard.html');
    try {
      await dashboard.waitForSelector('.export button:text("Export CSV")');
      const [download] = await Promise.all([
        dashboard.waitForEvent('download'),
        dashboard.click('.export button:text("Export CSV")'),
      ]);
      const text = readFileSync((await download.path())!, 'utf8');
      const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
      expect(
        rows
          .slice(1)
          .map((r) => r[4])
          .sort(),
      ).toEqual([leadId(1), leadId(2), leadId(4)].sort());
      await expect.poll(() => dashboard.textContent('.export-state')).toBe('3 errors exported');
    } finally {
      await dashboard.close();
    }
  });

  it('stays live: a step written through Dexie in another page (as the worker writes) shows up', async () => {
    // Raw IndexedDB writes (putRows) notify nobody; Dexie tells other contexts over a
    // BroadcastChannel, which is what makes liveQuery live. Dexie is evaluated into a second page.
    const writer = await ext.openPage('popup.html');
    await writer.evaluate(readFileSync(require.resolve('dexie/dist/dexie.min.js'), 'utf8'));
    const finished = {
      ...smallLog(now).steps[6]!,
      status: 'Completed',
      endedAt: now,
      endSort: now,
      updated: 9,
    };
    await writer.evaluate(async (row) => {
      const { Dexie } = window as unknown as {
        Dexie: new (
          name: string,
        ) => { open(): Promise<unknown>; table(n: string): { put(r: unknown): Promise<unknown> } };
      };
      const db = new Dexie('sync-log');
      await db.open();
      await db.table('steps').put(row);
    }, finished);
    await expect.poll(() => cells(7)).toContain('9');
    expect((await cells(7))[4]).toBe('Completed');
    await writer.close();
  });

  it("shows times in the Salesforce user's time zone from the last connection test", async () => {
    const zone = 'Pacific/Kiritimati'; // UTC+14: never the browser's zone here
    const startedAt = smallLog(now).steps[1]!.startedAt;
    const inZone = (timeZone?: string) =>
      page.evaluate(
        ({ at, timeZone }) =>
          new Intl.DateTimeFormat(undefined, {
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: '2-digit',
            second: '2-digit',
            ...(timeZone && { timeZone }),
          }).format(at),
        { at: startedAt, timeZone },
      );
    expect((await cells(2))[0]).toBe(await inZone());
    await page.evaluate(
      (timeZone) =>
        chrome.storage.local.set({ connectionTest: { salesforce: { ok: true, who: { timeZone } } } }),
      zone,
    );
    await page.reload();
    await page.waitForSelector('tr[data-step-id="2"]');
    const shown = (await cells(2))[0];
    expect(shown).toBe(await inZone(zone));
    expect(shown).not.toBe(await inZone());
  });

  it('uses "Person" when the settings say so, and shows ids without links without an instance URL', async () => {
    await page.evaluate(() =>
      chrome.storage.local.set({
        settings: { personLabel: 'Person' },
        connections: { salesforce: {}, marketo: {} },
      }),
    );
    await expect.poll(async () => (await cells(3))[2]).toBe('Person');
    await page.click('tr[data-step-id="3"] button.expand');
    await page.waitForSelector('tr[data-details-for="3"] tr[data-record-id]');
    expect(await page.$$('tr[data-details-for="3"] a')).toHaveLength(0);
    expect(await page.textContent('[data-testid="not-connected"]')).toContain('Not connected');
  });
});
