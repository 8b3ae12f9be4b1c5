import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { loginToSalesforce, sendFromPage } from '../../scripts/emulatorSession';

// The options page asks Chrome for exactly the host it connects (issue 16, docs/permissions.md):
// the detected org's API host, the Marketo instance's. Test builds have the emulator's loopback
// hosts as required permissions, so each request is granted with no prompt; what is checked here is
// that the request is made, for exactly that origin, before the connection — and that Disconnect
// wipes that side's secret and gives back only what is optional (never a required host, which
// Chrome would refuse to remove).
describe('options page: host access asked for on connect', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let page: Page;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    // Records every chrome.permissions request and removal the page makes, in order.
    await ext.context.addInitScript(() => {
      const perms = (globalThis as { chrome?: typeof chrome }).chrome?.permissions;
      if (!perms) return;
      const calls: unknown[] = [];
      (globalThis as { __hostCalls?: unknown[] }).__hostCalls = calls;
      const request = perms.request.bind(perms);
      const remove = perms.remove.bind(perms);
      perms.request = ((p: chrome.permissions.Permissions) => {
        calls.push(['request', p.origins]);
        return request(p);
      }) as typeof perms.request;
      // Origins listed in localStorage "denied-hosts" read as not granted: access the admin removed
      // in chrome://extensions (headless Chromium has no way to withhold a granted host).
      const contains = perms.contains.bind(perms);
      perms.contains = ((p: chrome.permissions.Permissions) => {
        const denied = (localStorage.getItem('denied-hosts') ?? '').split(' ');
        return p.origins?.some((o) => denied.includes(o)) ? Promise.resolve(false) : contains(p);
      }) as typeof perms.contains;
      perms.remove = ((p: chrome.permissions.Permissions) => {
        calls.push(['remove', p.origins]);
        return remove(p);
      }) as typeof perms.remove;
    });
    page = await ext.openPage('options.html');
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  const calls = () => page.evaluate(() => (globalThis as { __hostCalls?: unknown[] }).__hostCalls);
  const secrets = () =>
    page.evaluate(async () => (await chrome.storage.local.get('secrets')).secrets as Record<string, unknown>);

  it('Detect asks for exactly the org of the open Salesforce tab, then connects', async () => {
    await page.click('#detectSession');
    await page.waitForSelector('[data-side="salesforce"] .who');
    expect(await calls()).toEqual([['request', [`${emu.info.salesforce.url}/*`]]]);
  });

  it('a connected org Chrome no longer lets the extension reach is named, with a button that asks again', async () => {
    const origin = `${emu.info.salesforce.url}/*`;
    await page.evaluate((o) => localStorage.setItem('denied-hosts', o), origin);
    await page.reload();
    const notice = page.locator('[data-side="salesforce"] [data-testid="host-access-missing"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`reach ${new URL(emu.info.salesforce.url).host}`);
    const before = (await calls())?.length ?? 0;
    await notice.locator('button.allow-host').click();
    await notice.waitFor({ state: 'detached' });
    expect((await calls())?.slice(before)).toEqual([['request', [origin]]]);
    await page.evaluate(() => localStorage.removeItem('denied-hosts'));
  });

  it('saving Marketo asks for exactly its instance; Disconnect wipes the secret, removes nothing required', async () => {
    await page.fill('#restEndpoint', `${emu.info.marketo.url}/rest`);
    await page.fill('#marketoClientId', emu.info.marketo.clientId);
    await page.fill('#clientSecret', emu.info.marketo.clientSecret);
    await page.click('#saveMarketo');
    await page.waitForSelector('.secret-saved');
    expect((await calls())?.at(-1)).toEqual(['request', [`${emu.info.marketo.url}/*`]]);
    expect(JSON.stringify(await secrets())).toContain(emu.info.marketo.clientSecret);

    // With that access taken away, Sync now says which host to allow instead of failing every call.
    await ext.worker.evaluate((denied) => {
      const real = chrome.permissions.contains.bind(chrome.permissions);
      (globalThis as { __realContains?: unknown }).__realContains = real;
      chrome.permissions.contains = ((p: chrome.permissions.Permissions) =>
        p.origins?.includes(denied) ? Promise.resolve(false) : real(p)) as typeof chrome.permissions.contains;
    }, `${emu.info.marketo.url}/*`);
    const refused = (await sendFromPage(page, 'syncNow')) as { value: { status: string; message: string } };
    expect(refused.value).toMatchObject({
      status: 'refused',
      message: `Not connected: set up host access to ${new URL(emu.info.marketo.url).host} on the options page.`,
    });
    await ext.worker.evaluate(() => {
      const g = globalThis as { __realContains?: typeof chrome.permissions.contains };
      if (g.__realContains) chrome.permissions.contains = g.__realContains;
    });

    await page.click('#disconnectMarketo');
    await page.waitForSelector('#clientSecret');
    expect(await page.textContent('[data-side="marketo"] .save-message')).toMatch(
      /client secret was removed/,
    );
    expect((await secrets()).marketo).toEqual({});
    const stored = await page.evaluate(() => chrome.storage.local.get('connections'));
    expect((stored.connections as { marketo: unknown }).marketo).toEqual({});
    // The emulator's hosts are required in test builds: nothing was removed.
    expect((await calls())?.filter((c) => (c as unknown[])[0] === 'remove')).toEqual([]);
    // After a reload the page still shows Marketo as not connected.
    await page.reload();
    await page.waitForSelector('#clientSecret');
    expect(await page.inputValue('#restEndpoint')).toBe('');
  });

  it('Disconnect of Salesforce forgets the org and its tokens', async () => {
    await page.click('[data-side="salesforce"] button:text("Disconnect")');
    await page.waitForSelector('#detectSession');
    expect((await secrets()).salesforce).toEqual({});
  });
});
