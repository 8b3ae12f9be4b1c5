import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectThroughOptions, loginToSalesforce } from '../../scripts/emulatorSession';
import { screenshotPath } from './support/screenshots';

// The options page's custom objects (issue 19) in Chromium against the demo org: an object switched
// on without a link field is refused, naming the field, and nothing is saved; with its Marketo
// object, link fields and a mapped field it saves. The object switches are exactly the objects that
// sync (persons, accounts, campaigns, opportunities, roles, users).
describe('options: custom objects', () => {
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
  const section = () => page.locator('section.custom-objects');

  it('offers a switch for exactly the objects that sync', async () => {
    const switches = page.locator('.objects .object-switch');
    await expect.poll(() => switches.count()).toBeGreaterThan(0);
    expect((await switches.allTextContents()).map((s) => s.trim())).toEqual(
      [
        'Lead',
        'Contact',
        'Account',
        'Campaign',
        'CampaignMember',
        'Opportunity',
        'OpportunityContactRole',
        'User',
        'EmailTemplate',
        'Task',
        'Event',
      ].map((o) => `Sync ${o}`),
    );
  });

  it('refuses a custom object switched on without a link field, naming it, and saves nothing', async () => {
    await section().locator('input[name="add-custom-object"]').fill('Subscription__c');
    await section().getByRole('button', { name: 'Add', exact: true }).click();
    const object = section().locator('.custom-object[data-object="Subscription__c"]');
    await object.locator('input[name="customObjects.Subscription__c.marketoObject"]').fill('subscription_c');
    await object.getByLabel('Sync Subscription__c').check();
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Not saved');
    expect(await object.locator('.field-error').first().textContent()).toContain('needs a link field');
    expect((await stored())?.customObjects ?? {}).toEqual({});
  });

  it('saves it with its link fields and a mapped field', async () => {
    const object = section().locator('.custom-object[data-object="Subscription__c"]');
    await object
      .locator('input[name="customObjects.Subscription__c.linkFields"]')
      .fill('Contact__c, Lead__c');
    await object.locator('summary').click();
    await object.getByRole('button', { name: 'Add field to the Subscription__c mapping' }).click();
    await object.getByLabel('Subscription__c mapping 1: Salesforce field').fill('Product__c');
    await object.getByLabel('Subscription__c mapping 1: Marketo field').fill('productName');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Saved');
    const settings = await stored();
    expect(settings.customObjects).toEqual({
      Subscription__c: { marketoObject: 'subscription_c', linkFields: ['Contact__c', 'Lead__c'] },
    });
    expect(settings.objects.Subscription__c).toMatchObject({
      enabled: true,
      fields: [{ salesforceField: 'Product__c', marketoField: 'productName', direction: 'pull' }],
    });
    await section().screenshot({ path: screenshotPath('options-custom-objects.png') });
  });
});
