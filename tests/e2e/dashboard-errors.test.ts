// The dashboard's errors, API usage and data dictionary sections (issue 18, docs/dashboard-errors.md)
// on real engine cycles in the extension's worker against the emulator: marketers' edits produce
// three error causes — a two-letter State the org's validation rule refuses, a field the sync user
// may not edit, a value the restricted picklist does not have. The cards show them with their
// records and fixes; accepting the State suggestion makes the next push succeed; the record panel
// replays a failed write as the sync user and shows the raw response; the data dictionary's CSV has
// one row per synced field.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { defaultSettings, FIELD_MAPPED_OBJECTS, SETTINGS_VERSION } from '../../lib/settings/schema';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import {
  connectToEmulator,
  loginToSalesforce,
  readLastCycle,
  sendFromPage,
} from '../../scripts/emulatorSession';
import { axeViolations } from './support/axe';
import { registerPanelSelector, revealPanel } from './support/closedPanel';
import { screenshotPath } from './support/screenshots';
import { copyPanelForAudit, removePanelCopy } from './support/shadowPanel';

type Row = Record<string, unknown>;
const STATE = 'Lead|FIELD_CUSTOM_VALIDATION_EXCEPTION|State';
const TITLE = 'Lead|INVALID_FIELD_FOR_INSERT_UPDATE|Title';
const PICKLIST = 'Lead|INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST|Product_Interest__c';

// The default mapping, plus the restricted picklist both ways (Marketo's custom productInterest).
const settings = defaultSettings();
settings.objects.Lead!.fields.push({
  salesforceField: 'Product_Interest__c',
  marketoField: 'productInterest',
  direction: 'both',
});
const syncedFields = FIELD_MAPPED_OBJECTS.flatMap((o) =>
  settings.objects[o]?.enabled ? settings.objects[o]!.fields.filter((f) => f.direction !== 'none') : [],
);

let emu: Emulator;
let ext: LoadedExtension;
let sfTab: Page;
let dashboard: Page;
const ids = {} as Record<'stateA' | 'stateB' | 'title' | 'picklist', string>;

const personOf = (sfId: string) =>
  (emu.marketo.snapshot().leads as Row[]).find((p) => p.sfdcLeadIdCustom === sfId)!;
const card = (key: string) => dashboard.locator(`article.cause-card[data-cause="${key}"]`);

/** Runs a cycle through the background and waits for its end. */
async function runCycle(request: () => Promise<unknown> = () => sendFromPage(dashboard, 'syncNow')) {
  const before = (await readLastCycle(dashboard)).cycle?.id ?? 0;
  await request();
  for (const deadline = Date.now() + 110_000; Date.now() < deadline; ) {
    const { cycle } = await readLastCycle(dashboard);
    if (cycle && cycle.id > before && cycle.endedAt !== null) return readLastCycle(dashboard);
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error('The cycle did not end within 110 s');
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  const lead = (name: string) =>
    emu.control.sfCreate({ object: 'Lead', fields: { LastName: name, Company: 'Acme', State: 'Oregon' } }).id;
  ids.stateA = lead('Stateside');
  ids.stateB = lead('Statesman');
  ids.title = lead('Titled');
  ids.picklist = lead('Picky');
  await registerPanelSelector();
  ext = await launchWithExtension();
  sfTab = await loginToSalesforce(ext, emu.info);
  await revealPanel(sfTab);
  await connectToEmulator(ext, emu.info);
  await ext.worker.evaluate(([s, v]) => chrome.storage.local.set({ settings: s, settings$: { v } }), [
    settings,
    SETTINGS_VERSION,
  ] as const);
  dashboard = await ext.openPage('dashboard.html');
  await dashboard.setViewportSize({ width: 1280, height: 900 });
  expect((await runCycle()).cycle?.status).toBe('Completed');

  // Marketers' edits the org refuses, one cause each.
  for (const id of [ids.stateA, ids.stateB])
    emu.control.mkUpdateLead({ id: personOf(id).id as number, fields: { state: 'CA' } });
  emu.control.setFieldSecurity({ profile: 'admin', object: 'Lead', field: 'Title', access: 'readOnly' });
  emu.control.mkUpdateLead({ id: personOf(ids.title).id as number, fields: { title: 'CTO' } });
  emu.control.mkUpdateLead({
    id: personOf(ids.picklist).id as number,
    fields: { productInterest: 'analytics' },
  });
  const failed = await runCycle();
  expect(failed.cycle?.totals.failed).toBe(4);
}, 300_000);

afterAll(async () => {
  await ext?.close();
  await emu?.stop();
});

describe('errors by cause', () => {
  it('shows one card per cause with its records, links into Salesforce, the fix and suggestions', async () => {
    await card(STATE).waitFor({ timeout: 30_000 });
    expect(await dashboard.locator('article.cause-card').count()).toBe(3);
    expect(await card(STATE).getAttribute('data-failing')).toBe('2');
    const state = (await card(STATE).textContent()) ?? '';
    expect(state).toContain('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(state).toContain('2 failing now');
    expect(state).toMatch(/validation rule/i);
    expect(state).toContain('“CA” → “California”');
    const link = card(STATE).locator(
      `a[href="${emu.info.salesforce.url}/lightning/r/Lead/${ids.stateA}/view"]`,
    );
    expect(await link.count()).toBe(1);
    expect(await card(TITLE).textContent()).toMatch(/edit access|field-level security/);
    expect(await card(PICKLIST).textContent()).toContain('“analytics” → “Analytics”');
    await dashboard.locator('section.errors').screenshot({ path: screenshotPath('dashboard-errors.png') });
    // WCAG 2.1 AA (issue 22) over the new sections as they are filled.
    await dashboard.locator('section.dictionary table.dictionary').first().waitFor();
    expect(await axeViolations(dashboard)).toEqual([]);
  });

  it('exports one cause’s failures as CSV', async () => {
    const [download] = await Promise.all([
      dashboard.waitForEvent('download'),
      card(TITLE).locator('button.export-cause').click(),
    ]);
    const rows = Papa.parse<string[]>(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''), {
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(rows[1]).toContain(ids.title);
  });

  it('accepting the State suggestion makes the next push succeed', async () => {
    await runCycle(() => card(STATE).locator('button.accept-suggestion').click());
    expect(emu.control.sfGet({ id: ids.stateA })!.State).toBe('California');
    expect(emu.control.sfGet({ id: ids.stateB })!.State).toBe('California');
    await expect.poll(() => card(STATE).getAttribute('data-failing'), { timeout: 15_000 }).toBe('0');
    expect(await card(STATE).textContent()).toContain('Retrying 2 records');
    // The others still fail: their causes are not the State's.
    expect(await card(PICKLIST).getAttribute('data-failing')).toBe('1');
    await dashboard
      .locator('section.errors')
      .screenshot({ path: screenshotPath('dashboard-errors-after-rule.png') });
    // Listed (and removable) on the options page.
    const options = await ext.openPage('options.html');
    const rule = options.locator('fieldset.value-rules li[data-rule="Lead.State"]');
    await rule.waitFor({ timeout: 15_000 });
    expect(await rule.textContent()).toContain('“CA” is written as “California”');
    await options
      .locator('fieldset.value-rules')
      .screenshot({ path: screenshotPath('options-value-rules.png') });
    await options.close();
  });

  it('the record panel counts the value rule applied', async () => {
    await sfTab.goto(`${emu.info.salesforce.url}/lightning/r/Lead/${ids.stateA}/view`);
    const panel = sfTab.locator('syncpanel=.panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 15_000 }).toMatch(/synced|pending/);
    expect(await panel.textContent()).toContain('Value rule applied once: State “CA” → “California”');
  });
});

describe('replay as the sync user', () => {
  it('re-sends the failed write from the record panel and shows the raw request and response', async () => {
    await sfTab.goto(`${emu.info.salesforce.url}/lightning/r/Lead/${ids.picklist}/view`);
    const panel = sfTab.locator('syncpanel=.panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 15_000 }).toBe('failed');
    await panel.locator('button.replay-now').click({ force: true });
    const response = sfTab.locator('syncpanel=pre.raw-response');
    await expect.poll(async () => (await response.count()) > 0, { timeout: 60_000 }).toBe(true);
    const raw = (await response.textContent()) ?? '';
    expect(raw).toContain('HTTP 200');
    expect(raw).toContain('"statusCode":"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"');
    const request = (await sfTab.locator('syncpanel=pre.raw-request').textContent()) ?? '';
    expect(request).toContain('PATCH ');
    expect(request).toContain('"Product_Interest__c":"analytics"');
    expect(request).not.toMatch(/authorization|bearer/i);
    expect(await panel.textContent()).toContain('Salesforce refused it again');
    await panel.screenshot({ path: screenshotPath('record-panel-replay.png') });
    await copyPanelForAudit(sfTab);
    try {
      expect(await axeViolations(sfTab, '#panel-copy')).toEqual([]);
    } finally {
      await removePanelCopy(sfTab);
    }
    // The replay was one more attempt, logged like any write.
    const status = (await sendFromPage(dashboard, 'getRecordStatus', {
      objectType: 'Lead',
      recordId: ids.picklist,
    })) as { value: { state: string; attempts: number } };
    expect(status.value).toMatchObject({ state: 'failed', attempts: 2 });
  });
});

describe('API usage and the data dictionary', () => {
  it('shows both systems’ calls against limits and allocation, and that retries run', async () => {
    const usage = dashboard.locator('section.api-usage');
    await usage.locator('.api-side').first().waitFor();
    const text = (await usage.textContent()) ?? '';
    expect(text).toMatch(/Allocation [\d,]+ \(50 % of the org’s 15,000 a day/);
    expect(text).toContain('Allocation 10,000 of Marketo’s 50,000 a day');
    expect(text).toMatch(/Calls per cycle \(\d+ cycles in 24 hours\)/);
    expect(await usage.locator('.retry-state').getAttribute('data-paused')).toBe('false');
    await usage.screenshot({ path: screenshotPath('dashboard-api-usage.png') });
  });

  it('lists every synced field, and its CSV has one row per synced field', async () => {
    const dictionary = dashboard.locator('section.dictionary');
    await dictionary.locator('table.dictionary').first().waitFor();
    expect(await dictionary.locator('tbody tr').count()).toBe(syncedFields.length);
    const interest = dictionary.locator('table[data-object="Lead"] tr', { hasText: 'Product_Interest__c' });
    expect(await interest.textContent()).toContain('picklist');
    const [download] = await Promise.all([
      dashboard.waitForEvent('download'),
      dictionary.locator('button.export-dictionary').click(),
    ]);
    const rows = Papa.parse<string[]>(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''), {
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(1 + syncedFields.length);
    // Title is read-only for the sync user since the test took its edit access.
    expect(rows.find((r) => r[0] === 'Lead' && r[2] === 'Title')?.[9]).toBe('yes');
    // LastName was written to Marketo by the first cycle: its changes are counted.
    expect(Number(rows.find((r) => r[0] === 'Lead' && r[2] === 'LastName')?.[10])).toBeGreaterThan(0);
    await dictionary.screenshot({ path: screenshotPath('dashboard-data-dictionary.png') });
  });
});
