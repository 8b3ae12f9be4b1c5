// Marketo emulator over real HTTP: programs and channels (asset API envelope, "No assets found"
// warning, Z+0000 dates), program members (seq, 1013/1025/1037) and custom objects (api-facts B7, B8).
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

const NO_ASSETS = 'No assets found for the given search criteria.';

describe('programs and channels', () => {
  it('browses with maxReturn/offset until the No assets warning without result', async () => {
    const first = await m.get('/rest/asset/v1/programs.json', { maxReturn: 3, offset: 0 });
    expect(first).toMatchObject({ success: true, errors: [], warnings: [] });
    expect(first.result).toHaveLength(3);
    expect(first.result[0]).toMatchObject({
      id: 1000,
      name: 'Spring Webinar 2026',
      type: 'Event',
      channel: 'Webinar',
      createdAt: '2026-03-02T15:00:00Z+0000',
      folder: { type: 'Folder', value: 12, folderName: 'Marketing Activities' },
      workspace: 'Default',
    });
    const second = await m.get('/rest/asset/v1/programs.json', { maxReturn: 3, offset: 3 });
    expect(second.result).toHaveLength(1);
    const end = await m.get('/rest/asset/v1/programs.json', { maxReturn: 3, offset: 6 });
    expect(end).toEqual({ success: true, errors: [], requestId: expect.any(String), warnings: [NO_ASSETS] });
    expect('result' in end).toBe(false);
    const tooMany = await m.get('/rest/asset/v1/programs.json', { maxReturn: 201 });
    expect(tooMany).toMatchObject({ success: false, warnings: [], errors: [{ code: '1003' }] });
  });

  it('gets a program by id and by name (with sfdc link and tags), and filters by updatedAt', async () => {
    const linked = m.emulator.control.createProgram({
      name: 'Partner Event',
      type: 'Event',
      channel: 'Tradeshow',
      sfdcId: '701000000000001AAA',
      tags: [{ tagType: 'Region', tagValue: 'EMEA' }],
    });
    const byId = await m.get(`/rest/asset/v1/program/${linked.id}.json`);
    expect(byId.result[0]).toMatchObject({
      name: 'Partner Event',
      sfdcId: '701000000000001AAA',
      sfdcName: 'Partner Event',
    });
    const byName = await m.get('/rest/asset/v1/program/byName.json', {
      name: 'Partner Event',
      includeTags: 'true',
    });
    expect(byName.result[0].tags).toEqual([{ tagType: 'Region', tagValue: 'EMEA' }]);
    expect((await m.get('/rest/asset/v1/program/byName.json', { name: 'Nope' })).warnings).toEqual([
      NO_ASSETS,
    ]);
    expect((await m.get('/rest/asset/v1/program/4242.json')).warnings).toEqual([NO_ASSETS]);
    const none = await m.get('/rest/asset/v1/programs.json', { earliestUpdatedAt: '2026-03-03T00:00:00Z' });
    expect(none.warnings).toEqual([NO_ASSETS]);
  });

  it('lists channels with progression statuses', async () => {
    const body = await m.get('/rest/asset/v1/channels.json', { maxReturn: 200 });
    const webinar = body.result.find((c: { name: string }) => c.name === 'Webinar');
    expect(webinar.applicableProgramType).toBe('event');
    expect(webinar.progressionStatuses).toContainEqual({
      name: 'Attended',
      step: 30,
      success: true,
      hidden: false,
      description: null,
    });
    const one = await m.get('/rest/asset/v1/channel/byName.json', { name: 'Email Blast' });
    expect(one.result[0].name).toBe('Email Blast');
  });
});

describe('program members', () => {
  beforeEach(async () => {
    await m.post('/rest/v1/leads.json', {
      input: [{ email: 'a@x.com' }, { email: 'b@x.com' }, { email: 'c@x.com' }],
    });
  });

  it('describes membership fields', async () => {
    const body = await m.get('/rest/v1/programs/members/describe.json');
    expect(body.result[0]).toMatchObject({
      name: 'API Program Membership',
      dedupeFields: ['leadId', 'programId'],
    });
    expect(body.result[0].searchableFields).toContainEqual(['leadId']);
  });

  it('sets statuses (created/updated), skips already-at-or-past with 1037, and unknown leads with 1004', async () => {
    const path = '/rest/v1/programs/1000/members/status.json';
    const registered = await m.post(path, {
      statusName: 'Registered',
      input: [{ leadId: 1 }, { leadId: 2 }, { leadId: 99 }],
    });
    expect(registered.result).toEqual([
      { seq: 0, leadId: 1, status: 'created' },
      { seq: 1, leadId: 2, status: 'created' },
      { seq: 2, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    const attended = await m.post(path, { statusName: 'Attended', input: [{ leadId: 1 }] });
    expect(attended.result).toEqual([{ seq: 0, leadId: 1, status: 'updated' }]);
    const back = await m.post(path, { statusName: 'Invited', input: [{ leadId: 1 }, { leadId: 2 }] });
    // Skipped rows carry no leadId (program-members.md).
    expect(back.result[0]).toEqual({
      seq: 0,
      status: 'skipped',
      reasons: [{ code: '1037', message: 'Lead skipped because it is already in or past this status' }],
    });
    expect(back.result[1].reasons[0].code).toBe('1037');
    const unknown = await m.post(path, { statusName: 'Danced', input: [{ leadId: 1 }] });
    expect(unknown).toMatchObject({ success: false, errors: [{ code: '1025' }] });
    const noProgram = await m.post('/rest/v1/programs/1/members/status.json', {
      statusName: 'Member',
      input: [{ leadId: 1 }],
    });
    expect(noProgram.errors[0].code).toBe('1013');
    const changes = m.emulator.store.activities.forLead(1).filter((a) => a.typeId === 104);
    expect(changes.map((a) => a.attributes[0]!.value)).toEqual(['Registered', 'Attended']);
  });

  it('queries members by leadId with seq and fields, and by updatedAt windows', async () => {
    await m.post('/rest/v1/programs/1000/members/status.json', {
      statusName: 'Attended',
      input: [{ leadId: 1 }, { leadId: 2 }],
    });
    const body = await m.get('/rest/v1/programs/1000/members.json', {
      filterType: 'leadId',
      filterValues: '2,1,3',
      fields: 'leadId,statusName,reachedSuccess,membershipDate',
    });
    expect(body.result).toEqual([
      {
        seq: 0,
        leadId: 2,
        statusName: 'Attended',
        reachedSuccess: true,
        membershipDate: '2026-03-02T15:00:00Z',
      },
      {
        seq: 1,
        leadId: 1,
        statusName: 'Attended',
        reachedSuccess: true,
        membershipDate: '2026-03-02T15:00:00Z',
      },
    ]);
    const defaults = await m.get('/rest/v1/programs/1000/members.json', {
      filterType: 'leadId',
      filterValues: '1',
    });
    expect(Object.keys(defaults.result[0]).sort()).toEqual([
      'acquiredBy',
      'leadId',
      'membershipDate',
      'programId',
      'reachedSuccess',
      'seq',
    ]);
    const window = await m.get('/rest/v1/programs/1000/members.json', {
      filterType: 'updatedAt',
      startAt: '2026-03-01T00:00:00Z',
      endAt: '2026-03-03T00:00:00Z',
      batchSize: 1,
    });
    expect(window.result).toHaveLength(1);
    expect(window.moreResult).toBe(true);
    const tooWide = await m.get('/rest/v1/programs/1000/members.json', {
      filterType: 'updatedAt',
      startAt: '2026-02-01T00:00:00Z',
      endAt: '2026-03-03T00:00:00Z',
    });
    expect(tooWide.errors[0].code).toBe('1003');
  });

  it('updates member data for members only (1013 otherwise) and removes members', async () => {
    await m.post('/rest/v1/programs/1001/members/status.json', {
      statusName: 'Member',
      input: [{ leadId: 1 }],
    });
    const update = await m.post('/rest/v1/programs/1001/members.json', {
      input: [
        { leadId: 1, sfdcCampaignMemberId: '00v000000000001AAA' },
        { leadId: 2, sfdcCampaignMemberId: '00v000000000002AAA' },
      ],
    });
    expect(update.result).toEqual([
      { seq: 0, leadId: 1, status: 'updated' },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Membership not found' }] },
    ]);
    const found = await m.get('/rest/v1/programs/1001/members.json', {
      filterType: 'sfdcCampaignMemberId',
      filterValues: '00v000000000001AAA',
    });
    expect(found.result.map((r: { leadId: number }) => r.leadId)).toEqual([1]);
    const removed = await m.post('/rest/v1/programs/1001/members/delete.json', {
      input: [{ leadId: 1 }, { leadId: 2 }],
    });
    expect(removed.result).toEqual([
      { seq: 0, leadId: 1, status: 'deleted' },
      { seq: 1, status: 'skipped', reasons: [{ code: '1037', message: 'Lead not in program' }] },
    ]);
  });
});

describe('custom objects', () => {
  const path = '/rest/v1/customobjects/subscription_c.json';
  // Records link to a person Marketo must have (an unknown one is skipped with 1004): persons 1–7.
  beforeEach(async () => {
    const persons = await m.post('/rest/v1/leads.json', {
      action: 'createOnly',
      input: Array.from({ length: 7 }, (_, i) => ({ email: `subscriber${i + 1}@example.com` })),
    });
    expect(persons.result.map((r: { id: number }) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('lists and describes types', async () => {
    const list = await m.get('/rest/v1/customobjects.json');
    expect(list.result[0]).toMatchObject({
      name: 'subscription_c',
      idField: 'marketoGUID',
      dedupeFields: ['subscriptionId'],
      relationships: [{ field: 'leadId', type: 'parent', relatedTo: { name: 'Lead', field: 'id' } }],
    });
    const described = await m.get('/rest/v1/customobjects/subscription_c/describe.json');
    expect(described.result[0].fields).toContainEqual(
      expect.objectContaining({ name: 'marketoGUID', updateable: false }),
    );
    expect((await m.get('/rest/v1/customobjects/nope_c/describe.json')).errors[0].code).toBe('1013');
  });

  it('syncs with createOnly/updateOnly/createOrUpdate and dedupeBy, with per-record reasons', async () => {
    const created = await m.post(path, {
      action: 'createOrUpdate',
      input: [
        { subscriptionId: 'S-1', leadId: 1, productName: 'Sync Pro', amount: 99.5 },
        { subscriptionId: 'S-2', productName: 'Sync Lite' },
        { productName: 'no key' },
        { subscriptionId: 'S-3', colour: 'red' },
      ],
    });
    expect(created.result).toEqual([
      { seq: 0, marketoGUID: expect.any(String), status: 'created' },
      { seq: 1, marketoGUID: expect.any(String), status: 'created' },
      { seq: 2, status: 'skipped', reasons: [expect.objectContaining({ code: '1003' })] },
      { seq: 3, status: 'skipped', reasons: [{ code: '1006', message: "Field 'colour' not found" }] },
    ]);
    const guid = created.result[0].marketoGUID;
    const again = await m.post(path, { action: 'createOnly', input: [{ subscriptionId: 'S-1' }] });
    expect(again.result[0].reasons[0].code).toBe('1017');
    const byId = await m.post(path, {
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: [{ marketoGUID: guid, status: 'Active' }],
    });
    expect(byId.result).toEqual([{ seq: 0, marketoGUID: guid, status: 'updated' }]);
    const missing = await m.post(path, { action: 'updateOnly', input: [{ subscriptionId: 'S-9' }] });
    expect(missing.result[0].reasons[0].code).toBe('1013');
    const badDedupe = await m.post(path, {
      action: 'createOrUpdate',
      dedupeBy: 'idField',
      input: [{ marketoGUID: guid }],
    });
    expect(badDedupe.errors[0].code).toBe('1003');
  });

  it('queries by dedupe field, idField, searchable field and compound POST ?_method=GET; deletes', async () => {
    const created = await m.post(path, {
      input: [
        { subscriptionId: 'S-1', leadId: 7, status: 'Active' },
        { subscriptionId: 'S-2', leadId: 7 },
      ],
    });
    const guid = created.result[1].marketoGUID;
    const byKey = await m.get(path, {
      filterType: 'dedupeFields',
      filterValues: 'S-1',
      fields: 'subscriptionId,status',
    });
    expect(byKey.result).toEqual([{ seq: 0, subscriptionId: 'S-1', status: 'Active' }]);
    const byGuid = await m.get(path, { filterType: 'idField', filterValues: guid });
    expect(byGuid.result[0]).toMatchObject({ seq: 0, marketoGUID: guid, subscriptionId: 'S-2' });
    const byLead = await m.get(path, { filterType: 'leadId', filterValues: '7' });
    expect(byLead.result).toHaveLength(2);
    const compound = await m.raw(`${path}?_method=GET`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await m.token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        filterType: 'dedupeFields',
        fields: ['subscriptionId'],
        input: [{ subscriptionId: 'S-2' }],
      }),
    });
    expect((await compound.json()).result).toEqual([{ seq: 0, subscriptionId: 'S-2' }]);
    const removed = await m.post('/rest/v1/customobjects/subscription_c/delete.json', {
      deleteBy: 'dedupeFields',
      input: [{ subscriptionId: 'S-1' }, { subscriptionId: 'S-404' }],
    });
    expect(removed.result).toEqual([
      { seq: 0, marketoGUID: expect.any(String), status: 'deleted' },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
  });

  it('answers 1026 when custom objects are not enabled', async () => {
    m.emulator.control.setCustomObjectsEnabled(false);
    expect((await m.get('/rest/v1/customobjects.json')).errors[0].code).toBe('1026');
  });
});
