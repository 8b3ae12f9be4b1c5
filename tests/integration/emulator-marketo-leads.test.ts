// Marketo emulator over real HTTP: lead describe/describe2/schema, get by id and by filter, sync
// with the four actions and per-record reasons, delete (both forms), merge and push (api-facts B4, B5, B10).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MarketoHarness, START, startMarketo } from './emulator-marketo-helpers';

let m: MarketoHarness;
beforeAll(async () => {
  m = await startMarketo();
});
afterAll(() => m.close());
beforeEach(() => {
  m.emulator.reset();
  m.clock.set(START);
});

const sync = (input: unknown[], extra: Record<string, unknown> = {}) =>
  m.post('/rest/v1/leads.json', { input, ...extra });

describe('describe', () => {
  it('lists fields with rest/soap names and the SFDC linkage fields read-only by default', async () => {
    const body = await m.get('/rest/v1/leads/describe.json');
    expect(body.success).toBe(true);
    const byName = new Map(body.result.map((f: { rest: { name: string } }) => [f.rest.name, f]));
    expect(byName.get('company')).toMatchObject({
      displayName: 'Company Name',
      dataType: 'string',
      length: 255,
      rest: { name: 'company', readOnly: false },
      soap: { name: 'Company', readOnly: false },
    });
    for (const name of [
      'sfdcLeadId',
      'sfdcContactId',
      'sfdcAccountId',
      'sfdcType',
      'sfdcLeadOwnerId',
      'sfdcOpptyId',
    ]) {
      expect(byName.get(name)).toMatchObject({ rest: { name, readOnly: true } });
    }
    expect(byName.get('sfdcLeadIdCustom')).toMatchObject({ rest: { readOnly: false } });
  });

  it('describe2 gives searchable fields as arrays of arrays and updateable/crmManaged flags, switchable', async () => {
    const body = await m.get('/rest/v1/leads/describe2.json');
    const [lead] = body.result;
    expect(lead.name).toBe('API Lead');
    expect(lead.searchableFields).toContainEqual(['email']);
    expect(lead.searchableFields).toContainEqual(['sfdcLeadId']);
    const field = (name: string) => lead.fields.find((f: { name: string }) => f.name === name);
    expect(field('sfdcContactId')).toMatchObject({ updateable: false, crmManaged: true });
    expect(field('email')).toMatchObject({ updateable: true, crmManaged: false });
    m.emulator.control.setSfdcFieldsCrmManaged(false);
    const after = await m.get('/rest/v1/leads/describe2.json');
    expect(after.result[0].fields.find((f: { name: string }) => f.name === 'sfdcContactId')).toMatchObject({
      updateable: true,
      crmManaged: false,
    });
  });

  it('schema/fields pages with batchSize and nextPageToken; one field by name; unknown field 1006', async () => {
    const first = await m.get('/rest/v1/leads/schema/fields.json', { batchSize: 50 });
    expect(first.result).toHaveLength(50);
    expect(first.moreResult).toBe(true);
    const second = await m.get('/rest/v1/leads/schema/fields.json', {
      batchSize: 50,
      nextPageToken: first.nextPageToken,
    });
    expect(second.result[0].name).not.toBe(first.result[0].name);
    expect(second.moreResult).toBe(false);
    const email = await m.get('/rest/v1/leads/schema/fields/email.json');
    expect(email.result).toEqual([
      expect.objectContaining({ name: 'email', dataType: 'email', isCustom: false, isHidden: false }),
    ]);
    const missing = await m.get('/rest/v1/leads/schema/fields/nope.json');
    expect(missing.errors[0].code).toBe('1006');
  });
});

describe('sync', () => {
  it('createOrUpdate creates, then updates by email (case-insensitive)', async () => {
    const created = await sync([{ email: 'ann@x.com', firstName: 'Ann', leadScore: '12' }]);
    expect(created.result).toEqual([{ id: 1, status: 'created' }]);
    const updated = await sync([{ email: 'ANN@x.com', lastName: 'Lee' }]);
    expect(updated.result).toEqual([{ id: 1, status: 'updated' }]);
    const lead = await m.get('/rest/v1/lead/1.json', { fields: 'email,firstName,lastName,leadScore,title' });
    expect(lead.result).toEqual([{ email: 'ANN@x.com', firstName: 'Ann', lastName: 'Lee', leadScore: 12 }]);
  });

  it('createOnly skips existing leads with 1005; updateOnly skips unknown ones with 1004', async () => {
    await sync([{ email: 'a@x.com' }]);
    const body = await sync([{ email: 'a@x.com' }, { email: 'b@x.com' }], { action: 'createOnly' });
    expect(body.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1005', message: 'Lead already exists' }] },
      { id: 2, status: 'created' },
    ]);
    const update = await sync(
      [
        { email: 'c@x.com', firstName: 'C' },
        { email: 'b@x.com', firstName: 'B' },
      ],
      {
        action: 'updateOnly',
      },
    );
    expect(update.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      { id: 2, status: 'updated' },
    ]);
  });

  it('updateOnly by id; id with createOnly is 1003 and lookupField id outside updateOnly is 1011', async () => {
    await sync([{ email: 'a@x.com' }]);
    const byId = await sync([{ id: 1, title: 'CEO' }], { action: 'updateOnly', lookupField: 'id' });
    expect(byId.result).toEqual([{ id: 1, status: 'updated' }]);
    const idCreate = await sync([{ id: 1, email: 'z@x.com' }], { action: 'createOnly' });
    expect(idCreate.result[0]).toMatchObject({ status: 'skipped', reasons: [{ code: '1003' }] });
    const badLookup = await sync([{ id: 1 }], { action: 'createOrUpdate', lookupField: 'id' });
    expect(badLookup).toMatchObject({
      success: false,
      errors: [{ code: '1011', message: "Field 'id' not supported" }],
    });
    const unknownLookup = await sync([{ email: 'q@x.com' }], { lookupField: 'title' });
    expect(unknownLookup.errors[0].code).toBe('1011');
  });

  it('createDuplicate always creates; then an upsert on the shared key gets 1007', async () => {
    await sync([{ email: 'dup@x.com' }]);
    const dup = await sync([{ email: 'dup@x.com' }], { action: 'createDuplicate' });
    expect(dup.result).toEqual([{ id: 2, status: 'created' }]);
    const body = await sync([{ email: 'dup@x.com', firstName: 'X' }]);
    expect(body.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1007', message: 'Multiple leads match the lookup criteria' }] },
    ]);
  });

  it('skips unknown fields (1006) and bad values (1001); keeps input order', async () => {
    const body = await sync([
      { email: 'a@x.com', favouriteColour: 'blue' },
      { email: 'b@x.com', leadScore: 'lots' },
      { email: 'ünï@x.com' },
      { email: 'ok@x.com', unsubscribed: 'true', dateOfBirth: '1990-04-01' },
    ]);
    expect(body.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1006', message: "Field 'favouriteColour' not found" }] },
      {
        status: 'skipped',
        reasons: [{ code: '1001', message: "Invalid value 'lots'. Required of type 'integer'" }],
      },
      { status: 'skipped', reasons: [expect.objectContaining({ code: '1001' })] },
      { id: 1, status: 'created' },
    ]);
  });

  it('enforces the 300-record cap and a non-empty input; tolerates partitionName', async () => {
    const many = Array.from({ length: 301 }, (_, i) => ({ email: `p${i}@x.com` }));
    const over = await sync(many);
    expect(over).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    const max = await sync(many.slice(0, 300), { partitionName: 'Default', asyncProcessing: false });
    expect(max.result).toHaveLength(300);
    expect((await sync([])).errors[0].code).toBe('701');
    expect(
      (await m.post('/rest/v1/leads.json', { action: 'upsertPlease', input: [{}] })).errors[0].code,
    ).toBe('1003');
  });

  it('refuses writes to CRM-managed SFDC fields, or ignores them, or accepts them when not managed', async () => {
    const refused = await sync([{ email: 'a@x.com', sfdcLeadId: '00Q000000000001AAA' }]);
    expect(refused.result[0]).toEqual({
      status: 'skipped',
      reasons: [{ code: '1003', message: "Field 'sfdcLeadId' is not updateable" }],
    });
    m.emulator.control.setSettings({ crmManagedWrites: 'ignore' });
    const ignored = await sync([{ email: 'a@x.com', sfdcLeadId: '00Q000000000001AAA' }]);
    expect(ignored.result).toEqual([{ id: 1, status: 'created' }]);
    expect((await m.get('/rest/v1/lead/1.json', { fields: 'sfdcLeadId,email' })).result).toEqual([
      { email: 'a@x.com' },
    ]);
    m.emulator.control.setSfdcFieldsCrmManaged(false);
    await sync([{ email: 'a@x.com', sfdcLeadId: '00Q000000000001AAA', sfdcType: 'Lead' }]);
    const found = await m.get('/rest/v1/leads.json', {
      filterType: 'sfdcLeadId',
      filterValues: '00Q000000000001AAA',
    });
    expect(found.result.map((r: { id: number }) => r.id)).toEqual([1]);
    const viaLookup = await sync([{ sfdcLeadId: '00Q000000000001AAA', title: 'VP' }], {
      lookupField: 'sfdcLeadId',
    });
    expect(viaLookup.result).toEqual([{ id: 1, status: 'updated' }]);
  });

  it('matches on a CRM-managed lookup field, but refuses to create with it', async () => {
    const id = m.emulator.control.createLead({
      email: 'l@x.com',
      sfdcLeadId: '00Q000000000009AAA',
      sfdcType: 'Lead',
    });
    const update = await sync([{ sfdcLeadId: '00Q000000000009AAA', title: 'Buyer' }], {
      lookupField: 'sfdcLeadId',
    });
    expect(update.result).toEqual([{ id, status: 'updated' }]);
    const create = await sync([{ sfdcLeadId: '00Q00000000000XAAA', email: 'n@x.com' }], {
      lookupField: 'sfdcLeadId',
    });
    expect(create.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1003', message: "Field 'sfdcLeadId' is not updateable" }] },
    ]);
    const notFound = await sync([{ sfdcLeadId: '00Q00000000000XAAA' }], {
      lookupField: 'sfdcLeadId',
      action: 'updateOnly',
    });
    expect(notFound.result[0].reasons[0].code).toBe('1004');
    m.emulator.control.setSettings({ crmManagedWrites: 'ignore' });
    const ignored = await sync([{ sfdcLeadId: '00Q00000000000XAAA', email: 'n@x.com' }], {
      lookupField: 'sfdcLeadId',
    });
    expect(ignored.result).toEqual([{ id: id + 1, status: 'created' }]);
  });

  it('looks up by a custom string field', async () => {
    await sync([{ email: 'c@x.com', sfdcContactIdCustom: '003000000000001AAA' }]);
    const body = await sync([{ sfdcContactIdCustom: '003000000000001AAA', city: 'Utrecht' }], {
      lookupField: 'sfdcContactIdCustom',
      action: 'updateOnly',
    });
    expect(body.result).toEqual([{ id: 1, status: 'updated' }]);
  });
});

describe('get leads', () => {
  it('by id: default fields, nulls omitted; unknown id gives an empty result; unknown field 1006', async () => {
    await sync([{ email: 'a@x.com', firstName: 'A' }]);
    const body = await m.get('/rest/v1/lead/1.json');
    expect(body.result).toEqual([
      {
        id: 1,
        email: 'a@x.com',
        updatedAt: '2026-03-02T15:00:00Z',
        createdAt: '2026-03-02T15:00:00Z',
        firstName: 'A',
      },
    ]);
    expect((await m.get('/rest/v1/lead/999.json')).result).toEqual([]);
    expect((await m.get('/rest/v1/lead/1.json', { fields: 'email,shoeSize' })).errors).toEqual([
      { code: '1006', message: "Field 'shoeSize' not found" },
    ]);
  });

  it('by filter: pages of batchSize with position tokens; empty result on no match', async () => {
    await sync(Array.from({ length: 7 }, (_, i) => ({ email: `p${i}@x.com`, company: 'Acme' })));
    const ids = Array.from({ length: 7 }, (_, i) => i + 1).join(',');
    const first = await m.get('/rest/v1/leads.json', { filterType: 'id', filterValues: ids, batchSize: 3 });
    expect(first.result.map((r: { id: number }) => r.id)).toEqual([1, 2, 3]);
    expect(first.moreResult).toBe(true);
    const second = await m.get('/rest/v1/leads.json', {
      filterType: 'id',
      filterValues: ids,
      batchSize: 3,
      nextPageToken: first.nextPageToken,
    });
    expect(second.result.map((r: { id: number }) => r.id)).toEqual([4, 5, 6]);
    const third = await m.get('/rest/v1/leads.json', {
      filterType: 'id',
      filterValues: ids,
      batchSize: 3,
      nextPageToken: second.nextPageToken,
    });
    expect(third.result.map((r: { id: number }) => r.id)).toEqual([7]);
    expect(third.moreResult).toBe(false);
    expect(third.nextPageToken).toBeUndefined();
    const none = await m.get('/rest/v1/leads.json', { filterType: 'email', filterValues: 'nobody@x.com' });
    expect(none).toMatchObject({ success: true, result: [] });
    const foreign = await m.get('/rest/v1/leads.json', {
      filterType: 'email',
      filterValues: 'p1@x.com',
      nextPageToken: first.nextPageToken,
    });
    expect(foreign.errors[0].code).toBe('1003');
  });

  it('refuses more than 300 filter values, more than 1,000 matches, and unsupported filter types', async () => {
    const values = Array.from({ length: 301 }, (_, i) => `v${i}@x.com`).join(',');
    const res = await m.raw('/rest/v1/leads.json?_method=GET', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await m.token()}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ filterType: 'email', filterValues: values }).toString(),
    });
    expect((await res.json()).errors[0].code).toBe('1003');
    m.emulator.control.setSettings({ maxFilterMatches: 2 });
    await sync([{ email: 'a@x.com', company: 'Acme', sfdcAccountIdCustom: 'acc' }]);
    await sync([
      { email: 'b@x.com', sfdcAccountIdCustom: 'acc' },
      { email: 'c@x.com', sfdcAccountIdCustom: 'acc' },
    ]);
    const over = await m.get('/rest/v1/leads.json', {
      filterType: 'sfdcAccountIdCustom',
      filterValues: 'acc',
    });
    expect(over.errors).toEqual([{ code: '1003', message: 'Too many results match the filter' }]);
    const unsupported = await m.get('/rest/v1/leads.json', { filterType: 'title', filterValues: 'x' });
    expect(unsupported.errors[0].code).toBe('1011');
    expect((await m.get('/rest/v1/leads.json')).errors[0].code).toBe('701');
  });
});

describe('delete, merge, push', () => {
  it('deletes via POST delete.json and via DELETE leads.json, skipping unknown ids with 1004', async () => {
    await sync([{ email: 'a@x.com' }, { email: 'b@x.com' }, { email: 'c@x.com' }]);
    const posted = await m.post('/rest/v1/leads/delete.json', { input: [{ id: 1 }, { id: 42 }] });
    expect(posted.result).toEqual([
      { id: 1, status: 'deleted' },
      { id: 42, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    const res = await m.raw('/rest/v1/leads.json', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${await m.token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: [{ id: 2 }] }),
    });
    expect((await res.json()).result).toEqual([{ id: 2, status: 'deleted' }]);
    const byQuery = await m.post('/rest/v1/leads/delete.json', {}, { id: '3' });
    expect(byQuery.result).toEqual([{ id: 3, status: 'deleted' }]);
    expect(m.emulator.store.leads.size).toBe(0);
  });

  it('merges: winner keeps its values, fills empties from losers, losers are gone', async () => {
    m.emulator.control.setSfdcFieldsCrmManaged(false);
    await sync([
      { email: 'w@x.com', firstName: 'Win' },
      { email: 'l@x.com', firstName: 'Lose', title: 'CTO', sfdcType: 'Contact', sfdcContactId: '003A' },
    ]);
    const body = await m.post('/rest/v1/leads/1/merge.json', {}, { leadIds: '2', mergeInCRM: 'false' });
    expect(body).toEqual({ requestId: expect.any(String), success: true });
    const winner = await m.get('/rest/v1/lead/1.json', {
      fields: 'email,firstName,title,sfdcType,sfdcContactId',
    });
    expect(winner.result).toEqual([
      { email: 'w@x.com', firstName: 'Win', title: 'CTO', sfdcType: 'Contact', sfdcContactId: '003A' },
    ]);
    expect((await m.get('/rest/v1/lead/2.json')).result).toEqual([]);
    expect((await m.post('/rest/v1/leads/1/merge.json', {}, { leadId: '99' })).errors[0].code).toBe('1004');
    const losers = Array.from({ length: 26 }, (_, i) => i + 10).join(',');
    expect((await m.post('/rest/v1/leads/1/merge.json', {}, { leadIds: losers })).errors[0].code).toBe(
      '1080',
    );
  });

  it('push upserts into a program and logs Push Lead to Marketo', async () => {
    const body = await m.post('/rest/v1/leads/push.json', {
      programName: 'Spring Webinar 2026',
      source: 'Partner',
      reason: 'Event list',
      lookupField: 'email',
      input: [{ email: 'p@x.com', firstName: 'P' }],
    });
    expect(body.result).toEqual([{ id: 1, status: 'created' }]);
    const types = m.emulator.store.activities.forLead(1).map((a) => a.typeId);
    expect(types).toEqual([12, 145]);
    const unknown = await m.post('/rest/v1/leads/push.json', {
      programName: 'Nope',
      input: [{ email: 'q@x.com' }],
    });
    expect(unknown.errors[0].code).toBe('1013');
  });

  it('lists the default partition', async () => {
    expect((await m.get('/rest/v1/leads/partitions.json')).result).toEqual([
      { id: 1, name: 'Default', description: 'Initial system lead partition' },
    ]);
  });
});
