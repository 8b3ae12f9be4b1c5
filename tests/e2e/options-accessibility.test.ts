// Issue 22: the options page by keyboard and screen reader. axe-core (WCAG 2.1 A/AA) on the first
// run, with a mapping open, with errors shown, and connected with a test report; names and error
// states read from Chromium's accessibility tree; focus on the first field to fix after Save.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectThroughOptions, loginToSalesforce } from '../../scripts/emulatorSession';
import { accessibilityTree, focusedControl, namesOf } from './support/accessibility';
import { axeViolations } from './support/axe';
import { screenshotPath } from './support/screenshots';

/** The texts of the page's live regions. */
const liveRegions = (page: Page) =>
  page.$$eval('[role="status"], [role="alert"], [role="log"], [aria-live]', (els) =>
    els.map((e) => e.textContent ?? ''),
  );
/** The page's live regions, by id and whether they sit outside the rendered app (there from load). */
const liveRegionsAtLoad = (page: Page) =>
  page.$$eval('[role="status"], [role="alert"], [role="log"], [aria-live]', (els) =>
    els.map((e) => ({ id: e.id, outsideApp: !e.closest('#app'), text: e.textContent })),
  );
const ANNOUNCER = [{ id: 'announcer', outsideApp: true, text: '' }];

describe('options page accessibility', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let page: Page;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    ext = await launchWithExtension();
    page = await ext.openPage('options.html');
    await page.waitForSelector('#object-Lead');
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  it('has one live region from load and passes axe on the first run', async () => {
    expect(await liveRegionsAtLoad(page)).toEqual(ANNOUNCER);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('passes axe with the Lead mapping open, every field and button named for its row', async () => {
    await page.click('.object:has(#object-Lead) summary');
    await page.waitForSelector('.object:has(#object-Lead) table.mapping');
    await page.click('#settings button:text("Add threshold")');
    expect(await axeViolations(page)).toEqual([]);
    const tree = await accessibilityTree(page);
    const unnamed = tree.filter(
      (n) => ['button', 'checkbox', 'textbox', 'combobox', 'spinbutton'].includes(n.role) && !n.name.trim(),
    );
    expect(unnamed).toEqual([]);
    const buttons = await namesOf(page, 'button');
    expect(buttons.filter((n) => n === 'Remove')).toEqual([]);
    const sf = await page.inputValue('[name="objects.Lead.fields[0].salesforceField"]');
    const mk = await page.inputValue('[name="objects.Lead.fields[0].marketoField"]');
    expect(buttons).toContain(`Remove mapping ${sf} → ${mk} (Lead)`);
    // An input with suggestions (a datalist) is a combobox to assistive technology.
    const textboxes = [...(await namesOf(page, 'textbox')), ...(await namesOf(page, 'combobox'))];
    expect(textboxes).toContain('Lead mapping 1: Salesforce field');
    expect(textboxes).toContain('Threshold 1: field');
    expect(await namesOf(page, 'checkbox')).toContain('Sync Lead');
    await page.screenshot({ path: screenshotPath('a11y-options-mapping.png'), fullPage: true });
  });

  it('ties errors to their fields, announces them and moves focus to the first one', async () => {
    await page.fill('#intervalMinutes', '0');
    await page.fill('[name="objects.Lead.fields[0].salesforceField"]', 'Not A Field!');
    await page.focus('#saveSettings');
    await page.keyboard.press('Enter');
    await expect.poll(() => liveRegions(page)).toEqual([expect.stringContaining('Not saved')]);
    expect(await focusedControl(page)).toBe('textbox Sync every (minutes)');
    const interval = (await accessibilityTree(page)).find(
      (n) => n.role === 'textbox' && n.name === 'Sync every (minutes)',
    )!;
    expect(interval.invalid).toBe('true');
    expect(interval.description).toMatch(/Expected a whole number of minutes/);
    const row = (await accessibilityTree(page)).find(
      (n) => n.role === 'combobox' && n.name === 'Lead mapping 1: Salesforce field',
    )!;
    expect(row.invalid).toBe('true');
    expect(row.description).toBeTruthy();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('a11y-options-errors.png') });
    await page.reload();
    await page.waitForSelector('#object-Lead');
  });

  it('passes axe connected, with the test report and its pre-flight findings', async () => {
    await loginToSalesforce(ext, emu.info);
    await connectThroughOptions(ext, emu.info);
    await page.reload();
    await page.waitForSelector('.test-result');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#testConnections');
    await page.waitForSelector('.test-result[data-side="salesforce"] .who');
    // The result may show a moment before the button's label turns back from "Testing…".
    await expect.poll(() => focusedControl(page)).toBe('button Test connections');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('a11y-options-connected.png'), fullPage: true });
  });
});
