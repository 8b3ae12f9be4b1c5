// Push New and Push Updates of Email Template (issue 20), engine against the emulator over real
// HTTP: approved Marketo emails of the chosen folder become active templates in the chosen
// Salesforce folder (a draft, and other folders, do not); an email approved again updates its
// template; unapproved, deleted or moved out, its template goes inactive (never deleted), and comes
// back when approved again; content Salesforce refuses is a Failed template with a fix hint, written
// once fixed; the hourly check keeps idle cycles free. Count invariant on every step (harness).
import { afterEach, describe, expect, it } from 'vitest';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { errorHint } from '../../lib/records/errorHints';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import { type EmailWorld, startEmailWorld } from '../support/emailWorld';
import { stepOf } from './sync-harness';

let w: EmailWorld;
afterEach(() => w?.h.stop());

const pushNew = (r: Awaited<ReturnType<EmailWorld['h']['cycle']>>) => stepOf(r, 'Push New', 'Email Template');
const pushUpdates = (r: Awaited<ReturnType<EmailWorld['h']['cycle']>>) =>
  stepOf(r, 'Push Updates', 'Email Template');
const counts = (step: { new: number; updated: number; failed: number; skipped: number }) => ({
  new: step.new,
  updated: step.updated,
  failed: step.failed,
  skipped: step.skipped,
});

describe('Push New Email Template', () => {
  it('makes an active custom template per approved email of the chosen folder, and only those', async () => {
    w = await startEmailWorld();
    const intro = w.approved('Intro', '<p>Hello {{lead.First Name}}</p>');
    const modern = w.approved('Modern', '<p>Editor 2.0</p>', { version: 2 });
    w.email({
      action: 'create',
      name: 'Draft',
      folder: { id: w.folder, type: 'Folder' },
      subject: 's',
      html: 'x',
      approved: false,
    });
    w.email({
      action: 'create',
      name: 'Elsewhere',
      folder: { id: w.otherFolder, type: 'Folder' },
      subject: 's',
      html: 'y',
    });
    const report = await w.h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(counts(pushNew(report))).toEqual({ new: 2, updated: 0, failed: 0, skipped: 0 });
    expect(counts(pushUpdates(report))).toEqual({ new: 0, updated: 0, failed: 0, skipped: 0 });
    expect(w.templates()).toHaveLength(2);
    const one = w.templateOf(intro)!;
    expect(one).toMatchObject({
      Name: 'Intro',
      DeveloperName: `Marketo_Email_${intro}`,
      FolderId: w.sfFolder,
      TemplateType: 'custom',
      Subject: 'Intro subject',
      Body: 'Hello {{lead.First Name}}',
      IsActive: true,
    });
    expect(one.HtmlValue).toMatch(/^<!DOCTYPE html>[\s\S]*<p>Hello \{\{lead.First Name\}\}<\/p>/);
    // A 2.0 email: Marketo refuses its full content, so the template holds its sections.
    expect(w.templateOf(modern)).toMatchObject({ HtmlValue: expect.stringContaining('<p>Editor 2.0</p>') });
    // Nothing new in Marketo: the next (manual) check writes nothing and logs nothing.
    w.h.advance();
    const again = await w.h.cycle();
    expect(counts(pushNew(again))).toEqual({ new: 0, updated: 0, failed: 0, skipped: 0 });
    expect(counts(pushUpdates(again))).toEqual({ new: 0, updated: 0, failed: 0, skipped: 0 });
    expect(w.templates()).toHaveLength(2);
  });

  it('content Salesforce refuses: an inactive template Failed with its fix hint, written once fixed', async () => {
    w = await startEmailWorld();
    const merge = w.approved('Partner', '<p>Dear partner</p>', { text: 'Dear {!Contact.FirstName, welcome' });
    const big = w.approved('Catalogue', `<p>${'x'.repeat(390_000)}</p>`, { text: 'Catalogue' });
    const fine = w.approved('Fine');
    const predictive = w.approved('Recommendations');
    w.email({ action: 'setPredictive', id: predictive, predictive: true });
    const report = await w.h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(counts(pushNew(report))).toEqual({ new: 1, updated: 0, failed: 3, skipped: 0 });
    // Marketo will not give a Predictive Content email's content (709): that email fails, not the step.
    const unreadable = (await getRecordStatus(w.h.db, String(w.templateOf(predictive)!.Id))).events[0]!
      .error!;
    expect(unreadable).toMatchObject({ code: 'EMAIL_UNREADABLE', message: expect.stringMatching(/709/) });
    expect(errorHint(unreadable)).toMatch(/Predictive Content/);
    expect(w.templateOf(fine)?.IsActive).toBe(true);
    for (const id of [merge, big])
      expect(w.templateOf(id)).toMatchObject({ IsActive: false, HtmlValue: null, Body: null });
    const status = await getRecordStatus(w.h.db, String(w.templateOf(merge)!.Id));
    expect(status.events[0]!.error).toMatchObject({ code: 'EMAIL_MERGE_FIELDS', fields: ['Body'] });
    expect(status.events[0]!.error!.message).toMatch(/improperly formatted merge fields/);
    expect(errorHint(status.events[0]!.error!)).toMatch(/\{!.*closing.*Marketo/);
    const tooBig = (await getRecordStatus(w.h.db, String(w.templateOf(big)!.Id))).events[0]!.error!;
    expect(tooBig).toMatchObject({ code: 'EMAIL_TOO_LARGE', fields: ['HtmlValue'] });
    expect(errorHint(tooBig)).toMatch(/384,000/);
    // The marketer fixes both and approves them again: the templates get their content.
    w.h.advance();
    w.email({ action: 'edit', id: merge, text: 'Dear {!Contact.FirstName}, welcome' });
    w.email({ action: 'approve', id: merge });
    w.email({ action: 'edit', id: big, html: '<p>Short now</p>' });
    w.email({ action: 'approve', id: big });
    const fixed = await w.h.cycle();
    // The Predictive Content one, due for its retry, fails again: nothing changed it.
    expect(counts(pushNew(fixed))).toEqual({ new: 2, updated: 0, failed: 1, skipped: 0 });
    expect(w.templateOf(merge)).toMatchObject({ IsActive: true, Body: 'Dear {!Contact.FirstName}, welcome' });
    expect(w.templateOf(big)).toMatchObject({
      IsActive: true,
      HtmlValue: expect.stringContaining('Short now'),
    });
    expect(w.templates()).toHaveLength(4);
    expect((await getRecordStatus(w.h.db, String(w.templateOf(merge)!.Id))).flags?.state).not.toBe('failed');
  });

  it('a folder Salesforce will not take templates in fails the step, naming it', async () => {
    w = await startEmailWorld();
    w.approved('Intro');
    w.h.emu.control.sfDelete({ id: w.sfFolder, asUser: 'admin' });
    const report = await w.h.cycle();
    expect(pushNew(report).status).toBe('Failed');
    expect(pushNew(report).error).toMatch(/folder Marketo Emails.*invalid cross reference id/);
    expect(w.templates()).toHaveLength(0);
  });
});

describe('Push Updates Email Template', () => {
  it('an email approved again updates its template; a draft edit alone does not', async () => {
    w = await startEmailWorld();
    const intro = w.approved('Intro', '<p>v1</p>');
    await w.h.cycle();
    w.h.advance();
    w.email({ action: 'edit', id: intro, subject: 'New subject', html: '<p>v2</p>' });
    const drafted = await w.h.cycle();
    expect(counts(pushUpdates(drafted))).toEqual({ new: 0, updated: 0, failed: 0, skipped: 0 });
    expect(w.templateOf(intro)).toMatchObject({ Subject: 'Intro subject', Body: 'v1' });
    w.email({ action: 'approve', id: intro });
    w.h.advance();
    const approved = await w.h.cycle();
    expect(counts(pushUpdates(approved))).toEqual({ new: 0, updated: 1, failed: 0, skipped: 0 });
    expect(counts(pushNew(approved))).toEqual({ new: 0, updated: 0, failed: 0, skipped: 0 });
    expect(w.templateOf(intro)).toMatchObject({ Subject: 'New subject', Body: 'v2', IsActive: true });
    const status = await getRecordStatus(w.h.db, String(w.templateOf(intro)!.Id));
    expect(status.events[0]!.changes?.map((c) => c.field).sort()).toEqual(['Body', 'HtmlValue', 'Subject']);
  });

  it('approved again within the second the sync read it (same updatedAt): the next check still writes it', async () => {
    const T0 = Date.parse('2026-03-02T09:00:00.400Z');
    w = await startEmailWorld({ now: () => T0 });
    const intro = w.approved('Intro', '<p>first</p>');
    expect(pushNew(await w.h.cycle()).new).toBe(1);
    w.email({ action: 'edit', id: intro, html: '<p>second</p>' });
    w.email({ action: 'approve', id: intro });
    w.h.advance(60 * 60_000);
    const report = await w.h.cycle({ trigger: 'schedule' });
    expect(counts(pushUpdates(report))).toEqual({ new: 0, updated: 1, failed: 0, skipped: 0 });
    expect(w.templateOf(intro)?.Body).toBe('second');
    // Settled now: the hour after, nothing is read again.
    w.h.advance(60 * 60_000);
    w.h.mkCounter.reset();
    expect(counts(pushUpdates(await w.h.cycle({ trigger: 'schedule' })))).toMatchObject({
      updated: 0,
      skipped: 0,
    });
    expect(Object.keys(w.h.mkCounter.snapshot()).filter((k) => k.includes('Content'))).toEqual([]);
  });

  it('unapproved, deleted or moved out: the template goes inactive (never deleted) and comes back when approved again', async () => {
    w = await startEmailWorld();
    const [a, b, c, d] = ['Unapproved', 'Deleted', 'Moved', 'Stays'].map((n) => w.approved(n));
    await w.h.cycle();
    w.h.advance();
    w.email({ action: 'unapprove', id: a! });
    w.email({ action: 'delete', id: b! });
    w.email({ action: 'move', id: c!, folder: { id: w.otherFolder, type: 'Folder' } });
    const report = await w.h.cycle();
    expect(counts(pushUpdates(report))).toEqual({ new: 0, updated: 3, failed: 0, skipped: 0 });
    expect(w.templates()).toHaveLength(4);
    expect([a, b, c, d].map((id) => w.templateOf(id!)!.IsActive)).toEqual([false, false, false, true]);
    const approval = async (id: number) =>
      (await getRecordStatus(w.h.db, String(w.templateOf(id)!.Id))).syncState?.hashes['@approval'];
    expect([await approval(a!), await approval(b!), await approval(c!)]).toEqual([
      'unapproved',
      'deleted',
      'moved',
    ]);
    // Nothing more to do while they stay so.
    w.h.advance();
    expect(counts(pushUpdates(await w.h.cycle()))).toEqual({ new: 0, updated: 0, failed: 0, skipped: 0 });
    // Approved again (same content) and moved back: active again; no new template.
    w.email({ action: 'approve', id: a! });
    w.email({ action: 'move', id: c!, folder: { id: w.folder, type: 'Folder' } });
    w.h.advance();
    const back = await w.h.cycle();
    expect(counts(pushUpdates(back))).toEqual({ new: 0, updated: 2, failed: 0, skipped: 0 });
    expect(counts(pushNew(back))).toEqual({ new: 0, updated: 0, failed: 0, skipped: 0 });
    expect([a, c].map((id) => w.templateOf(id!)!.IsActive)).toEqual([true, true]);
    expect(w.templates()).toHaveLength(4);
  });

  it('a template the admin deleted in Salesforce is not made again; one refused is Failed and retried', async () => {
    w = await startEmailWorld();
    const gone = w.approved('Gone');
    const refused = w.approved('Refused');
    await w.h.cycle();
    w.h.emu.control.sfDelete({ id: String(w.templateOf(gone)!.Id), asUser: 'admin' });
    w.h.advance();
    w.email({ action: 'edit', id: gone, html: '<p>changed</p>' });
    w.email({ action: 'approve', id: gone });
    w.email({ action: 'edit', id: refused, subject: 'Hi {!Lead.FirstName' });
    w.email({ action: 'approve', id: refused });
    const report = await w.h.cycle();
    expect(counts(pushUpdates(report))).toEqual({ new: 0, updated: 0, failed: 1, skipped: 1 });
    expect(counts(pushNew(report))).toEqual({ new: 0, updated: 0, failed: 0, skipped: 0 });
    expect(w.templates()).toHaveLength(1);
    expect(w.templateOf(refused)).toMatchObject({ Subject: 'Refused subject', IsActive: true });
    // Not tried again before the next check (hourly; its retry is due after a minute here)…
    w.h.advance(2 * 60_000);
    expect(counts(pushUpdates(await w.h.cycle({ trigger: 'schedule' })))).toMatchObject({
      failed: 0,
      skipped: 0,
    });
    // …unless the admin asks to retry it now (dashboard: Retry these now)…
    const templateId = String(w.templateOf(refused)!.Id);
    const asked = await w.h.cycle({ trigger: 'schedule', retryNow: { 'Push Updates': [templateId] } });
    expect(counts(pushUpdates(asked))).toMatchObject({ failed: 1, skipped: 0 });
    expect((await w.h.db.records.get(templateId))?.attempts).toBe(2);
    // …and the hourly check retries it too.
    w.h.advance(60 * 60_000);
    expect(counts(pushUpdates(await w.h.cycle({ trigger: 'schedule' })))).toMatchObject({ failed: 1 });
    expect((await w.h.db.records.get(templateId))?.attempts).toBe(3);
    // …then the fix is approved and written.
    w.email({ action: 'edit', id: refused, subject: 'Hi {!Lead.FirstName}' });
    w.email({ action: 'approve', id: refused });
    w.h.advance();
    const fixed = await w.h.cycle();
    expect(counts(pushUpdates(fixed))).toEqual({ new: 0, updated: 1, failed: 0, skipped: 0 });
    expect(w.templateOf(refused)?.Subject).toBe('Hi {!Lead.FirstName}');
  });
});

describe('how often Marketo is browsed', () => {
  it('scheduled cycles check at most hourly (and at once when the folders change); idle ones make no email call', async () => {
    w = await startEmailWorld();
    w.approved('Intro');
    const first = await w.h.cycle({ trigger: 'schedule' });
    expect(pushNew(first).new).toBe(1);
    const emailCalls = () =>
      Object.entries(w.h.mkCounter.snapshot())
        .filter(([k]) => k.includes('/asset/'))
        .reduce((n, [, v]) => n + v, 0);
    w.approved('Second');
    w.h.mkCounter.reset();
    for (let i = 0; i < 3; i++) {
      w.h.advance();
      const idle = await w.h.cycle({ trigger: 'schedule' });
      expect(pushNew(idle).new).toBe(0);
    }
    expect(emailCalls()).toBe(0);
    w.h.advance(60 * 60_000);
    expect(pushNew(await w.h.cycle({ trigger: 'schedule' })).new).toBe(1);
    // A folder added in the settings is checked by the next cycle, whatever the hour.
    const third = w.email({
      action: 'create',
      name: 'News',
      folder: { id: w.otherFolder, type: 'Folder' },
      subject: 'n',
      html: 'n',
    });
    w.h.settings.emailTemplates.marketoFolders.push({
      id: w.otherFolder,
      type: 'Folder',
      name: 'Newsletters',
    });
    w.h.advance();
    expect(pushNew(await w.h.cycle({ trigger: 'schedule' })).new).toBe(1);
    expect(w.templateOf(third)?.IsActive).toBe(true);
  });
});

describe('the record panel of a template', () => {
  it('shows its Marketo email, the approval last seen, whether it is active, and a refusal with its hint', async () => {
    w = await startEmailWorld();
    const intro = w.approved('Intro');
    const partner = w.approved('Partner', '<p>x</p>', { text: 'Dear {!Contact.FirstName' });
    await w.h.cycle();
    const panel = createRecordPanelService({
      db: w.h.db,
      settings: async () => w.h.settings,
      isAdmin: async () => true,
      timeZone: async () => 'UTC',
      pending: createPendingChecker({ db: w.h.db, clock: w.h.clock, salesforce: async () => w.h.salesforce }),
      syncing: () => undefined,
    });
    const ask = (emailId: number) =>
      panel({ objectType: 'EmailTemplate', recordId: String(w.templateOf(emailId)!.Id) });
    expect(await ask(intro)).toMatchObject({
      state: 'synced',
      name: 'Intro',
      cycleOnly: true,
      operation: 'Push New',
      emailTemplate: {
        emailId: intro,
        emailName: 'Intro',
        folderName: 'Sales Emails',
        folderChosen: true,
        approval: 'approved',
        active: true,
        contentOwed: false,
        checkedAt: expect.any(Number),
      },
    });
    expect(await ask(partner)).toMatchObject({
      state: 'failed',
      lastError: { code: 'EMAIL_MERGE_FIELDS', hint: expect.stringMatching(/approve the email again/) },
      emailTemplate: { contentOwed: true, active: false },
    });
    w.email({ action: 'unapprove', id: intro });
    w.h.advance();
    await w.h.cycle();
    expect(await ask(intro)).toMatchObject({
      state: 'synced',
      operation: 'Push Updates',
      emailTemplate: { approval: 'unapproved', active: false },
    });
    // An org's own template (not from Marketo) gets no panel: the sync does not write it.
    const own = w.h.emu.control.sfCreate({
      object: 'EmailTemplate',
      fields: { Name: 'Own', DeveloperName: 'Own', FolderId: w.sfFolder, TemplateType: 'text' },
    }).id;
    expect(await panel({ objectType: 'EmailTemplate', recordId: own })).toMatchObject({
      notice: 'not-synced',
    });
  });
});
