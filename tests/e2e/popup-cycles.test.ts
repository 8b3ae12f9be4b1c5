import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDateTimeInput } from '../../components/zonedTime';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension, stopServiceWorkers } from '../../scripts/browser';
import { connectToEmulator, loginToSalesforce, sendFromPage } from '../../scripts/emulatorSession';
import { SEED_COLUMNS } from './popup.fixtures';
import { screenshotPath } from './support/screenshots';

// The popup on a log written by real engine cycles in the extension's service worker against the
// emulator (issue 6): Sync now and Pause from the popup itself, the seed's columns and statuses,
// both sorts, the filters with Apply and Reset, a failed record whose name starts with "=" in the
// opened step and in the CSV export.

const EVIL = '=HYPERLINK("http://evil.example","x")';
let emu: Emulator;
let ext: LoadedExtension;
let page: Page;
let evilId: string;

interface SyncStateAnswer {
  value: { running: boolean; paused: boolean; lastCycle?: { id: number; endedAt: number | null } };
}
const syncState = async () => ((await sendFromPage(page, 'getSyncState')) as SyncStateAnswer).value;

/** Clicks the popup's Sync now and waits for the cycle it started to end. */
async function syncNowFromPopup(): Promise<void> {
  const before = (await syncState()).lastCycle?.id ?? 0;
  await page.click('button:text("Sync now")');
  for (const deadline = Date.now() + 110_000; Date.now() < deadline; ) {
    const s = await syncState();
    if (!s.running && (s.lastCycle?.id ?? 0) > before && s.lastCycle?.endedAt != null) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('The cycle did not end within 110 s');
}

/** Every step in the log, straight from IndexedDB (a string: tsx would wrap a function). */
async function loggedSteps(): Promise<
  {
    id: number;
    cycleId: number;
    startedAt: number;
    endSort: number;
    operation: string;
    objectType: string;
    status: string;
  }[]
> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('sync-log');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const all = open.result.transaction('steps').objectStore('steps').getAll();
      all.onsuccess = () => { open.result.close(); resolve(all.result); };
    };
  })`);
}

const shownIds = () =>
  page.$$eval('tr[data-step-id]', (rows) => rows.map((r) => Number(r.getAttribute('data-step-id'))));
/** The rows shown once "Load more" has been clicked until everything is (the first window is short). */
async function stepIds(): Promise<number[]> {
  for (let more = page.locator('button:text("Load more")'); (await more.count()) > 0; ) {
    const before = (await shownIds()).length;
    // The button goes away when a new filter's window replaces the table: look again then.
    if (
      await more.click({ timeout: 1000 }).then(
        () => true,
        () => false,
      )
    )
      await expect.poll(async () => (await shownIds()).length).toBeGreaterThan(before);
  }
  return shownIds();
}
/** Checks the filter panel's boxes (and fills its dates) and clicks Apply. */
async function applyFilter(checks: { name: string; value: string }[], dates?: { from: string; to: string }) {
  if (!(await page.$('.filter-panel'))) await page.click('text=Filters');
  for (const c of checks) await page.check(`.filter-panel input[name="${c.name}"][value="${c.value}"]`);
  if (dates) {
    await page.fill('.filter-panel input[name="from"]', dates.from);
    await page.fill('.filter-panel input[name="to"]', dates.to);
  }
  await page.click('.filter-panel button[type="submit"]');
}
async function resetFilter() {
  if (!(await page.$('.filter-panel'))) await page.click('text=Filters');
  await page.click('.filter-panel button:text("Reset")');
}
const newestFirst = (key: 'startedAt' | 'endSort', steps: Awaited<ReturnType<typeof loggedSteps>>) =>
  [...steps].sort((a, b) => b[key] - a[key] || b.id - a.id).map((s) => s.id);

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  // Marketo refuses the address (non-ASCII): Pull Updates fails this lead, whose name is a formula.
  evilId = emu.control.sfCreate({
    object: 'Lead',
    fields: { LastName: EVIL, Company: 'Evil Inc', Email: 'eve@exämple.com', State: 'California' },
  }).id;
  ext = await launchWithExtension();
  await loginToSalesforce(ext, emu.info);
  await connectToEmulator(ext, emu.info);
  page = await ext.openPage('popup.html');
  // As the options page does after connecting: the test records the Salesforce user's time zone,
  // which the popup's table and date filter then use.
  await sendFromPage(page, 'testConnections');
  await page.reload();
  await page.setViewportSize({ width: 800, height: 600 });
});
afterAll(async () => {
  await ext?.close();
  await emu?.stop();
});

describe('the popup after real cycles', () => {
  it('runs cycles from its Sync now button and lists their steps with the seed columns', async () => {
    await syncNowFromPopup();
    emu.control.sfUpdate({ id: evilId, fields: { Title: 'Chief Formula Officer' } });
    await syncNowFromPopup();
    const steps = await loggedSteps();
    await expect.poll(stepIds, { timeout: 15_000 }).toEqual(newestFirst('startedAt', steps));
    const headers = await page.$$eval('table.steps > thead th', (ths) => ths.map((th) => th.textContent));
    expect(headers.slice(0, 10)).toEqual(SEED_COLUMNS);
    const statuses = await page.$$eval('tr[data-step-id] .status', (els) => els.map((e) => e.textContent));
    expect(new Set(statuses)).toEqual(new Set(['Completed']));
    expect(await page.getAttribute('tr[data-step-id] .status', 'title')).toBeTruthy();
    await page.screenshot({ path: screenshotPath('popup-cycles.png') });
  });

  it('sorts by Ended At and back by Started At, newest first', async () => {
    const steps = await loggedSteps();
    await page.click('button.toggle:text("Ended At")');
    await expect.poll(stepIds).toEqual(newestFirst('endSort', steps));
    await page.click('button.toggle:text("Started At")');
    await expect.poll(stepIds).toEqual(newestFirst('startedAt', steps));
  });

  it('filters by operation and status with Apply, shows the filter, and resets', async () => {
    const steps = await loggedSteps();
    const pulls = newestFirst(
      'startedAt',
      steps.filter((s) => s.operation === 'Pull Updates'),
    );
    await page.click('text=Filters');
    await page.check('.filter-panel input[name="operations"][value="Pull Updates"]');
    await page.click('.filter-panel button[type="submit"]');
    await expect.poll(stepIds).toEqual(pulls);
    expect(await page.textContent('[data-testid="active-filter"]')).toContain('Operation: Pull Updates');
    if (!(await page.$('.filter-panel'))) await page.click('text=Filters');
    await page.check('.filter-panel input[name="statuses"][value="Failed"]');
    await page.click('.filter-panel button[type="submit"]');
    await expect.poll(stepIds).toEqual([]); // record failures do not fail a step
    if (!(await page.$('.filter-panel'))) await page.click('text=Filters');
    await page.click('.filter-panel button:text("Reset")');
    await expect.poll(stepIds).toEqual(newestFirst('startedAt', steps));
  });

  it("filters by object type and by a date and time range typed in the Salesforce user's zone", async () => {
    const steps = await loggedSteps();
    const contacts = steps.filter((s) => s.objectType === 'Contact');
    expect(contacts.length).toBeGreaterThan(0);
    await applyFilter([{ name: 'objectTypes', value: 'Contact' }]);
    await expect.poll(stepIds).toEqual(newestFirst('startedAt', contacts));
    expect(await page.textContent('[data-testid="active-filter"]')).toContain('Object: Contact');
    await resetFilter();

    // The table and the filter use the Salesforce user's zone from the connection test.
    const timeZone = ((await sendFromPage(page, 'getPopupView')) as { value: { timeZone?: string } }).value
      .timeZone;
    expect(timeZone).toBe('Europe/Amsterdam');
    // From the minute the newest step started: exactly the steps started since that minute.
    const newest = Math.max(...steps.map((s) => s.startedAt));
    const from = toDateTimeInput(newest, timeZone);
    const minuteStart = newest - (newest % 60_000);
    await applyFilter([], { from, to: '' });
    await expect.poll(stepIds).toEqual(
      newestFirst(
        'startedAt',
        steps.filter((s) => s.startedAt >= minuteStart),
      ),
    );
    // Up to a minute before the first step: nothing.
    const first = Math.min(...steps.map((s) => s.startedAt));
    await applyFilter([], { from: '', to: toDateTimeInput(first - 60_000, timeZone) });
    await expect.poll(stepIds).toEqual([]);
    expect(await page.textContent('.empty')).toBe('No sync steps match the filter');
    await resetFilter();
    await expect.poll(stepIds).toEqual(newestFirst('startedAt', steps));
  });

  it('opens the failing step: the "=" name is text, the id links to Salesforce', async () => {
    const failing = (await loggedSteps()).filter((s) => s.operation === 'Pull Updates');
    const rows = await page.$$eval('tr[data-step-id]', (trs) =>
      trs.map((tr) => ({ id: Number(tr.getAttribute('data-step-id')), text: tr.textContent ?? '' })),
    );
    const withFailure = rows.find((r) => failing.some((s) => s.id === r.id) && r.text.includes('Lead'))!;
    await page.click(`tr[data-step-id="${withFailure.id}"] button.expand`);
    const record = page.locator(`tr[data-details-for="${withFailure.id}"] tr[data-record-id="${evilId}"]`);
    await expect.poll(() => record.count()).toBe(1);
    const cells = await record.locator('td').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['Failed', EVIL, evilId, 'MARKETO_1001']);
    expect(await record.locator('a').getAttribute('href')).toBe(
      `${emu.info.salesforce.url}/lightning/r/Lead/${evilId}/view`,
    );
  });

  it('exports the sync errors as CSV with the formula escaped', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('button:text("Export CSV")'),
    ]);
    const text = readFileSync((await download.path())!, 'utf8');
    const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    const evil = rows.filter((r) => r[4] === evilId);
    // Both cycles failed it: once, then again after the Salesforce edit (attempt 2).
    expect(evil.map((r) => [r[2], r[3], r[6], r[7], r[10]])).toEqual([
      ['Pull Updates', 'Person', `'${EVIL}`, 'MARKETO_1001', '2'],
      ['Pull Updates', 'Person', `'${EVIL}`, 'MARKETO_1001', '1'],
    ]);
    expect(evil[0]![11]).toBe(`${emu.info.salesforce.url}/lightning/r/Lead/${evilId}/view`);
  });

  it('shows a step that failed (Marketo refusing access) in red, and finds it with the Failed filter', async () => {
    // Marketo refuses the activity reads for this cycle (603 access denied, not retried): the
    // steps that read activities fail, the others complete.
    const fault = emu.control.injectFault({
      side: 'marketo',
      kind: 'error',
      errorCode: '603',
      route: '/rest/v1/activities',
    });
    try {
      await syncNowFromPopup();
    } finally {
      emu.control.removeFault({ id: fault.id });
    }
    // The header follows the cycle's end at once (the state the worker publishes), well within
    // its 5-second poll.
    const header = () => page.textContent('.sync-header');
    await expect.poll(header, { timeout: 2000, interval: 50 }).toMatch(/Last cycle:\s*Failed/);
    expect(await header()).not.toContain('Running now');
    const steps = await loggedSteps();
    const failed = steps.filter((s) => s.status === 'Failed');
    expect(failed.length).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('tr[data-step-id] .status:text-is("Failed")').count())
      .toBe(failed.length);
    const badge = page.locator(`tr[data-step-id="${failed[0]!.id}"] .status`);
    expect(await badge.getAttribute('class')).toContain('status-bad');
    expect(await badge.getAttribute('title')).toMatch(/failed/i);
    await applyFilter([{ name: 'statuses', value: 'Failed' }]);
    await expect.poll(stepIds).toEqual(newestFirst('startedAt', failed));
    await page.screenshot({ path: screenshotPath('popup-cycles-failed.png') });
    await resetFilter();
  });

  it('opens with the last cycle in its header while the worker is stopped (the state it published)', async () => {
    await stopServiceWorkers(ext.context, page);
    const fresh = await ext.openPage('popup.html');
    try {
      // The header as it is when the first table is painted (a string: tsx would wrap a function).
      const atPaint = await fresh.evaluate(`new Promise((resolve) => {
        const read = () => document.querySelector('[data-testid="last-cycle"]')?.textContent ?? '';
        if (performance.getEntriesByName('table-painted').length) return resolve(read());
        new PerformanceObserver((list, observer) => {
          if (!list.getEntriesByName('table-painted').length) return;
          observer.disconnect();
          resolve(read());
        }).observe({ type: 'mark', buffered: true });
      })`);
      expect(atPaint).toMatch(/^Last cycle:\s*Failed/);
    } finally {
      await fresh.close();
    }
  });

  it('pauses and resumes the schedule from its Pause button', async () => {
    await page.click('button:text("Pause")');
    await expect.poll(async () => (await syncState()).paused).toBe(true);
    await expect.poll(() => page.locator('button:text("Resume")').count()).toBe(1);
    await page.click('button:text("Resume")');
    await expect.poll(async () => (await syncState()).paused).toBe(false);
    await expect.poll(() => page.locator('button:text("Pause")').count()).toBe(1);
  });
});
