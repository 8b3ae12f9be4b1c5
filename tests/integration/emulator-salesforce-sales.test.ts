// Opportunity, OpportunityContactRole, User and the custom objects over real HTTP (api-facts-objects
// E1, E4 items 6–8, 10; docs/objects.md): derived IsClosed/IsWon, one primary role, a role's
// IsDeleted only through its opportunity, direct role deletes only in the deleted/ feed, lead
// conversion's primary role, contact merge and delete moving or clearing lookups, users that cannot
// be deleted, an object removed in Setup, the composite call's five-query cap, and the seeds.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type SfTestClient, sfClient } from '../../emulator/testing';

type Rows<T> = { totalSize: number; records: T[] };
type Role = { Id: string; ContactId: string; IsPrimary: boolean; IsDeleted: boolean };

let emu: Emulator;
let sf: SfTestClient;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  sf = sfClient(emu.info);
});
beforeEach(() => {
  emu.control.reset({ seed: 'empty' });
});
afterAll(() => emu.stop());

const create = (object: string, fields: Record<string, unknown>) =>
  emu.control.sfCreate({ object, fields }).id;

function deal() {
  const account = create('Account', { Name: 'Acme' });
  const contacts = [1, 2].map((n) => create('Contact', { LastName: `C${n}`, AccountId: account }));
  const opportunity = create('Opportunity', {
    Name: 'Acme deal',
    AccountId: account,
    StageName: 'Prospecting',
    CloseDate: '2026-06-30',
  });
  const roles = contacts.map((ContactId, n) =>
    create('OpportunityContactRole', {
      OpportunityId: opportunity,
      ContactId,
      IsPrimary: true,
      Role: n ? 'Evaluator' : 'Decision Maker',
    }),
  );
  return { account, contacts, opportunity, roles };
}

async function roles(where: string, all = false): Promise<Role[]> {
  const res = await sf.query<Rows<Role>>(
    `SELECT Id, ContactId, IsPrimary, IsDeleted FROM OpportunityContactRole WHERE ${where}`,
    {
      all,
    },
  );
  return res.body.records;
}

async function deletedIds(object: string): Promise<string[]> {
  const now = emu.control.now().now;
  const start = new Date(now - 3_600_000).toISOString();
  const end = new Date(now + 120_000).toISOString();
  const res = await sf.get<{ deletedRecords: { id: string }[] }>(
    `sobjects/${object}/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
  );
  return res.body.deletedRecords.map((d) => d.id);
}

describe('opportunities and their roles', () => {
  it('derive IsClosed and IsWon from the stage and refuse writing them', async () => {
    const { opportunity } = deal();
    emu.control.sfUpdate({ id: opportunity, fields: { StageName: 'Closed Won' } });
    const res = await sf.query<Rows<{ IsClosed: boolean; IsWon: boolean }>>(
      `SELECT IsClosed, IsWon FROM Opportunity WHERE Id = '${opportunity}'`,
    );
    expect(res.body.records[0]).toMatchObject({ IsClosed: true, IsWon: true });
    const refused = await sf.request('PATCH', `sobjects/Opportunity/${opportunity}`, { IsWon: false });
    expect(refused.status).toBe(400);
  });

  it('keep one primary role per opportunity', async () => {
    const { opportunity, roles: ids } = deal();
    const rows = await roles(`OpportunityId = '${opportunity}'`);
    expect(rows.find((r) => r.Id === ids[0])?.IsPrimary).toBe(false);
    expect(rows.find((r) => r.Id === ids[1])?.IsPrimary).toBe(true);
  });

  it('a role deleted directly leaves queryAll and shows only in the deleted/ feed', async () => {
    const { opportunity, roles: ids } = deal();
    emu.control.advanceTime({ ms: 60_000 });
    emu.control.sfDelete({ id: ids[0]! });
    expect((await roles(`OpportunityId = '${opportunity}'`, true)).map((r) => r.Id)).toEqual([ids[1]]);
    emu.control.advanceTime({ ms: 120_000 });
    expect(await deletedIds('OpportunityContactRole')).toEqual([ids[0]]);
  });

  it('deleting the opportunity sends its roles to the Recycle Bin (IsDeleted) and the feed', async () => {
    const { opportunity, roles: ids } = deal();
    emu.control.sfDelete({ id: opportunity });
    const rows = await roles(`OpportunityId = '${opportunity}'`, true);
    expect(rows.map((r) => r.IsDeleted)).toEqual([true, true]);
    emu.control.advanceTime({ ms: 120_000 });
    expect((await deletedIds('OpportunityContactRole')).sort()).toEqual([...ids].sort());
  });

  it('lead conversion with an opportunity gives it the contact as primary role', async () => {
    const lead = create('Lead', { LastName: 'Lee', Company: 'Lee Inc' });
    const converted = emu.control.convertLead({ leadId: lead, createOpportunity: true });
    const rows = await roles(`OpportunityId = '${converted.opportunityId}'`);
    expect(rows).toEqual([expect.objectContaining({ ContactId: converted.contactId, IsPrimary: true })]);
  });

  it('a contact merge moves roles and custom lookups to the master; a contact delete clears lookups', async () => {
    const { opportunity, contacts } = deal();
    const [master, loser] = contacts as [string, string];
    const sub = create('Subscription__c', { Name: 'SUB-1', Contact__c: loser });
    const reg = create('Event_Registration__c', { Name: 'REG-1', Contact__c: master });
    emu.control.sfMergeContacts({ master, losers: [loser] });
    // The loser's role is dropped: the master already has one on this opportunity.
    expect((await roles(`OpportunityId = '${opportunity}'`)).map((r) => r.ContactId)).toEqual([master]);
    expect(emu.control.sfGet({ id: sub })?.Contact__c).toBe(master);
    expect(emu.control.sfGet({ id: loser })).toMatchObject({ IsDeleted: true, MasterRecordId: master });
    emu.control.sfDelete({ id: master });
    expect(emu.control.sfGet({ id: reg })?.Contact__c).toBeNull();
    expect(await roles(`OpportunityId = '${opportunity}'`, true)).toEqual([]);
  });
});

describe('users and custom objects', () => {
  it('users cannot be deleted, only deactivated', async () => {
    const user = emu.control.sfCreateSession({ user: 'standard' }).userId;
    const res = await sf.request('DELETE', `sobjects/User/${user}`);
    expect(res.status).toBe(400);
    expect(await deletedIds('User')).toEqual([]);
  });

  it('an object removed in Setup is gone from describe and queries', async () => {
    emu.control.sfRemoveObject({ object: 'Event_Registration__c' });
    expect((await sf.get('sobjects/Event_Registration__c/describe')).status).toBe(404);
    const query = await sf.query<{ errorCode: string }[]>('SELECT Id FROM Event_Registration__c');
    expect(query.body[0]?.errorCode).toBe('INVALID_TYPE');
  });
});

describe('composite', () => {
  it('takes at most five queries per call', async () => {
    const sub = (i: number) => ({
      method: 'GET',
      url: `/services/data/v62.0/query?q=SELECT+Id+FROM+Lead`,
      referenceId: `q${i}`,
    });
    const five = await sf.request('POST', 'composite', { compositeRequest: [0, 1, 2, 3, 4].map(sub) });
    expect(five.status).toBe(200);
    const six = await sf.request<{ errorCode: string }[]>('POST', 'composite', {
      compositeRequest: [0, 1, 2, 3, 4, 5].map(sub),
    });
    expect(six.status).toBe(400);
    expect(six.body[0]?.errorCode).toBe('LIMIT_EXCEEDED');
    // Replication resources are not queries: a probe can add them beyond the five.
    const feeds = [0, 1, 2].map((i) => ({
      method: 'GET',
      url: `/services/data/v62.0/sobjects/Opportunity/updated/?start=2020-01-01T00:00:00Z&end=2020-01-01T00:05:00Z`,
      referenceId: `u${i}`,
    }));
    const mixed = await sf.request('POST', 'composite', {
      compositeRequest: [...[0, 1, 2, 3, 4].map(sub), ...feeds],
    });
    expect(mixed.status).toBe(200);
  });
});

describe('seeds', () => {
  it('demo has sales reps, deals with roles, and two custom objects linked to persons', () => {
    emu.control.reset({ seed: 'demo' });
    const { salesforce } = emu.control.snapshot();
    expect(salesforce.User!.length).toBeGreaterThanOrEqual(4);
    expect(salesforce.Opportunity!.length).toBeGreaterThan(100);
    expect(salesforce.OpportunityContactRole!.length).toBeGreaterThan(50);
    const regs = salesforce.Event_Registration__c!;
    expect(regs.some((r) => r.Lead__c) && regs.some((r) => r.Contact__c)).toBe(true);
    expect(salesforce.Subscription__c!.length).toBe(150);
  });

  it('large with opportunities: N deals, 2N roles, each thousand rows in one second', () => {
    emu.control.reset({ seed: 'large', size: 10, opportunities: 3000 });
    const { salesforce } = emu.control.snapshot();
    expect(salesforce.Opportunity).toHaveLength(3000);
    expect(salesforce.OpportunityContactRole).toHaveLength(6000);
    const stamps = new Set(salesforce.Opportunity!.map((o) => o.SystemModstamp));
    expect(stamps.size).toBeLessThan(20);
  });
});
