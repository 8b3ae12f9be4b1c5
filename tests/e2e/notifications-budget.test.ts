import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectToEmulator, loginToSalesforce } from '../../scripts/emulatorSession';
import { runCycle } from './support/cycles';
import { screenshotPath } from './support/screenshots';

interface Shown {
  id: string;
  title: string;
  message: string;
}

// "Notify me of failed cycles" and the daily API budget, in the built extension against the
// emulator. The notices are read back from Chromium's own chrome.notifications (getAll: the ids
// the browser shows); their words from a wrapper around create, installed in the worker, that
// passes every call through to the real API.
describe('notifications and the daily Salesforce API budget', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let popup: Page;

  /** The ids of the notifications Chromium shows now. */
  const showing = async () =>
    Object.keys(await ext.worker.evaluate(() => chrome.notifications.getAll())).sort();

  /** Records the notices the worker creates from now on (and still creates them). */
  const watchNotices = () =>
    ext.worker.evaluate(() => {
      const g = globalThis as unknown as { __notices?: unknown[] };
      if (g.__notices) return;
      g.__notices = [];
      const create = chrome.notifications.create.bind(chrome.notifications) as (
        ...args: unknown[]
      ) => Promise<string>;
      (chrome.notifications as unknown as { create: unknown }).create = (...args: unknown[]) => {
        const [id, options] = args as [string, { title: string; message: string }];
        g.__notices!.push({ id, title: options.title, message: options.message });
        return create(...args);
      };
    });
  const notices = () =>
    ext.worker.evaluate(() => (globalThis as unknown as { __notices: Shown[] }).__notices);

  /** Chromium's clear: the next test starts with nothing shown. */
  const clearAll = () =>
    ext.worker.evaluate(async () => {
      for (const id of Object.keys(await chrome.notifications.getAll())) await chrome.notifications.clear(id);
      (globalThis as unknown as { __notices: unknown[] }).__notices = [];
    });

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'empty' });
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    await connectToEmulator(ext, emu.info);
    popup = await ext.openPage('popup.html');
    await popup.setViewportSize({ width: 800, height: 600 });
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  it('shows one notice when cycles start failing, not one per failed cycle', async () => {
    await watchNotices();
    expect(await showing()).toEqual([]);
    emu.control.expireSessions({});
    const first = (await runCycle(popup)).cycle;
    expect(first.status).toBe('Failed');
    await expect.poll(showing).toEqual([`sync-problem-${first.id}`]);
    expect(await notices()).toEqual([
      {
        id: `sync-problem-${first.id}`,
        title: 'Sync cycle failed',
        message: 'The Salesforce session expired or was refused — log in to Salesforce again',
      },
    ]);
    // The same problem in the next cycle: nothing new.
    const second = (await runCycle(popup)).cycle;
    expect(second.status).toBe('Failed');
    expect(await showing()).toEqual([`sync-problem-${first.id}`]);
    expect(await notices()).toHaveLength(1);
  });

  it('shows "Sync recovered" once a cycle completes again', async () => {
    await loginToSalesforce(ext, emu.info);
    const cycle = (await runCycle(popup)).cycle;
    expect(cycle.status).toBe('Completed');
    await expect.poll(async () => (await showing()).length).toBe(2);
    expect(await showing()).toContain(`sync-recovered-${cycle.id}`);
    const recovered = (await notices()).filter((n) => n.id.startsWith('sync-recovered-'));
    expect(recovered).toEqual([
      {
        id: `sync-recovered-${cycle.id}`,
        title: 'Sync recovered',
        message:
          'The last cycle completed. Before: The Salesforce session expired or was refused — log in to Salesforce again',
      },
    ]);
    // A second good cycle says nothing more.
    expect((await runCycle(popup)).cycle.status).toBe('Completed');
    expect(await notices()).toHaveLength(2);
    await clearAll();
  });

  /** The extension's count of its Salesforce calls in the last 24 hours (lib/sync/dailyUsage.ts). */
  const usageRow = () =>
    popup.evaluate(`(async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open('sync-log'); r.onsuccess = () => ok(r.result); });
      const row = await new Promise((ok) => { const r = db.transaction('cursors').objectStore('cursors').get('usage:daily'); r.onsuccess = () => ok(r.result); });
      db.close();
      return row;
    })()`) as Promise<{ key: string; value: string; updatedAt: number }>;

  /**
   * A day passes for the extension's count: its hour buckets are moved 24 hours back, as they
   * stand to the clock a day later. (The worker counts with the browser's real clock, which a test
   * cannot move; the buckets are all that clock is compared with.)
   */
  const dayPassesForTheExtension = () =>
    popup.evaluate(`(async () => {
      const db = await new Promise((ok) => { const r = indexedDB.open('sync-log'); r.onsuccess = () => ok(r.result); });
      const store = () => db.transaction('cursors', 'readwrite').objectStore('cursors');
      const row = await new Promise((ok) => { const r = store().get('usage:daily'); r.onsuccess = () => ok(r.result); });
      const usage = JSON.parse(row.value);
      const hours = {};
      for (const [hour, n] of Object.entries(usage.salesforceHours)) hours[Number(hour) - 24] = n;
      usage.salesforceHours = hours;
      await new Promise((ok) => { const r = store().put({ ...row, value: JSON.stringify(usage) }); r.onsuccess = () => ok(); });
      db.close();
    })()`);

  const LEADS = [1, 2, 3, 4, 5].map((i) => ({
    LastName: `Budget ${i}`,
    FirstName: 'Ada',
    Company: 'Daily Budget Ltd',
    Email: `budget${i}@example.com`,
  }));
  const leadIds: string[] = [];
  const inMarketo = () => {
    const persons = emu.marketo.snapshot().leads as Record<string, unknown>[];
    return leadIds.filter((id) => persons.some((p) => (p.sfdcLeadIdCustom ?? p.sfdcLeadId) === id)).length;
  };

  it("stops the cycle as Not Completed when today's Salesforce budget is spent, saying so", async () => {
    await watchNotices();
    const used = Object.values(
      JSON.parse((await usageRow()).value).salesforceHours as Record<string, number>,
    ).reduce((a, b) => a + b, 0);
    expect(used).toBeGreaterThan(0);
    // The org's allowance: our default share (50 %) of it leaves room for two more calls today. The
    // org has counted the same calls (the sync is its only API user).
    const cap = used + 2;
    emu.control.setSalesforceAllowance({ max: 2 * cap, used });
    for (const fields of LEADS) leadIds.push(emu.control.sfCreate({ object: 'Lead', fields }).id);

    const { cycle } = await runCycle(popup);
    expect(cycle.status).toBe('Not Completed');
    expect(cycle.apiCalls.salesforce).toBeLessThanOrEqual(4);
    expect(inMarketo()).toBe(0);
    const reason = popup.locator('[data-testid="last-cycle-reason"] .plain');
    await expect
      .poll(() => reason.textContent())
      .toMatch(
        new RegExp(
          `^Today's Salesforce API budget is spent \\(\\d+ of ${cap} calls: 50 % of the org's ${2 * cap} in 24 hours\\) — the sync resumes when the budget frees up; raise it under Options → API budget$`,
        ),
      );
    expect(await popup.locator('[data-testid="last-cycle"] .status').textContent()).toBe('Not Completed');
    // Salesforce answered every call: the header still says Connected (not "Not checked").
    const salesforceLine = popup.locator('.sync-header .connection').first();
    expect(await salesforceLine.getAttribute('data-state')).toBe('connected');
    await popup.screenshot({ path: screenshotPath('budget-spent.png') });
    // The admin hears of it once.
    await expect.poll(showing).toEqual([`sync-problem-${cycle.id}`]);
    const [notice] = await notices();
    expect(notice?.title).toBe('Sync paused: API budget spent');
    expect(notice?.message).toMatch(/^Today's Salesforce API budget is spent \(/);
    // Still today: the next cycle stops too, and says nothing new.
    const again = (await runCycle(popup)).cycle;
    expect(again.status).toBe('Not Completed');
    expect(inMarketo()).toBe(0);
    expect(await notices()).toHaveLength(1);
  });

  it('goes on the next day: the cycle completes and syncs what the spent budget held back', async () => {
    await dayPassesForTheExtension();
    // The org's rolling window has moved on as well.
    emu.control.setSalesforceAllowance({ used: 0 });
    const { cycle } = await runCycle(popup);
    expect(cycle.status).toBe('Completed');
    expect(inMarketo()).toBe(LEADS.length);
    await expect.poll(() => popup.locator('[data-testid="last-cycle-reason"]').count()).toBe(0);
    await popup.screenshot({ path: screenshotPath('budget-next-day.png') });
    await expect.poll(async () => (await showing()).length).toBe(2);
    expect((await notices()).map((n) => n.title)).toEqual([
      'Sync paused: API budget spent',
      'Sync recovered',
    ]);
  });

  /** Sets the Salesforce share (%) on the options page, as the admin does. */
  const setShareOnOptionsPage = async (percent: string) => {
    const options = await ext.openPage('options.html');
    try {
      await options.waitForSelector('#salesforceDailyShare');
      await options.fill('#salesforceDailyShare', percent);
      await options.click('#saveSettings');
      await expect.poll(() => options.textContent('#settings .save-message')).toContain('Saved');
    } finally {
      await options.close();
    }
  };

  it('completes the same day once the admin raises the share on the options page, as the reason advises', async () => {
    const used = Object.values(
      JSON.parse((await usageRow()).value).salesforceHours as Record<string, number>,
    ).reduce((a, b) => a + b, 0);
    // Spent again: a quarter of the org's allowance is what the sync used today.
    emu.control.setSalesforceAllowance({ max: 4 * used, used });
    await setShareOnOptionsPage('25');
    const spent = (await runCycle(popup)).cycle;
    expect(spent.status).toBe('Not Completed');
    await expect
      .poll(() => popup.locator('[data-testid="last-cycle-reason"] .plain').textContent())
      .toMatch(new RegExp(`^Today's Salesforce API budget is spent \\(\\d+ of ${used} calls: 25 % `));

    await setShareOnOptionsPage('100');
    const { cycle } = await runCycle(popup);
    expect(cycle.status).toBe('Completed');
    await expect.poll(() => popup.locator('[data-testid="last-cycle-reason"]').count()).toBe(0);
    expect(await popup.locator('[data-testid="last-cycle"] .status').textContent()).toBe('Completed');
  });
});
