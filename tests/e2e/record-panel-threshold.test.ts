// A noisy number field below its threshold (options "Ignore small changes of noisy number fields",
// default leadScore 5): Marketo's leadScore 41 → 42 is not pushed, and the record panel on the
// lead's Salesforce page says so and why (issue 15). Real extension, real cycles, the emulator.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectToEmulator, loginToSalesforce } from '../../scripts/emulatorSession';
import { registerPanelSelector, revealPanel } from './support/closedPanel';
import { runCycle } from './support/cycles';
import { screenshotPath } from './support/screenshots';

describe('a leadScore change below the threshold', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let sfTab: Page;
  let extPage: Page;
  let id: string;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'empty' });
    id = emu.control.sfCreate({
      object: 'Lead',
      fields: { FirstName: 'Noisy', LastName: 'Score', Company: 'Acme', Email: 'noisy@example.com' },
    }).id;
    await registerPanelSelector();
    ext = await launchWithExtension();
    sfTab = await loginToSalesforce(ext, emu.info);
    await revealPanel(sfTab);
    await connectToEmulator(ext, emu.info);
    extPage = await ext.openPage('popup.html');
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  const person = () =>
    (emu.marketo.snapshot().leads as Record<string, unknown>[]).find((p) => p.sfdcLeadIdCustom === id)!;
  const score = () => emu.control.sfGet({ id })!.mkto71_Lead_Score__c;

  it('is skipped, and the record panel shows the reason', async () => {
    await runCycle(extPage);
    emu.control.mkUpdateLead({ id: person().id as number, fields: { leadScore: 41 } });
    await runCycle(extPage);
    expect(score()).toBe(41);

    emu.control.mkUpdateLead({ id: person().id as number, fields: { leadScore: 42 } });
    const { steps } = await runCycle(extPage);
    const push = steps.find((s) => s.operation === 'Push Updates' && s.objectType === 'Person');
    expect(push).toMatchObject({ updated: 0, skipped: 1 });
    expect(score()).toBe(41);

    await sfTab.goto(`${emu.info.salesforce.url}/lightning/r/Lead/${id}/view`);
    const panel = sfTab.locator('syncpanel=.panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 15_000 }).not.toBe('loading');
    await expect.poll(() => panel.textContent()).toContain('leadScore changed by 1 (< 5): not synced');
    await sfTab.screenshot({ path: screenshotPath('record-panel-threshold.png') });
  });
});
