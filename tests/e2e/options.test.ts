import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';

describe('options page', () => {
  let ext: LoadedExtension;
  beforeAll(async () => {
    ext = await launchWithExtension();
  });
  afterAll(async () => {
    await ext?.close();
  });

  const storedSettings = () =>
    ext.worker.evaluate(
      async () => (await chrome.storage.local.get('settings')).settings as Record<string, unknown>,
    );

  it('opens by itself when the extension is installed', () => {
    expect(ext.openedOptionsOnInstall).toBe(true);
  });

  it('refuses an invalid interval next to the field and saves nothing', async () => {
    const page = await ext.openPage('options.html');
    await page.fill('#intervalMinutes', '0');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('[data-field="intervalMinutes"]')).toMatch(/1/);
    expect(await page.textContent('#settings .save-message')).toContain('Not saved');
    expect(await storedSettings()).toBeUndefined();
    await page.close();
  });

  it('offers switches only for the objects the engine syncs', async () => {
    const page = await ext.openPage('options.html');
    await page.waitForSelector('#object-Lead');
    const ids = await page.$$eval('.objects [id^="object-"]', (els) => els.map((e) => e.id));
    expect(ids).toEqual([
      'object-Lead',
      'object-Contact',
      'object-Account',
      'object-Campaign',
      'object-CampaignMember',
      'object-Opportunity',
      'object-OpportunityContactRole',
      'object-User',
      'object-EmailTemplate',
      'object-Task',
      'object-Event',
    ]);
    await page.close();
  });

  it('refuses an interval typed as 0x10, naming the field, and saves nothing', async () => {
    const page = await ext.openPage('options.html');
    await page.fill('#intervalMinutes', '0x10');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('[data-field="intervalMinutes"]')).toMatch(/number/i);
    expect(await page.textContent('#settings .save-message')).toContain('Not saved');
    expect(await storedSettings()).toBeUndefined();
    await page.close();
  });

  it('refuses two Salesforce fields written into one Marketo field, naming the row, and saves nothing', async () => {
    const page = await ext.openPage('options.html');
    await page.click('.object:has(#object-Lead) summary');
    const input = (i: number, part: string) => page.locator(`[name="objects.Lead.fields[${i}].${part}"]`);
    const target = await input(0, 'marketoField').inputValue();
    await input(1, 'direction').selectOption('pull');
    await input(1, 'marketoField').fill(target);
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Not saved');
    const row = page.locator('.object:has(#object-Lead) table.mapping tbody tr').nth(1);
    expect(await row.textContent()).toContain(`Marketo field ${target} is already written from`);
    expect(await storedSettings()).toBeUndefined();
    await page.close();
  });

  it('saves valid settings to storage.local', async () => {
    const page = await ext.openPage('options.html');
    await page.fill('#intervalMinutes', '15');
    await page.selectOption('#personLabel', 'Person');
    await page.fill('#retryMaxAttempts', '7');
    await page.fill('#retryBackoffMinutes', '10');
    await page.fill('#retryPausePercent', '80');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Saved');
    const saved = await storedSettings();
    expect(saved.intervalMinutes).toBe(15);
    expect(saved.personLabel).toBe('Person');
    expect(saved.retry).toEqual({ maxAttempts: 7, backoffBaseMinutes: 10, pauseAtAllocationShare: 0.8 });
    await page.close();
  });
});
