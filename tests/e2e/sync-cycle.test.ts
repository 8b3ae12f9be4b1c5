import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectToEmulator, loginToSalesforce, sendFromPage } from './support/emulatorSetup';
import { screenshotPath } from './support/screenshots';

// The real thing: the built extension's service worker runs a sync cycle against the emulator
// (browser session cookie for Salesforce, client credentials for Marketo) and the views show it.
describe('a sync cycle in the extension', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
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
    const cycle = page.locator('[data-cycle-id]').first();
    await expect
      .poll(
        async () =>
          (await cycle.count()) > 0 && (await cycle.locator('.cycle-header .status').first().textContent()),
        {
          timeout: 90_000,
          interval: 500,
        },
      )
      .toMatch(/Completed|Failed|Not Completed|Purged/);
    const text = (await cycle.textContent()) ?? '';
    expect(text).toContain('Sync Schema');
    expect(text).toContain('Pull Updates');
    await page.screenshot({ path: screenshotPath('popup-after-cycle.png') });
    // The badge shows the cycle's failures (the demo org has records failing the validation rule).
    const badge = await ext.worker.evaluate(() => chrome.action.getBadgeText({}));
    expect(typeof badge).toBe('string');
    await page.close();
  });
});
