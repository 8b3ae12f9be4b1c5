import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectThroughOptions, loginToSalesforce } from '../../scripts/emulatorSession';
import { axeViolations } from './support/axe';
import { screenshotPath } from './support/screenshots';

// The options page's email template folders (issue 20) in Chromium against the demo org: the Email
// Template switch on without folders is refused, each folder list saying why, and nothing is saved;
// the folders read from both connections (Marketo's Design Studio email folders and programs,
// Salesforce's Email folders) are picked and saved with the form.
describe('options: email templates', () => {
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
  const section = () => page.locator('fieldset.email-templates');

  it('refuses the switch on without both folders, saying so on each, and saves nothing', async () => {
    await page.getByLabel('Sync EmailTemplate').check();
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Not saved');
    expect(await section().locator('[data-field="emailMarketoFolders"]').textContent()).toContain(
      'without a Marketo folder',
    );
    expect(await section().locator('[data-field="emailSalesforceFolder"]').textContent()).toContain(
      'without a Salesforce email folder',
    );
    // Focus lands on the first field to fix.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Choose folders…');
    expect((await stored())?.objects?.EmailTemplate?.enabled ?? false).toBe(false);
    await section().screenshot({ path: screenshotPath('options-email-templates-refused.png') });
  });

  it('lists both sides’ folders, and saves the ones picked', async () => {
    await section().getByRole('button', { name: 'Choose folders…' }).click();
    const sales = section().getByLabel('/Design Studio/Default/Emails/Sales Emails');
    await sales.waitFor();
    expect((await section().locator('.folder-choice').allTextContents()).map((t) => t.trim())).toEqual(
      expect.arrayContaining([
        '/Design Studio/Default/Emails/Newsletters',
        '/Marketing Activities/Default/Spring Webinar 2026 (program)',
      ]),
    );
    await sales.check();
    const options = await section().locator('#emailSalesforceFolder option').allTextContents();
    expect(options).toEqual(['Choose a folder', 'Marketo Emails', 'Sales Templates']);
    await section().locator('#emailSalesforceFolder').selectOption({ label: 'Marketo Emails' });
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Saved');
    const settings = await stored();
    const marketoEmails = [...emu.salesforce.store.table('Folder').records.values()].find(
      (f) => f.Name === 'Marketo Emails',
    )!;
    expect(settings.objects.EmailTemplate.enabled).toBe(true);
    expect(settings.emailTemplates).toEqual({
      marketoFolders: [{ id: 100, type: 'Folder', name: 'Sales Emails' }],
      salesforceFolderId: marketoEmails.Id,
      salesforceFolderName: 'Marketo Emails',
    });
    expect(await axeViolations(page, 'fieldset.email-templates')).toEqual([]);
    await section().screenshot({ path: screenshotPath('options-email-templates.png') });
  });
});
