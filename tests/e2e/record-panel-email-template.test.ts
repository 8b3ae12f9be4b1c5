import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import type { LoadedExtension } from '../../scripts/browser';
import { axeViolations } from './support/axe';
import { runCycle } from './support/cycles';
import { openPanelRecord, panelOn, startDemoPanelWorld, stopDemoPanelWorld } from './support/demoPanelWorld';
import { screenshotPath } from './support/screenshots';
import { copyPanelForAudit, removePanelCopy } from './support/shadowPanel';

// The record panel on EmailTemplate pages (issue 20) after real cycles in the extension's service
// worker against the demo org with its demo settings (email templates on: Marketo's "Sales Emails"
// → Salesforce's "Marketo Emails"): a template shows its Marketo email, the approval last seen,
// that it is available for use, and no Sync now; the one whose text Salesforce refused shows the
// refusal with its fix; once its email is unapproved in Marketo, a template shows that and that it
// is inactive. The org's own templates get no panel.

let emu: Emulator;
let ext: LoadedExtension;
let sfTab: Page;
let popup: Page;

const panel = () => panelOn(sfTab);
const openTemplate = (id: string, state?: RegExp) =>
  openPanelRecord({ emu, sfTab }, 'EmailTemplate', id, state);
const templates = () =>
  [...emu.salesforce.store.table('EmailTemplate').records.values()].filter((r) => !r.IsDeleted);
const templateNamed = (name: string) =>
  String(
    templates().find((t) => t.Name === name && String(t.DeveloperName).startsWith('Marketo_Email_'))!.Id,
  );

beforeAll(async () => {
  ({ emu, ext, sfTab, popup } = await startDemoPanelWorld());
}, 300_000);

afterAll(async () => stopDemoPanelWorld({ emu, ext }));

async function audit(): Promise<unknown[]> {
  await copyPanelForAudit(sfTab);
  try {
    return await axeViolations(sfTab, '#panel-copy');
  } finally {
    await removePanelCopy(sfTab);
  }
}

describe('record panel: email templates', () => {
  it('a cycle makes the templates of the approved emails', async () => {
    const { cycle, steps } = await runCycle(popup, 150_000);
    expect(cycle.status).toBe('Completed');
    const pushNew = steps.find((s) => s.operation === 'Push New' && s.objectType === 'Email Template');
    expect(pushNew).toMatchObject({ status: 'Completed', new: 5, failed: 1 });
  }, 160_000);

  it('shows a template’s Marketo email, its approval and that it is available, without Sync now', async () => {
    const text = await openTemplate(templateNamed('Welcome to Acme'), /synced/);
    expect(text).toContain('Marketo email');
    expect(text).toContain('Welcome to Acme');
    expect(text).toContain('Sales Emails');
    expect(text).toContain('Approved');
    expect(text).toContain('Available for use');
    expect(text).toContain('Marketo last checked');
    expect(await panel().locator('button.sync-now').count()).toBe(0);
    expect(await audit()).toEqual([]);
    await panel().screenshot({ path: screenshotPath('record-panel-email-template.png') });
  });

  it('shows the template whose text Salesforce refused: the error, its fix, inactive', async () => {
    const text = await openTemplate(templateNamed('Partner Invite'), /failed/);
    expect(text).toContain('EMAIL_MERGE_FIELDS');
    expect(text).toContain('improperly formatted merge fields');
    expect(text).toContain('approve the email again');
    expect(text).toContain('Inactive: its content is not written yet');
    expect(await audit()).toEqual([]);
    await panel().screenshot({ path: screenshotPath('record-panel-email-template-refused.png') });
  });

  it('after its email is unapproved in Marketo and a cycle ran: unapproved, inactive', async () => {
    const tour = emu.control
      .mkEmail({ action: 'list' })
      .emails!.find((e) => e.name === 'Product Tour Invite')!;
    emu.control.mkEmail({ action: 'unapprove', id: tour.id });
    const { cycle, steps } = await runCycle(popup, 150_000);
    expect(cycle.status).toBe('Completed');
    expect(
      steps.find((s) => s.operation === 'Push Updates' && s.objectType === 'Email Template'),
    ).toMatchObject({
      updated: 1,
    });
    const text = await openTemplate(templateNamed('Product Tour Invite'), /synced/);
    expect(text).toContain('Unapproved in Marketo');
    expect(text).toContain('Inactive (its email is not approved in a synced folder)');
    expect(text).toContain('Push Updates');
    await panel().screenshot({ path: screenshotPath('record-panel-email-template-unapproved.png') });
  }, 160_000);

  it('shows no panel on one of the org’s own templates', async () => {
    const own = templates().find((t) => !String(t.DeveloperName).startsWith('Marketo_Email_'))!;
    await sfTab.goto(`${emu.info.salesforce.url}/lightning/r/EmailTemplate/${own.Id}/view`);
    await sfTab.waitForTimeout(1_500);
    expect(await panel().count()).toBe(0);
  });
});
