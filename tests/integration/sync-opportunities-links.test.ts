// Links of opportunities and roles when their parents change (issue 19, Update FKs and the pulls'
// re-reads): a converted lead's opportunity role lands on the person the contact took over; merged
// contacts move a role to the master's person (the old Marketo role goes); an account's deletion
// takes its opportunities (and roles) out of Marketo; users enabled after persons were synced
// become sales persons and their persons and opportunities are linked to them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDeals } from '../support/dealsInOneSecond';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness({ seed: 'empty' }, withDeals);
});
afterEach(() => h.stop());

const create = (object: string, fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object, fields }).id;
const records = (kind: 'opportunity' | 'opportunityRole' | 'salesPerson') =>
  h.emu.control.mkCrmRecords({ kind });
const persons = () => h.emu.marketo.snapshot().leads as Record<string, unknown>[];

describe('converted and merged persons', () => {
  it("a converted lead's new opportunity gets its role on the person the lead had", async () => {
    const lead = create('Lead', { LastName: 'Lee', Company: 'Lee Inc', Email: 'lee@lee.example' });
    await h.cycle();
    const person = persons().find((p) => p.sfdcLeadIdCustom === lead)!.id;
    h.advance();
    const converted = h.emu.control.convertLead({ leadId: lead, createOpportunity: true });
    h.advance();
    const report = await h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(records('opportunity').map((o) => o.externalOpportunityId)).toEqual([converted.opportunityId]);
    expect(records('opportunityRole')).toEqual([
      expect.objectContaining({ leadId: person, isPrimary: true }),
    ]);
    expect(persons()).toHaveLength(1);
  });

  it("merged contacts move the loser's role to the master's person", async () => {
    const account = create('Account', { Name: 'Acme' });
    const [master, loser] = [1, 2].map((n) =>
      create('Contact', { LastName: `C${n}`, Email: `c${n}@acme.example`, AccountId: account }),
    );
    const opportunity = create('Opportunity', {
      Name: 'Deal',
      AccountId: account,
      StageName: 'Prospecting',
      CloseDate: '2026-09-30',
    });
    create('OpportunityContactRole', { OpportunityId: opportunity, ContactId: loser, Role: 'Evaluator' });
    await h.cycle();
    const personOf = (id: string) => persons().find((p) => p.sfdcContactIdCustom === id)?.id;
    const masterPerson = personOf(master!);
    expect(records('opportunityRole').map((r) => r.leadId)).toEqual([personOf(loser!)]);
    h.advance();
    h.emu.control.sfMergeContacts({ master: master!, losers: [loser!] });
    h.advance();
    const report = await h.cycle();
    expect(stepOf(report, 'Pull Updates', 'Opportunity Contact Role').updated).toBe(1);
    expect(records('opportunityRole').map((r) => [r.leadId, r.role])).toEqual([[masterPerson, 'Evaluator']]);
  });
});

describe('parents deleted', () => {
  it("an account's deletion takes its opportunities and their roles out of Marketo", async () => {
    const account = create('Account', { Name: 'Acme' });
    const contact = create('Contact', { LastName: 'C', Email: 'c@acme.example', AccountId: account });
    const opportunity = create('Opportunity', {
      Name: 'Deal',
      AccountId: account,
      StageName: 'Prospecting',
      CloseDate: '2026-09-30',
    });
    create('OpportunityContactRole', { OpportunityId: opportunity, ContactId: contact, Role: 'Buyer' });
    await h.cycle();
    h.advance();
    await h.cycle();
    h.emu.control.sfDelete({ id: account });
    h.advance();
    const report = await h.cycle();
    expect(stepOf(report, 'Pull Deletes', 'Opportunity').deleted).toBe(1);
    expect(stepOf(report, 'Update FKs', 'Opportunity').updated).toBe(0);
    expect(records('opportunity')).toEqual([]);
    expect(records('opportunityRole')).toEqual([]);
  });
});

describe('owners become sales persons', () => {
  it('users enabled after persons were synced: their persons and opportunities are linked (Update FKs User)', async () => {
    const lead = create('Lead', { LastName: 'Lee', Company: 'Lee Inc', Email: 'lee@lee.example' });
    const account = create('Account', { Name: 'Acme' });
    create('Opportunity', {
      Name: 'Deal',
      AccountId: account,
      StageName: 'Prospecting',
      CloseDate: '2026-09-30',
    });
    await h.cycle();
    expect(records('opportunity')[0]?.externalSalesPersonId).toBeUndefined();
    h.settings.objects.User!.enabled = true;
    h.advance();
    const report = await h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    const owner = String(h.emu.control.sfGet({ id: lead })?.OwnerId);
    expect(records('salesPerson').map((p) => p.externalSalesPersonId)).toContain(owner);
    expect(stepOf(report, 'Update FKs', 'User').updated).toBe(2);
    expect(persons().find((p) => p.sfdcLeadIdCustom === lead)?.externalSalesPersonId).toBe(owner);
    expect(records('opportunity')[0]?.externalSalesPersonId).toBe(owner);
    // Linked once: the next cycle writes nothing more for them.
    h.advance();
    const next = await h.cycle();
    expect(stepOf(next, 'Update FKs', 'User').updated).toBe(0);
  });
});
