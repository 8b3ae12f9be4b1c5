import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { sendFromPage } from '../../scripts/emulatorSession';
import { screenshotPath } from './support/screenshots';

// The options page end to end, against the emulator: first run, both Salesforce routes (session
// cookie from the emulator's /login, OAuth through its authorize/token/revoke endpoints), Marketo
// with a wrong and a right secret, Test connection with the pre-flight of the emulator's hidden,
// read-only and formula fields, settings saved and refused, export/import — and no secret in
// storage.sync, an answer, the log or the exported file.
describe('options: connections and settings', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let page: Page;
  let salesforceTab: Page;
  const logs: string[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    ext = await launchWithExtension();
    ext.worker.on('console', (m) => logs.push(m.text()));
    ext.context.on('page', (p) => p.on('console', (m) => logs.push(m.text())));
    page = await ext.openPage('options.html');
    page.on('console', (m) => logs.push(m.text()));
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  const secret = () => emu.info.marketo.clientSecret;
  // biome-ignore lint/suspicious/noExplicitAny: stored rows are read back only to assert on them
  const stored = (key: string): Promise<any> =>
    ext.worker.evaluate(async (k) => (await chrome.storage.local.get(k))[k], key);
  const leadRows = () => page.locator('.object:has(#object-Lead) table.mapping tbody tr');
  const leadInput = (i: number, part: string) => page.locator(`[name="objects.Lead.fields[${i}].${part}"]`);

  it('first run: shows the three steps to connect', async () => {
    await page.waitForSelector('.first-run');
    const steps = await page.locator('.first-run li').allTextContents();
    expect(steps).toEqual([
      expect.stringMatching(/Step 1: Connect Salesforce.*to do/),
      expect.stringMatching(/Step 2: Connect Marketo.*to do/),
      expect.stringMatching(/Step 3: Test the connections/),
    ]);
    expect(await page.textContent('#salesforce h2')).toBe('Step 1: Salesforce');
    await page.screenshot({ path: screenshotPath('options-first-run.png'), fullPage: true });
  });

  it('Step 1 by session: detects the org of the open Salesforce tab after the emulator login', async () => {
    await page.click('#detectSession');
    await expect.poll(() => page.textContent('[data-side="salesforce"] .error')).toMatch(/No Salesforce tab/);
    salesforceTab = await ext.context.newPage();
    await salesforceTab.goto(`${emu.info.salesforce.url}/login`);
    await salesforceTab.fill('#password', 'emulator');
    await Promise.all([salesforceTab.waitForURL(/\/lightning\//), salesforceTab.press('#password', 'Enter')]);
    await page.bringToFront();
    await page.click('#detectSession');
    await page.waitForSelector('[data-side="salesforce"] .who');
    const summary = await page.textContent('[data-side="salesforce"]');
    expect(summary).toContain('sync.admin@emulator.example');
    expect(summary).toContain('admin');
    expect(summary).toContain('Europe/Amsterdam');
    expect(summary).toContain(emu.info.salesforce.orgId);
    expect((await stored('connections')).salesforce).toMatchObject({
      mode: 'session',
      instanceUrl: emu.info.salesforce.url,
    });
    expect(await page.textContent('.first-run li[data-step="salesforce"]')).toContain('done');
  });

  it('Step 2: a malformed endpoint is refused next to the field and nothing is saved', async () => {
    await page.fill('#restEndpoint', 'https://example.com/api');
    await page.fill('#marketoClientId', emu.info.marketo.clientId);
    await page.fill('#clientSecret', 'wrong-secret-xyz');
    await page.click('#saveMarketo');
    await expect
      .poll(() => page.textContent('[data-field="restEndpoint"]'))
      .toMatch(/not a Marketo REST endpoint/);
    expect((await stored('connections')).marketo).toEqual({});
    expect((await stored('secrets'))?.marketo?.clientSecret).toBeUndefined();
  });

  it('Step 2 and 3: a wrong Marketo secret gives a clear error; the right one connects', async () => {
    await page.fill('#restEndpoint', `${emu.info.marketo.url}/rest`);
    await page.click('#saveMarketo');
    await page.waitForSelector('.secret-saved');
    expect(await page.textContent('.secret-saved')).toContain('•••• saved');
    expect(await page.content()).not.toContain('wrong-secret-xyz');
    await page.click('#testConnections');
    await page.waitForSelector('.test-result[data-side="marketo"]');
    expect(await page.textContent('.test-result[data-side="marketo"] .error')).toMatch(
      /Marketo rejected the client id\/secret/,
    );
    await page.click('#replaceSecret');
    await page.fill('#clientSecret', secret());
    await page.click('#saveMarketo');
    await page.waitForSelector('.secret-saved');
    await page.click('#testConnections');
    await expect
      .poll(() => page.textContent('.test-result[data-side="marketo"]'))
      .toContain('API user apis@emulator.example.com');
    const salesforce = await page.textContent('.test-result[data-side="salesforce"]');
    expect(salesforce).toContain('sync.admin@emulator.example');
    expect(salesforce).toMatch(/API usage in the last 24 h: \d+ of 15,000 requests/);
  });

  it('pre-flight: the emulator hidden, read-only and formula fields, each with what to do', async () => {
    await page.click('.object:has(#object-Lead) summary');
    const first = await leadRows().count();
    for (let i = 0; i < 3; i++) await page.click('.object:has(#object-Lead) .add-field');
    // Wait for the describe-backed suggestions, then map the three problem fields.
    await page.waitForSelector('#sf-fields-Lead option[value="Email_Domain__c"]', { state: 'attached' });
    await leadInput(first, 'salesforceField').fill('Internal_Notes__c');
    await leadInput(first, 'marketoField').fill('notes');
    await leadInput(first + 1, 'salesforceField').fill('Territory__c');
    await leadInput(first + 1, 'marketoField').fill('territory');
    await leadInput(first + 1, 'direction').selectOption('both');
    await leadInput(first + 2, 'salesforceField').fill('Email_Domain__c');
    await leadInput(first + 2, 'marketoField').fill('emailDomain');
    // Formula fields are excluded by default; the admin insists on pulling it.
    expect(await leadInput(first + 2, 'direction').inputValue()).toBe('none');
    await leadInput(first + 2, 'direction').selectOption('pull');
    const row = (i: number) => leadRows().nth(i).textContent();
    expect(await row(first)).toContain('not visible');
    expect(await row(first + 2)).toContain('formula');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Saved');

    await page.click('#testConnections');
    const finding = (kind: string, field: string) =>
      page.locator(`table.findings tr[data-kind="${kind}"][data-field="${field}"]`);
    await finding('field-unreadable', 'Internal_Notes__c').waitFor();
    expect(await finding('field-read-only', 'Territory__c').textContent()).toMatch(/Edit access/);
    expect(await finding('formula-field', 'Email_Domain__c').textContent()).toMatch(/formula/);
    expect(await finding('field-unreadable', 'Internal_Notes__c').textContent()).toMatch(
      /ask your Salesforce admin/,
    );
    expect(await page.locator('.first-run').count()).toBe(0);
    // Both sides tested: the first cycle can start from here.
    await page.click('#firstSync');
    await expect.poll(() => page.textContent('#test .save-message')).toMatch(/first cycle is running/);
    await page.locator('#test').screenshot({ path: screenshotPath('options-preflight.png') });
    await page.screenshot({ path: screenshotPath('options-connected.png'), fullPage: true });
  });

  it('invalid settings: field-level errors and nothing saved', async () => {
    const before = await stored('settings');
    await page.fill('#intervalMinutes', '0');
    await page.fill('#syncFilterField', 'No_Such_Field__c');
    const rows = await leadRows().count();
    await page.click('.object:has(#object-Lead) .add-field');
    await leadInput(rows, 'salesforceField').fill('Bad Field!');
    await leadInput(rows, 'marketoField').fill('bad');
    await page.fill('#salesforceDailyShare', '150');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Not saved');
    // The filter field is checked against Lead's describe first; fix it to see the schema's errors.
    expect(await page.textContent('[data-field="syncFilterField"]')).toMatch(/no field No_Such_Field__c/);
    await page.fill('#syncFilterField', 'Do_Not_Sync_to_Marketo__c');
    await page.click('#saveSettings');
    await expect
      .poll(() => page.textContent('[data-field="intervalMinutes"]'))
      .toMatch(/minutes from 1 to 60/);
    expect(await page.textContent(`[data-field="objects.Lead.fields[${rows}].salesforceField"]`)).toMatch(
      /not a Salesforce API name/,
    );
    expect(await page.textContent('[data-field="salesforceDailyShare"]')).toMatch(/percentage/);
    expect(await stored('settings')).toEqual(before);
    await page.screenshot({ path: screenshotPath('options-invalid.png'), fullPage: true });
    // Put it right and save.
    await leadRows().nth(rows).locator('button', { hasText: 'Remove' }).click();
    await page.fill('#intervalMinutes', '15');
    await page.fill('#salesforceDailyShare', '40');
    await page.check('input[name="taskActivityTypes"][value="10"]');
    await page.uncheck('#object-Account');
    await page.click('#saveSettings');
    await expect.poll(() => page.textContent('#settings .save-message')).toContain('Saved');
    const saved = await stored('settings');
    expect(saved).toMatchObject({ intervalMinutes: 15, apiBudget: { salesforceDailyShare: 0.4 } });
    expect(saved.objects.Account.enabled).toBe(false);
    expect(saved.taskActivityTypes.map((t: { id: number }) => t.id)).toEqual([2, 11, 10]);
  });

  it('exports and re-imports the settings; a bad file or an unknown version changes nothing', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#exportSettings')]);
    const file = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^sync-settings-\d{4}-\d{2}-\d{2}\.json$/);
    expect(JSON.parse(file).settings.intervalMinutes).toBe(15);

    await page.fill('#intervalMinutes', '30');
    await page.click('#saveSettings');
    await expect.poll(async () => (await stored('settings')).intervalMinutes).toBe(30);

    const upload = (name: string, text: string) =>
      page.setInputFiles('#importSettings', {
        name,
        mimeType: 'application/json',
        buffer: Buffer.from(text),
      });
    await upload('broken.json', '{"format": ');
    await expect
      .poll(() => page.textContent('.import-error'))
      .toMatch(/broken\.json was not imported.*not JSON/);
    const future = JSON.stringify({ ...JSON.parse(file), version: 99 });
    await upload('future.json', future);
    await expect.poll(() => page.textContent('.import-error')).toMatch(/unknown settings version 99/);
    expect((await stored('settings')).intervalMinutes).toBe(30);

    await upload('good.json', file);
    await expect.poll(() => page.inputValue('#intervalMinutes')).toBe('15');
    expect((await stored('settings')).intervalMinutes).toBe(15);
    expect(file).not.toContain(secret());
    expect(file).not.toContain(emu.info.marketo.clientId);
  });

  it('Step 1 by OAuth: connects a sync user, tests it, and Disconnect revokes the grant', async () => {
    await page.click('[data-side="salesforce"] button');
    await page.waitForSelector('#connectOAuth');
    await page.selectOption('#loginHost', 'mydomain');
    await page.fill('#myDomain', emu.info.salesforce.url);
    await page.fill('#clientId', emu.info.salesforce.clientId);
    await page.click('#connectOAuth');
    await page.waitForSelector('[data-side="salesforce"] .who', { timeout: 30_000 });
    expect(await page.textContent('[data-side="salesforce"]')).toContain('OAuth, dedicated sync user');
    const refreshToken = (await stored('secrets')).salesforce.refreshToken as string;
    expect(refreshToken).toMatch(/^5Aep861/);
    expect(JSON.stringify(await stored('connections'))).not.toContain(refreshToken);

    await page.click('#testConnections');
    await expect.poll(() => page.textContent('.test-result[data-side="salesforce"]')).toContain('sync.admin');
    await page.click('[data-side="salesforce"] button');
    await page.waitForSelector('#connectOAuth');
    expect(emu.salesforce.auth.refreshTokens.get(refreshToken)?.revoked).toBe(true);
    expect((await stored('secrets')).salesforce).toEqual({});
    expect(await page.content()).not.toContain(refreshToken);
    expect(JSON.stringify(logs)).not.toContain(refreshToken);
  });

  it('no secret in storage.sync, in answers to pages and content scripts, or in the log', async () => {
    const sync = await ext.worker.evaluate(() => chrome.storage.sync.get(null));
    expect(JSON.stringify(sync)).not.toContain(secret());
    const answers = [
      await sendFromPage(page, 'getConnections'),
      await sendFromPage(page, 'getSyncState'),
      await sendFromPage(page, 'testConnections', { only: 'marketo' }),
    ];
    expect(JSON.stringify(answers)).not.toContain(secret());
    expect(JSON.stringify(answers)).toContain('secretSaved');
    expect(await page.content()).not.toContain(secret());
    expect(logs.join('\n')).not.toContain(secret());
    expect(logs.join('\n')).not.toContain('wrong-secret-xyz');
  });
});
