import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectThroughOptions, loginToSalesforce } from '../../scripts/emulatorSession';
import { screenshotPath } from './support/screenshots';

// The options page's campaign ⇄ program pairs (issue 17) in Chromium against the demo org: the
// choices come from both connections, a suggested pair is added and its status mapping edited and
// saved; a second pair with the same program is refused, naming it, and nothing is saved.
describe('options: campaign ⇄ program pairs', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let page: Page;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    await connectThroughOptions(ext, emu.info);
    page = await ext.openPage('options.html');
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: stored settings are read back only to assert on them
  const stored = (): Promise<any> =>
    ext.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
  const editor = () => page.locator('fieldset.program-pairs');

  it('adds a suggested pair, maps a status and saves it', async () => {
    await editor().getByRole('button', { name: 'Add a pair…' }).click();
    const suggestion = editor().locator('.pair-suggestions li', {
      hasText: 'Spring Webinar 2026 ⇄ Spring Webinar 2026',
    });
    await suggestion.getByRole('button', { name: 'Add' }).click();
    const pair = editor().locator('.program-pair').first();
    await expect
      .poll(() => pair.locator('h4').textContent())
      .toBe('Spring Webinar 2026 ⇄ Spring Webinar 2026');
    // The campaign's "No Show" goes to the program's "Invited" instead of the same label.
    await pair.getByLabel('No Show').selectOption('Invited');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Saved');
    const settings = await stored();
    expect(settings.programPairs).toEqual([
      expect.objectContaining({
        campaignName: 'Spring Webinar 2026',
        programId: 1000,
        direction: 'both',
        statusMap: [{ salesforceStatus: 'No Show', marketoStatus: 'Invited' }],
      }),
    ]);
    await editor().screenshot({ path: screenshotPath('options-program-pairs.png') });
  });

  it('refuses a program linked to two campaigns, naming it, and saves nothing', async () => {
    await editor().locator('#pair-campaign').selectOption({ label: 'Monthly Newsletter' });
    await editor().locator('#pair-program').selectOption({ label: 'Spring Webinar 2026 (Webinar)' });
    await editor().getByRole('button', { name: 'Add pair' }).click();
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Not saved');
    expect(await editor().locator('.program-pair').nth(1).textContent()).toContain(
      'program 1000 is already linked to campaign',
    );
    expect((await stored()).programPairs).toHaveLength(1);
  });
});
