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
// options page): a linked Campaign page shows its program and the members in step, and its Sync now
// makes a member changed on each side agree (and says why when it is refused); a member's Lead page
// shows its Programs section, both sides' statuses.

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
    await panel().screenshot({ path: screenshotPath('record-panel-campaign.png') });
  });

  it('syncs the pair now: a member changed on each side agrees, and a second press is refused saying why', async () => {
    const campaign = [...emu.salesforce.store.table('Campaign').records.values()].find(
      (c) => c.Name === 'Spring Webinar 2026',
    )!;
    const personOf = (leadId: unknown) =>
      (emu.marketo.snapshot().leads as Record<string, unknown>[]).find((p) => p.sfdcLeadIdCustom === leadId)
        ?.id as number | undefined;
    const program = () => emu.control.mkProgramMembers({ programId: 1000 });
    // Two lead members both sides agree on at "Invited".
    const [inSalesforce, inMarketo] = [...emu.salesforce.store.table('CampaignMember').records.values()]
      .filter((m) => m.CampaignId === campaign.Id && m.LeadId && !m.IsDeleted && m.Status === 'Invited')
      .filter((m) => {
        const person = personOf(m.LeadId);
        return person !== undefined && program()[person] === 'Invited';
      });
    expect(inMarketo, 'two members at Invited on both sides').toBeDefined();
    emu.control.sfUpdate({ id: String(inSalesforce!.Id), fields: { Status: 'Registered' } });
    emu.control.mkSetMemberStatus({
      programId: 1000,
      leadId: personOf(inMarketo!.LeadId)!,
      status: 'Registered',
    });

    await openRecord('Campaign', String(campaign.Id));
    const button = panel().locator('button.sync-now');
    expect(await button.textContent()).toBe('Sync now');
    await button.click({ force: true });
    await expect
      .poll(() => panel().locator('.done').textContent(), { timeout: 60_000 })
      .toContain('Sync finished');
    const text = (await panel().textContent()) ?? '';
    expect(text).toMatch(/Last Sync now of this pair\s*.*completed · 0 new, 2 updated, 0 removed, 0 failed/);
    expect(program()[personOf(inSalesforce!.LeadId)!]).toBe('Registered');
    expect(emu.control.sfGet({ id: String(inMarketo!.Id) })?.Status).toBe('Registered');
    await panel().screenshot({ path: screenshotPath('record-panel-campaign-sync-now.png') });

    // Pressed again at once: the background refuses (each Sync now costs API calls) and says why.
    await button.click({ force: true });
    await expect
      .poll(() => panel().locator('.refusal').textContent(), { timeout: 10_000 })
      .toContain('This campaign’s pair was synced moments ago');
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
