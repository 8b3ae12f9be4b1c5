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

  it('saves valid settings to storage.local', async () => {
    const page = await ext.openPage('options.html');
    await page.fill('#intervalMinutes', '15');
    await page.selectOption('#personLabel', 'Person');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Saved');
    const saved = await storedSettings();
    expect(saved.intervalMinutes).toBe(15);
    expect(saved.personLabel).toBe('Person');
    await page.close();
  });
});
