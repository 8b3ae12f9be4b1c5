import type { Page } from 'playwright-core';
import type { EmulatorInfo } from '../../../emulator/index';
import type { LoadedExtension } from '../../../scripts/browser';

/** Logs into the emulator's Salesforce as the admin: the browser then holds its `sid` cookie. */
export async function loginToSalesforce(ext: LoadedExtension, info: EmulatorInfo): Promise<void> {
  const page = await ext.context.newPage();
  await page.goto(`${info.salesforce.url}/login`);
  await page.fill('#password', 'emulator');
  await Promise.all([page.waitForURL(/\/lightning\//), page.press('#password', 'Enter')]);
  await page.close();
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
