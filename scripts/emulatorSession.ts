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

/** Sends one protocol message from an extension page, as the popup does. */
export async function sendFromPage(page: Page, type: string, data: unknown = {}): Promise<unknown> {
  return page.evaluate(
    ([t, d]) => chrome.runtime.sendMessage({ channel: 'salesforce-sync-status', type: t, data: d }),
    [type, data] as const,
  );
}
