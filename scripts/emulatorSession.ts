import type { Page } from 'playwright-core';
import type { EmulatorInfo } from '../emulator/index';
import type { LoadedExtension } from './browser';

/**
 * Logs into the emulator's Salesforce as the admin, as a person would: the browser then holds its
 * `sid` cookie, and the returned tab stays open on the Lead list like an admin's Salesforce tab.
 */
export async function loginToSalesforce(ext: LoadedExtension, info: EmulatorInfo): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`${info.salesforce.url}/login`);
  await page.fill('#password', 'emulator');
  await Promise.all([page.waitForURL('**/lightning/o/Lead/list'), page.click('#Login')]);
  const cookies = await ext.context.cookies(info.salesforce.url);
  if (!cookies.some((c) => c.name === 'sid')) throw new Error('The emulator login set no sid cookie');
  return page;
}

/** Stores the connections to the emulator as the options page would (session mode for Salesforce). */
export async function connectToEmulator(ext: LoadedExtension, info: EmulatorInfo): Promise<void> {
  await ext.worker.evaluate(async (i) => {
    await chrome.storage.local.set({
      connections: {
        salesforce: { mode: 'session', instanceUrl: i.salesforce.url },
        marketo: { restEndpoint: `${i.marketo.url}/rest`, clientId: i.marketo.clientId },
      },
      secrets: { salesforce: {}, marketo: { clientSecret: i.marketo.clientSecret } },
    });
  }, info);
}

/**
 * Connects both sides on the options page as an admin does (the demo's way): Step 1 detects the org
 * of the open Salesforce tab, Step 2 saves the Marketo endpoint and API credentials, Step 3 tests
 * both connections. Needs the Salesforce tab from loginToSalesforce open.
 */
export async function connectThroughOptions(ext: LoadedExtension, info: EmulatorInfo): Promise<void> {
  const page = await ext.openPage('options.html');
  await page.click('#detectSession');
  await page.waitForSelector('[data-side="salesforce"] .who');
  await page.fill('#restEndpoint', `${info.marketo.url}/rest`);
  await page.fill('#marketoClientId', info.marketo.clientId);
  await page.fill('#clientSecret', info.marketo.clientSecret);
  await page.click('#saveMarketo');
  await page.waitForSelector('.secret-saved');
  await page.click('#testConnections');
  for (const side of ['salesforce', 'marketo']) {
    const result = page.locator(`.test-result[data-side="${side}"]`);
    await result.waitFor();
    const error = await result.locator('.error').count();
    if (error > 0) throw new Error(`Test connection failed for ${side}: ${await result.textContent()}`);
  }
  await page.close();
}

/** Sends one protocol message from an extension page, as the popup does. */
export async function sendFromPage(page: Page, type: string, data: unknown = {}): Promise<unknown> {
  return page.evaluate(
    ([t, d]) => chrome.runtime.sendMessage({ channel: 'salesforce-sync-status', type: t, data: d }),
    [type, data] as const,
  );
}

/**
 * Reads the newest cycle and its steps from the extension's log (raw IndexedDB in its page). The
 * page function is a string: tsx names functions with a `__name` helper the page does not have.
 */
export async function readLastCycle(page: Page) {
  return (await page.evaluate(`(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('sync-log');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const read = (store) => new Promise((ok) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => ok(r.result);
    });
    const cycles = await read('cycles');
    const cycle = cycles.sort((a, b) => b.id - a.id)[0];
    const steps = cycle ? (await read('steps')).filter((s) => s.cycleId === cycle.id) : [];
    db.close();
    return { cycle, steps: steps.sort((a, b) => a.id - b.id) };
  })()`)) as {
    cycle?: {
      id: number;
      status: string;
      startedAt: number;
      endedAt: number | null;
      totals: { failed: number };
      apiCalls: { salesforce: number; marketo: number };
    };
    steps: Record<string, unknown>[];
  };
}
