// Marketo emulator over real HTTP: activity types, date-based paging tokens, activities, lead
// changes and deleted leads; every mutation (API or control) writes its activities (api-facts B6, C4).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedMarketo } from '../../emulator/marketo/seed';
import { type Envelope, type MarketoHarness, START, startMarketo } from './emulator-marketo-helpers';

let m: MarketoHarness;
beforeAll(async () => {
  m = await startMarketo();
});
afterAll(() => m.close());
beforeEach(() => {
  m.emulator.reset();
  m.clock.set(START);
});

const HOUR = 3_600_000;
const sync = (input: unknown[], extra: Record<string, unknown> = {}) =>
  m.post('/rest/v1/leads.json', { input, ...extra });

async function tokenSince(iso: string): Promise<string> {
  const body = await m.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: iso });
  expect(body.success).toBe(true);
  return body.nextPageToken;
}

/** Follows a feed until moreResult is false; returns all items and the final token. */
async function drain(path: string, params: Record<string, string | number>, token: string) {
  const items: Envelope[] = [];
  let next = token;
  let calls = 0;
  for (;;) {
    const body = await m.get(path, { ...params, nextPageToken: next });
    expect(body.success).toBe(true);
    expect(typeof body.nextPageToken).toBe('string');
    items.push(...body.result);
    next = body.nextPageToken;
    calls++;
    if (!body.moreResult) return { items, token: next, calls };
  }
}

describe('types and tokens', () => {
  it('lists activity types with primary attributes', async () => {
    const body = await m.get('/rest/v1/activities/types.json');
    const byId = new Map(body.result.map((t: { id: number }) => [t.id, t]));
    expect(byId.get(2)).toMatchObject({
      name: 'Fill Out Form',
      primaryAttribute: { name: 'Webform ID', dataType: 'integer' },
    });
    for (const id of [1, 10, 11, 12, 13, 32, 37]) expect(byId.has(id)).toBe(true);
  });

  it('gives base32 paging tokens; refuses bad datetimes and bad tokens', async () => {
    const token = await tokenSince('2026-03-01T00:00:00Z');
    expect(token).toMatch(/^[A-Z2-7]+=*$/);
    expect(await tokenSince('2026-03-01T00:00:00+01:00')).not.toBe(token);
    const bad = await m.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: 'yesterday' });
    expect(bad.errors[0].code).toBe('1001');
    const missing = await m.get('/rest/v1/activities/pagingtoken.json');
    expect(missing.errors[0].code).toBe('701');
    const garbage = await m.get('/rest/v1/activities.json', {
      activityTypeIds: 1,
      nextPageToken: 'NOTATOKEN',
    });
    expect(garbage.errors[0].code).toBe('1003');
  });
});

describe('lead changes', () => {
  it('returns New Lead and Change Data Value activities for the requested fields only', async () => {
    const token = await tokenSince('2026-03-02T00:00:00Z');
    await sync([{ email: 'a@x.com', firstName: 'Ann' }]);
    m.clock.advance(1000);
    await sync([{ email: 'a@x.com', firstName: 'Anna', title: 'CEO' }]);
    const { items } = await drain(
      '/rest/v1/activities/leadchanges.json',
      { fields: 'firstName,email' },
      token,
    );
    expect(items).toEqual([
      {
        id: 1,
        marketoGUID: '1',
        leadId: 1,
        activityDate: '2026-03-02T15:00:00Z',
        activityTypeId: 12,
        attributes: [{ name: 'Source Type', value: 'Web service API' }],
      },
      {
        id: 2,
        marketoGUID: '2',
        leadId: 1,
        activityDate: '2026-03-02T15:00:01Z',
        activityTypeId: 13,
        fields: [{ id: expect.any(Number), name: 'firstName', newValue: 'Anna', oldValue: 'Ann' }],
        attributes: [
          { name: 'Reason', value: 'Web service API' },
          { name: 'Source', value: 'Web service API' },
          { name: 'Lead ID', value: 1 },
        ],
      },
    ]);
    expect(
      (await m.get('/rest/v1/activities/leadchanges.json', { nextPageToken: token })).errors[0].code,
    ).toBe('701');
  });

  it('a saved token picks up only later changes; user edits through control carry their own Source', async () => {
    await sync([{ email: 'a@x.com', firstName: 'Ann' }]);
    const first = await drain(
      '/rest/v1/activities/leadchanges.json',
      { fields: 'firstName' },
      await tokenSince('2026-03-02T00:00:00Z'),
    );
    expect(first.items).toHaveLength(1);
    m.clock.advance(5 * 60_000);
    expect(m.emulator.control.updateLead(1, { firstName: 'Annie', leadScore: 40 })).toEqual([
      'firstName',
      'leadScore',
    ]);
    const later = await drain('/rest/v1/activities/leadchanges.json', { fields: 'firstName' }, first.token);
    expect(later.items).toHaveLength(1);
    expect(later.items[0]!.fields[0]).toMatchObject({
      name: 'firstName',
      oldValue: 'Ann',
      newValue: 'Annie',
    });
    expect(later.items[0]!.attributes).toContainEqual({ name: 'Source', value: 'Person Detail Page' });
    const idle = await m.get('/rest/v1/activities/leadchanges.json', {
      fields: 'firstName',
      nextPageToken: later.token,
    });
    expect(idle).toMatchObject({ success: true, moreResult: false, result: [] });
    expect(idle.nextPageToken).toBe(later.token);
  });

  it('pages with the configured page size and short pages with moreResult:true', async () => {
    m.emulator.control.setSettings({ activityPageSize: 4, activityScanLimit: 6 });
    const token = await tokenSince('2026-03-02T00:00:00Z');
    await sync(Array.from({ length: 10 }, (_, i) => ({ email: `p${i}@x.com` })));
    // Ten New Lead rows, each followed by an email change nobody asked for.
    await sync(Array.from({ length: 10 }, (_, i) => ({ email: `p${i}@x.com`, title: 'T' })));
    const first = await m.get('/rest/v1/activities/leadchanges.json', {
      fields: 'email',
      nextPageToken: token,
    });
    expect(first.result).toHaveLength(4);
    expect(first.moreResult).toBe(true);
    const all = await drain('/rest/v1/activities/leadchanges.json', { fields: 'email' }, first.nextPageToken);
    expect(all.items.map((a) => a.leadId)).toEqual([5, 6, 7, 8, 9, 10]);
    // The title changes are scanned but filtered out: some pages come back short yet say moreResult.
    expect(all.calls).toBeGreaterThan(2);
  });
});

describe('activities', () => {
  it('filters by activity types and lead ids, hides deleted leads, and checks limits', async () => {
    await sync([{ email: 'a@x.com' }, { email: 'b@x.com' }]);
    m.clock.advance(1000);
    m.emulator.control.logActivity({
      leadId: 1,
      typeId: 2,
      primaryAttributeValueId: 1001,
      primaryAttributeValue: 'Contact Us Form',
    });
    m.emulator.control.logActivity({
      leadId: 2,
      typeId: 11,
      primaryAttributeValueId: 2001,
      primaryAttributeValue: 'News.Email',
    });
    const token = await tokenSince('2026-03-02T00:00:00Z');
    const forms = await drain('/rest/v1/activities.json', { activityTypeIds: '2,11' }, token);
    expect(forms.items.map((a) => [a.leadId, a.activityTypeId, a.primaryAttributeValue])).toEqual([
      [1, 2, 'Contact Us Form'],
      [2, 11, 'News.Email'],
    ]);
    expect(forms.items[0]).toMatchObject({
      marketoGUID: String(forms.items[0]!.id),
      activityDate: '2026-03-02T15:00:01Z',
      attributes: [],
    });
    const lead2 = await drain(
      '/rest/v1/activities.json',
      { activityTypeIds: '2,11,12', leadIds: '2' },
      token,
    );
    expect(lead2.items.map((a) => a.activityTypeId)).toEqual([12, 11]);
    m.emulator.control.deleteLead(1);
    const afterDelete = await drain('/rest/v1/activities.json', { activityTypeIds: '2,11,37' }, token);
    expect(afterDelete.items.map((a) => a.activityTypeId)).toEqual([11, 37]);
    const tooManyTypes = await m.get('/rest/v1/activities.json', {
      activityTypeIds: '1,2,3,6,7,8,9,10,11,12,13',
      nextPageToken: token,
    });
    expect(tooManyTypes.errors[0].code).toBe('1003');
    const tooManyLeads = await m.get('/rest/v1/activities.json', {
      activityTypeIds: '1',
      leadIds: Array.from({ length: 31 }, (_, i) => i + 1).join(','),
      nextPageToken: token,
    });
    expect(tooManyLeads.errors[0].code).toBe('1003');
    expect((await m.get('/rest/v1/activities.json', { nextPageToken: token })).errors[0].code).toBe('701');
    expect(
      (await m.get('/rest/v1/activities.json', { activityTypeIds: 1, listId: 7, nextPageToken: token }))
        .errors[0].code,
    ).toBe('1013');
  });

  it('writes Merge Leads (32) on the winner', async () => {
    await sync([{ email: 'a@x.com' }, { email: 'b@x.com', city: 'Delft' }]);
    m.emulator.control.mergeLeads(1, [2]);
    const { items } = await drain(
      '/rest/v1/activities.json',
      { activityTypeIds: '32' },
      await tokenSince('2026-03-02T00:00:00Z'),
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ leadId: 1, activityTypeId: 32, primaryAttributeValueId: 1 });
    expect(items[0]!.attributes).toContainEqual({ name: 'Merge IDs', value: '1,2' });
    expect(items[0]!.attributes).toContainEqual({ name: 'Master Updated', value: true });
  });
});

describe('deleted leads', () => {
  it('lists deletions as type 37 with the name, and prunes those older than 14 days', async () => {
    await sync([
      { email: 'a@x.com', firstName: 'Old', lastName: 'One' },
      { email: 'b@x.com', firstName: 'New', lastName: 'One' },
    ]);
    const token = await tokenSince('2026-03-01T00:00:00Z');
    m.emulator.control.deleteLead(1);
    m.clock.advance(10 * 24 * HOUR);
    await m.post('/rest/v1/leads/delete.json', { input: [{ id: 2 }] });
    const now = await drain('/rest/v1/activities/deletedleads.json', {}, token);
    expect(now.items).toEqual([
      expect.objectContaining({
        leadId: 1,
        activityTypeId: 37,
        primaryAttributeValueId: 1,
        primaryAttributeValue: 'Old One',
        attributes: [],
      }),
      expect.objectContaining({ leadId: 2, activityTypeId: 37, primaryAttributeValue: 'New One' }),
    ]);
    m.clock.advance(5 * 24 * HOUR);
    const later = await drain('/rest/v1/activities/deletedleads.json', {}, token);
    expect(later.items.map((a) => a.leadId)).toEqual([2]);
  });
});

describe('seeding', () => {
  it('links persons to Salesforce and gives some of them recent activities', async () => {
    let state = 7;
    const rng = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x80000000;
    };
    const persons = Array.from({ length: 200 }, (_, i) => ({
      sfId: `${i % 2 ? '00Q' : '003'}${String(i).padStart(15, '0')}`,
      sfType: (i % 2 ? 'Lead' : 'Contact') as 'Lead' | 'Contact',
      sfAccountId: i % 2 ? undefined : '001000000000001AAA',
      email: `s${i}@example.com`,
      firstName: `F${i}`,
      lastName: `L${i}`,
      company: 'Acme',
      leadScore: i,
    }));
    const ids = seedMarketo(m.emulator.store, persons, rng);
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const lead = await m.get('/rest/v1/leads.json', {
      filterType: 'sfdcLeadId',
      filterValues: persons[1]!.sfId,
      fields: 'email,sfdcType,sfdcLeadId,sfdcContactId',
    });
    expect(lead.result).toEqual([
      { email: 's1@example.com', sfdcType: 'Lead', sfdcLeadId: persons[1]!.sfId },
    ]);
    const contacts = await m.get('/rest/v1/leads.json', {
      filterType: 'sfdcAccountId',
      filterValues: '001000000000001AAA',
    });
    expect(contacts.result).toHaveLength(100);
    const week = await drain(
      '/rest/v1/activities.json',
      { activityTypeIds: '1,2,10,11' },
      await tokenSince('2026-02-23T15:00:00Z'),
    );
    expect(week.items.length).toBeGreaterThan(20);
    const dates = week.items.map((a) => a.activityDate as string);
    expect([...dates].sort()).toEqual(dates);
    const newLeads = await drain(
      '/rest/v1/activities.json',
      { activityTypeIds: '12' },
      await tokenSince('2025-01-01T00:00:00Z'),
    );
    expect(newLeads.items).toHaveLength(200);
    // Same seed, same data.
    const again = await startMarketo();
    state = 7;
    seedMarketo(again.emulator.store, persons, rng);
    expect(again.emulator.snapshot().leads).toEqual(m.emulator.snapshot().leads);
    await again.close();
  });
});
