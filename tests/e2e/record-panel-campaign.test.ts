import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectToEmulator, loginToSalesforce, sendFromPage } from '../../scripts/emulatorSession';
import { registerPanelSelector, revealPanel } from './support/closedPanel';
import { screenshotPath } from './support/screenshots';

// The record panel for campaigns ⇄ programs (issue 17) after real cycles in the extension's service
// worker against the demo org with its demo settings (scripts/demo-settings.json, imported on the
// options page): a linked Campaign page shows its program and the members in step; a member's
// Lead page shows its Programs section, both sides' statuses.

let emu: Emulator;
let ext: LoadedExtension;
let sfTab: Page;
let extPage: Page;

async function runCycle(): Promise<void> {
  const state = async () =>
    (
      (await sendFromPage(extPage, 'getSyncState')) as {
        value: { running: boolean; lastCycle?: { id: number; endedAt: number | null } };
      }
    ).value;
  const before = (await state()).lastCycle?.id ?? 0;
  const answer = (await sendFromPage(extPage, 'syncNow')) as { value: { status: string } };
  expect(answer.value.status).toBe('started');
  for (const deadline = Date.now() + 110_000; Date.now() < deadline; ) {
    const s = await state();
    if (!s.running && (s.lastCycle?.id ?? 0) > before && s.lastCycle?.endedAt != null) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('The cycle did not end within 110 s');
}

const panel = () => sfTab.locator('syncpanel=.panel');
async function openRecord(objectType: string, id: string) {
  await sfTab.goto(`${emu.info.salesforce.url}/lightning/r/${objectType}/${id}/view`);
  await expect.poll(() => panel().getAttribute('data-state'), { timeout: 15_000 }).toMatch(/synced|failed/);
  return (await panel().textContent()) ?? '';
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  await registerPanelSelector();
  ext = await launchWithExtension();
  sfTab = await loginToSalesforce(ext, emu.info);
  await revealPanel(sfTab);
  await connectToEmulator(ext, emu.info);
  const options = await ext.openPage('options.html');
  await options.setInputFiles(
    '#importSettings',
    resolve(import.meta.dirname, '../../scripts/demo-settings.json'),
  );
  await options.getByText('Imported demo-settings.json').waitFor();
  await options.close();
  extPage = await ext.openPage('popup.html');
  await runCycle();
  await runCycle();
}, 300_000);

afterAll(async () => {
  await ext?.close();
  await emu?.stop();
});

describe('record panel: campaigns and programs', () => {
  it('shows a linked campaign’s program and its members in step', async () => {
    const campaign = [...emu.salesforce.store.table('Campaign').records.values()].find(
      (c) => c.Name === 'Spring Webinar 2026',
    )!;
    const text = await openRecord('Campaign', String(campaign.Id));
    expect(text).toContain('Spring Webinar 2026 · 1000');
    expect(text).toMatch(/Members in step\s*\d+/);
    expect(text).toContain('Last Sync to Program');
    // The pair syncs with whole cycles: no one-record Sync now here.
    expect(await panel().locator('button.sync-now').count()).toBe(0);
    await panel().screenshot({ path: screenshotPath('record-panel-campaign.png') });
  });

  it('shows the Programs section on a member’s Lead page', async () => {
    const campaign = [...emu.salesforce.store.table('Campaign').records.values()].find(
      (c) => c.Name === 'Spring Webinar 2026',
    )!;
    const member = [...emu.salesforce.store.table('CampaignMember').records.values()].find(
      (m) =>
        m.CampaignId === campaign.Id && m.LeadId && !m.ContactId && !m.IsDeleted && m.Status === 'Attended',
    )!;
    const text = await openRecord('Lead', String(member.LeadId));
    expect(text).toContain('Programs');
    expect(text).toContain('Spring Webinar 2026: Attended ⇄ Spring Webinar 2026: Attended');
    await panel().screenshot({ path: screenshotPath('record-panel-lead-programs.png') });
  });
});
