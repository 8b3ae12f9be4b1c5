// The extension in service mode (issue 21, docs/service-mode.md) against the real service: PostgreSQL
// (DATABASE_URL), the demo org on its emulator, the status API and one worker process. The service
// runs a cycle; the admin sets "Sync runs in: a service" on the options page (Test names a refused
// token and an unreachable URL first); the popup shows the service's cycles and says this browser
// runs none; the record panel on the emulated Salesforce page shows leads' states from the
// service's log; Sync now and Pause reach the service; the errors CSV comes from the service's
// failures; the dashboard shows the service's history and says what it does not serve; and the
// browser's own log stays empty with no alarm set.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CYCLE_ALARM } from '../../lib/scheduler/ports';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { loginToSalesforce } from '../../scripts/emulatorSession';
import { ORG_ID, ORG_NAME, type ServiceModeWorld, startServiceModeWorld } from '../support/serviceModeWorld';
import { axeViolations } from './support/axe';
import { registerPanelSelector, revealPanel } from './support/closedPanel';
import { screenshotPath } from './support/screenshots';

let svc: ServiceModeWorld;
let ext: LoadedExtension;
let sfTab: Page;

type Row = Record<string, unknown>;
const leads = () => [...svc.emu.salesforce.store.table('Lead').records.values()] as Row[];
/** The Marketo person of each linked lead (one snapshot: taking one per lead costs minutes). */
const personsByLead = () =>
  new Map((svc.emu.marketo.snapshot().leads as Row[]).map((p) => [p.sfdcLeadIdCustom as string, p]));
const personOf = (sfId: string) => personsByLead().get(sfId);
const live = (r: Row) => !r.IsDeleted && !r.IsConverted && r.Do_Not_Sync_to_Marketo__c !== true;
// The demo seed's validation rule refuses any update of a lead whose State is a two-letter code.
const twoLetterState = (r: Row) => typeof r.State === 'string' && r.State.length === 2;
const ids = {} as Record<'synced' | 'failing', string>;

beforeAll(async () => {
  svc = await startServiceModeWorld();
  await svc.runCycle();
  const persons = personsByLead();
  const linked = leads().filter((r) => live(r) && persons.has(r.Id as string));
  ids.synced = linked.find((r) => !twoLetterState(r))!.Id as string;
  ids.failing = linked.find(twoLetterState)!.Id as string;
  await registerPanelSelector();
  ext = await launchWithExtension();
  sfTab = await loginToSalesforce(ext, svc.emu.info);
  await revealPanel(sfTab);
}, 300_000);

afterAll(async () => {
  await ext?.close();
  await svc?.stop();
}, 60_000);

/** The browser's own log (IndexedDB in the extension's origin) and its alarms. */
async function browserRunsNothing(): Promise<void> {
  const cycles = await ext.worker.evaluate(`(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('sync-log');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const names = [...db.objectStoreNames];
    if (!names.includes('cycles')) return 0;
    return new Promise((ok) => {
      const r = db.transaction('cycles').objectStore('cycles').count();
      r.onsuccess = () => ok(r.result);
    });
  })()`);
  expect(cycles).toBe(0);
  const alarms = (await ext.worker.evaluate('chrome.alarms.getAll()')) as { name: string }[];
  expect(alarms.map((a) => a.name)).not.toContain(CYCLE_ALARM);
}

const panel = () => sfTab.locator('syncpanel=.panel');
async function openRecord(id: string, state: RegExp): Promise<string> {
  await sfTab.goto(`${svc.emu.info.salesforce.url}/lightning/r/Lead/${id}/view`);
  await expect.poll(() => panel().getAttribute('data-state'), { timeout: 20_000 }).toMatch(state);
  return (await panel().textContent()) ?? '';
}

describe('service mode', () => {
  it('options: Sync runs in a service, validated, tested (refused token, unreachable URL), saved', async () => {
    const page = await ext.openPage('options.html');
    const form = page.locator('form[data-side="service"]');
    await form.locator('input[value="service"]').check();
    // Field errors name the field.
    await form.locator('#serviceUrl').fill('ftp://sync.example.com');
    await form.locator('#serviceOrgId').fill('Acme Corp');
    await form.locator('#saveService').click();
    await expect
      .poll(() => form.locator('[data-field="serviceUrl"]').textContent())
      .toContain('not a service URL');
    expect(await form.locator('[data-field="serviceOrgId"]').textContent()).toContain('must be a slug');

    const result = form.locator('.test-result[data-side="service"]');
    await form.locator('#serviceUrl').fill(svc.api.url);
    await form.locator('#serviceOrgId').fill(ORG_ID);
    await form.locator('#serviceToken').fill('sss_not-the-token');
    await form.locator('#testService').click();
    await expect.poll(() => result.textContent()).toContain(`refused the token for org ${ORG_ID} (401`);

    // Nothing listens on port 1 of loopback.
    await form.locator('#serviceUrl').fill('http://127.0.0.1:1');
    await form.locator('#testService').click();
    await expect
      .poll(() => result.textContent())
      .toContain('Could not reach the service at http://127.0.0.1:1');

    await form.locator('#serviceUrl').fill(svc.api.url);
    await form.locator('#serviceToken').fill(svc.token);
    await form.locator('#testService').click();
    await expect.poll(() => result.textContent()).toContain(`Connected: org ${ORG_NAME} (${ORG_ID})`);
    expect(await result.textContent()).toContain('Last cycle: Completed');
    await form.locator('#saveService').click();
    await expect
      .poll(() => form.locator('.save-message').textContent())
      .toContain('the cycles run in the service; this browser runs none');
    await expect.poll(() => form.locator('.secret-saved').count()).toBe(1);
    await page.locator('#sync-runs-in').screenshot({ path: screenshotPath('service-mode-options.png') });
    expect(await axeViolations(page, '#sync-runs-in')).toEqual([]);
    await page.close();
  });

  it('popup: the service’s cycle and steps, and this browser runs none', async () => {
    const popup = await ext.openPage('popup.html');
    await expect
      .poll(() => popup.locator('.sync-header').textContent(), { timeout: 15_000 })
      .toContain(`Cycles run in the service at ${svc.api.url} (org ${ORG_NAME}): this browser runs none.`);
    await expect.poll(() => popup.getByTestId('last-cycle').textContent()).toContain('Completed');
    await expect.poll(() => popup.locator('tr.cycle-row[data-group-cycle="1"]').count()).toBe(1);
    const table = (await popup.locator('table.steps').textContent()) ?? '';
    expect(table).toContain('Pull Updates');
    expect(table).toContain('Push Updates');
    // The service's connections, not this browser's (which has none).
    expect(await popup.getByTestId('not-connected').count()).toBe(0);
    await popup.screenshot({ path: screenshotPath('service-mode-popup.png'), fullPage: true });
    expect(await axeViolations(popup)).toEqual([]);
    await browserRunsNothing();
    await popup.close();
  });

  it('record panel: a lead’s state from the service’s log', async () => {
    const text = await openRecord(ids.synced, /synced/);
    expect(text).toContain('Synced');
    expect(text).toContain(String(personOf(ids.synced)!.id));
    await panel().screenshot({ path: screenshotPath('service-mode-record-panel.png') });
    // One record's Sync now runs in the browser only: refused, saying where the cycles run.
    await panel().locator('button.sync-now').click({ force: true });
    await expect
      .poll(async () => (await panel().textContent()) ?? '')
      .toContain('runs in this browser only, and the cycles run in the service');
  });

  it('Sync now reaches the service: a new cycle appears, its failure in the panel and the CSV', async () => {
    // A Marketo edit the failing lead cannot take in Salesforce (its validation rule).
    svc.emu.control.mkUpdateLead({ id: personOf(ids.failing)!.id as number, fields: { title: 'VP Sales' } });
    const popup = await ext.openPage('popup.html');
    await popup.getByTestId('last-cycle').getByText('Completed').waitFor();
    const before = await svc.finishedRuns();
    await popup.click('button:text("Sync now")');
    await expect.poll(() => popup.locator('.run-line').textContent()).toContain('Sync started');
    await svc.waitForRuns(before + 1);
    await expect
      .poll(() => popup.locator('tr.cycle-row[data-group-cycle="2"]').count(), { timeout: 20_000 })
      .toBe(1);
    const log = await svc.world.log(ORG_ID);
    const cycle2 = (await log.cycles.get(2))!;
    expect(cycle2.totals.failed).toBeGreaterThan(0);
    // The header re-asks the service every 5 s (useBackground's REFRESH_MS): wait past one refresh.
    await expect
      .poll(() => popup.getByTestId('last-cycle').textContent(), { timeout: 15_000 })
      .toContain(`${cycle2.totals.failed} failed`);
    const [download] = await Promise.all([
      popup.waitForEvent('download'),
      popup.click('button:text("Export CSV")'),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(ids.failing);
    expect(csv).toContain('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    // The opened step's failed record, read from the service (its step-records route).
    const failedStep = (await log.steps.toArray()).find((step) => step.cycleId === 2 && step.failed > 0)!;
    await popup.click(`tr[data-step-id="${failedStep.id}"] button.expand`);
    await expect.poll(() => popup.locator(`tr[data-record-id="${ids.failing}"]`).count()).toBe(1);
    await popup.screenshot({ path: screenshotPath('service-mode-popup-sync-now.png'), fullPage: true });
    await popup.close();
    const text = await openRecord(ids.failing, /failed/);
    expect(text).toContain('FIELD_CUSTOM_VALIDATION_EXCEPTION');
  });

  it('Pause and Resume go to the service', async () => {
    const popup = await ext.openPage('popup.html');
    await popup.getByTestId('last-cycle').getByText('Completed').waitFor();
    await popup.click('button:text("Pause")');
    await expect.poll(() => svc.paused()).toBe(true);
    await expect.poll(() => popup.getByTestId('next-run').textContent()).toContain('Paused');
    await popup.click('button:text("Resume")');
    await expect.poll(() => svc.paused()).toBe(false);
    await popup.close();
  });

  it('dashboard: the service’s history and metrics; what the API does not serve says so', async () => {
    const page = await ext.openPage('dashboard.html');
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 15_000 })
      .toContain(`Cycles run in the service at ${svc.api.url} (org ${ORG_ID})`);
    await expect.poll(() => page.locator('tr.cycle-row').count()).toBe(2);
    await page.getByTestId('not-served').waitFor();
    expect(await page.locator('.metrics').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('service-mode-dashboard.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('the browser ran no cycle of its own', async () => {
    expect(await svc.finishedRuns()).toBe(2);
    await browserRunsNothing();
  });

  it('an unreachable service: the popup says so where it shows the state and the log, naming the URL', async () => {
    await svc.stopApi();
    const popup = await ext.openPage('popup.html');
    const unreachable = `Could not reach the service at ${svc.api.url}: `;
    await expect
      .poll(() => popup.getByTestId('background-problem').textContent(), { timeout: 20_000 })
      .toContain(unreachable);
    await expect
      .poll(() => popup.locator('.steps-view .error').textContent(), { timeout: 20_000 })
      .toContain(unreachable);
    expect(await popup.locator('button:text("Sync now")').isDisabled()).toBe(true);
    await popup.screenshot({ path: screenshotPath('service-mode-popup-unreachable.png'), fullPage: true });
    await popup.close();
    await browserRunsNothing();
  });
});
