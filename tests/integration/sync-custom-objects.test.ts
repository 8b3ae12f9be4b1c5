// Salesforce custom objects → Marketo custom objects (issue 19), engine against the emulator over
// real HTTP: create, update, delete; the person through the first link field set; a record whose
// person is excluded (Excluded, counted) or has none (Skipped); a converted lead whose person merged
// into its contact's (Update FKs moves the record); the object removed in Salesforce (Sync Schema
// says so, the steps are skipped with the reason, the cycle goes on). Count invariant on every step.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness({ seed: 'empty' }, (s) => {
    s.objects.Subscription__c = {
      enabled: true,
      conflictWinner: 'salesforce',
      fields: [
        { salesforceField: 'Product__c', marketoField: 'productName', direction: 'pull' },
        { salesforceField: 'Status__c', marketoField: 'status', direction: 'pull' },
        { salesforceField: 'Start_Date__c', marketoField: 'startDate', direction: 'pull' },
      ],
    };
    s.customObjects = {
      Subscription__c: { marketoObject: 'subscription_c', linkFields: ['Contact__c', 'Lead__c'] },
    };
  });
});
afterEach(() => h.stop());

const create = (object: string, fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object, fields }).id;
const records = () => h.emu.control.mkCustomObjectRecords({ name: 'subscription_c' });
const persons = () => h.emu.marketo.snapshot().leads as Record<string, unknown>[];
const step = (report: Awaited<ReturnType<SyncHarness['cycle']>>, op: string) =>
  report.steps.find((s) => s.operation === op && s.objectType === 'Custom Objects')!;

describe('custom object records', () => {
  it('are written on their person, updated, deleted; excluded and personless records are counted', async () => {
    const contact = create('Contact', { LastName: 'Con', Email: 'con@x.example' });
    const lead = create('Lead', { LastName: 'Lee', Company: 'Lee Inc', Email: 'lee@x.example' });
    const hidden = create('Contact', {
      LastName: 'Hid',
      Email: 'hid@x.example',
      Do_Not_Sync_to_Marketo__c: true,
    });
    const onContact = create('Subscription__c', {
      Name: 'S1',
      Contact__c: contact,
      Lead__c: lead,
      Product__c: 'Analytics',
      Status__c: 'Trial',
    });
    const onLead = create('Subscription__c', {
      Name: 'S2',
      Lead__c: lead,
      Product__c: 'Support',
      Start_Date__c: '2026-01-15',
    });
    create('Subscription__c', { Name: 'S3', Contact__c: hidden });
    create('Subscription__c', { Name: 'S4' });
    const report = await h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(step(report, 'Pull Updates')).toMatchObject({ new: 2, excluded: 1, skipped: 1 });
    const idOf = (sfId: string, field: string) => persons().find((p) => p[field] === sfId)?.id;
    expect(records().map((r) => [r.subscriptionId, r.leadId, r.productName])).toEqual([
      [onContact, idOf(contact, 'sfdcContactIdCustom'), 'Analytics'],
      [onLead, idOf(lead, 'sfdcLeadIdCustom'), 'Support'],
    ]);
    expect(records()[1]).toMatchObject({ startDate: '2026-01-15' });
    h.advance();
    h.emu.control.sfUpdate({ id: onContact, fields: { Status__c: 'Active' } });
    h.emu.control.sfDelete({ id: onLead });
    h.advance();
    const next = await h.cycle();
    expect(step(next, 'Pull Updates').updated).toBe(1);
    expect(step(next, 'Pull Deletes').deleted).toBe(1);
    expect(records().map((r) => [r.subscriptionId, r.status])).toEqual([[onContact, 'Active']]);
    // Its record page's panel, from the log.
    const panel = createRecordPanelService({
      db: h.db,
      settings: async () => h.settings,
      isAdmin: async () => true,
      timeZone: async () => 'UTC',
      pending: createPendingChecker({ db: h.db, clock: h.clock, salesforce: async () => h.salesforce }),
      syncing: () => undefined,
    });
    expect(await panel({ objectType: 'Subscription__c', recordId: onContact })).toMatchObject({
      state: 'synced',
      name: 'S1',
      cycleOnly: true,
      marketoKey: records()[0]!.marketoGUID,
    });
  });

  it("follow a converted lead's person when it merges into its contact's (Update FKs)", async () => {
    const account = create('Account', { Name: 'Lee Inc' });
    const contact = create('Contact', { LastName: 'Lee', Email: 'lee.c@x.example', AccountId: account });
    const lead = create('Lead', { LastName: 'Lee', Company: 'Lee Inc', Email: 'lee.l@x.example' });
    create('Subscription__c', { Name: 'S1', Lead__c: lead });
    await h.cycle();
    const contactPerson = persons().find((p) => p.sfdcContactIdCustom === contact)?.id;
    expect(records()[0]?.leadId).not.toBe(contactPerson);
    h.advance();
    h.emu.control.convertLead({ leadId: lead, accountId: account, contactId: contact });
    h.advance();
    const report = await h.cycle();
    expect(stepOf(report, 'Pull Conversions', 'Person').updated).toBe(1);
    expect(step(report, 'Update FKs').updated).toBe(1);
    expect(records().map((r) => r.leadId)).toEqual([contactPerson]);
  });

  it('an object removed in Salesforce: Sync Schema says so, its steps are skipped with the reason', async () => {
    const contact = create('Contact', { LastName: 'Con', Email: 'con@x.example' });
    create('Subscription__c', { Name: 'S1', Contact__c: contact });
    await h.cycle();
    h.emu.control.sfRemoveObject({ object: 'Subscription__c' });
    h.advance();
    const report = await h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(step(report, 'Sync Schema').warnings?.[0]).toMatch(
      /no longer in Salesforce \(deleted or renamed\)/,
    );
    expect(step(report, 'Pull Updates').warnings?.[0]).toMatch(/no longer in Salesforce/);
    expect(records()).toHaveLength(1);
  });
});
