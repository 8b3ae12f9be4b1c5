import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import type { LoadedExtension } from '../../scripts/browser';
import { runCycle } from './support/cycles';
import { openPanelRecord, panelOn, startDemoPanelWorld, stopDemoPanelWorld } from './support/demoPanelWorld';
import { screenshotPath } from './support/screenshots';

// The record panel for campaigns ⇄ programs (issue 17) after real cycles in the extension's service
// worker against the demo org with its demo settings (scripts/demo-settings.json, imported on the
// options page): a linked Campaign page shows its program and the members in step, and its Sync now
// makes a member changed on each side agree (and says why when it is refused); a member's Lead page
// shows its Programs section, both sides' statuses.

let emu: Emulator;
let ext: LoadedExtension;
let sfTab: Page;
let popup: Page;

const panel = () => panelOn(sfTab);
const openRecord = (objectType: string, id: string) => openPanelRecord({ emu, sfTab }, objectType, id);

beforeAll(async () => {
  ({ emu, ext, sfTab, popup } = await startDemoPanelWorld());
}, 300_000);

afterAll(async () => stopDemoPanelWorld({ emu, ext }));

describe('record panel: campaigns and programs', () => {
  it('two cycles sync the demo org and its campaign pairs', async () => {
    for (let i = 0; i < 2; i++) expect((await runCycle(popup, 110_000)).cycle.status).toBe('Completed');
  }, 240_000);

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
