import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import type { LoadedExtension } from '../../scripts/browser';
import { runCycle } from './support/cycles';
import { openPanelRecord, panelOn, startDemoPanelWorld, stopDemoPanelWorld } from './support/demoPanelWorld';
import { screenshotPath } from './support/screenshots';

// The record panel for issue 19's objects after real cycles in the extension's service worker
// against the demo org with its demo settings (opportunities, roles, users and both custom objects
// on): an Opportunity page and a custom object page show the record's state and its Marketo record
// (synced with every cycle, no Sync now); a Contact page lists its opportunity roles.

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

const rows = (object: string) =>
  [...emu.salesforce.store.table(object).records.values()].filter((r) => !r.IsDeleted);
const guids = (kind: 'opportunity') => emu.control.mkCrmRecords({ kind }).map((r) => String(r.key));

describe('record panel: opportunities, roles, custom objects', () => {
  it('a cycle syncs the demo org', async () => {
    const { cycle } = await runCycle(popup, 150_000);
    expect(cycle.status).toBe('Completed');
  }, 160_000);

  it('shows an Opportunity page with its Marketo opportunity, no Sync now', async () => {
    const opportunity = rows('Opportunity')[0]!;
    const text = await openRecord('Opportunity', String(opportunity.Id));
    expect(text).toContain('Marketo record');
    expect(guids('opportunity').some((g) => text.includes(g))).toBe(true);
    expect(text).toContain('Synced with every cycle');
    expect(await panel().locator('button.sync-now').count()).toBe(0);
    await panel().screenshot({ path: screenshotPath('record-panel-opportunity.png') });
  });

  it('shows a custom object page (Event_Registration__c) from the log', async () => {
    const records = emu.control.mkCustomObjectRecords({ name: 'eventRegistration_c' });
    const registration = String(records[0]!.registrationId);
    const text = await openRecord('Event_Registration__c', registration);
    expect(text).toContain(String(records[0]!.marketoGUID));
    await panel().screenshot({ path: screenshotPath('record-panel-custom-object.png') });
  });

  it("lists a Contact page's opportunity roles", async () => {
    const role = emu.control.mkCrmRecords({ kind: 'opportunityRole' })[0]!;
    const person = (emu.marketo.snapshot().leads as Record<string, unknown>[]).find(
      (p) => p.id === role.leadId,
    )!;
    const text = await openRecord('Contact', String(person.sfdcContactIdCustom));
    expect(text).toContain('Opportunity roles');
    expect(text).toContain(`${role.role} on `);
    await panel().screenshot({ path: screenshotPath('record-panel-contact-roles.png') });
  });
});
