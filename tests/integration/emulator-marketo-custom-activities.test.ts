// Marketo emulator over real HTTP: custom activity types (create as draft, attributes, approve,
// describe live and draft, list, update, discard, delete, the instance's type limit, unique names)
// and Add Custom Activities (300 per call, per-record `errors`, unknown leads, unapproved types,
// the primary attribute rule, typed attributes; rows then read back from /activities.json).
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

const TYPE = '/rest/v1/activities/external/type';
const callType = (apiName: string, n = '') => ({
  apiName,
  name: `Call Logged${n}`,
  triggerName: `Logs a Call${n}`,
  filterName: `Logged a Call${n}`,
  primaryAttribute: { apiName: 'subject', name: 'Subject', description: 'What the call was about' },
});

async function approvedType(apiName = 'callLogged') {
  const created = await m.post(`${TYPE}.json`, callType(apiName));
  expect(created.success, JSON.stringify(created)).toBe(true);
  await m.post(`${TYPE}/${apiName}/attributes/create.json`, {
    attributes: [
      { apiName: 'sfId', name: 'Salesforce Id', dataType: 'string' },
      { apiName: 'dueDate', name: 'Due Date', dataType: 'date' },
      { apiName: 'minutes', name: 'Minutes', dataType: 'integer' },
    ],
  });
  const approved = await m.post(`${TYPE}/${apiName}/approve.json`, {});
  expect(approved.result[0].status).toBe('approved');
  return approved.result[0].id as number;
}

describe('custom activity types', () => {
  it('creates a draft, adds attributes, approves it, and lists and describes it', async () => {
    const created = await m.post(`${TYPE}.json`, callType('callLogged'));
    expect(created.success).toBe(true);
    expect(created.result[0]).toMatchObject({
      apiName: 'callLogged',
      status: 'draft',
      primaryAttribute: { apiName: 'subject', dataType: 'string' },
    });
    expect(created.result[0].id).toBeGreaterThanOrEqual(100000);
    const attrs = await m.post(`${TYPE}/callLogged/attributes/create.json`, {
      attributes: [{ apiName: 'sfId', name: 'Salesforce Id', dataType: 'string' }],
    });
    expect(attrs.result[0].attributes).toHaveLength(1);
    // Not approved: the live describe shows the draft (there is nothing else), types.json omits it.
    const standard = await m.get('/rest/v1/activities/types.json');
    expect(standard.result.some((t: { id: number }) => t.id === created.result[0].id)).toBe(false);
    const approved = await m.post(`${TYPE}/callLogged/approve.json`, {});
    expect(approved.result[0].status).toBe('approved');
    const list = await m.get('/rest/v1/activities/external/types.json');
    expect(list.result).toEqual([expect.objectContaining({ apiName: 'callLogged', status: 'approved' })]);
    expect(list.result[0].attributes).toBeUndefined();
    const described = await m.get(`${TYPE}/callLogged/describe.json`);
    expect(described.result[0].attributes.map((a: { apiName: string }) => a.apiName)).toEqual(['sfId']);
    const all = await m.get('/rest/v1/activities/types.json');
    expect(all.result.find((t: { id: number }) => t.id === created.result[0].id)).toMatchObject({
      name: 'Call Logged',
      primaryAttribute: { name: 'Subject', dataType: 'string' },
    });
  });

  it('edits an approved type as a draft: approved with draft, discard, approve again', async () => {
    await approvedType();
    const edited = await m.post(`${TYPE}/callLogged/attributes/create.json`, {
      attributes: [{ apiName: 'outcome', name: 'Outcome', dataType: 'string' }],
    });
    expect(edited.result[0].status).toBe('approved with draft');
    const live = await m.get(`${TYPE}/callLogged/describe.json`);
    expect(live.result[0].attributes).toHaveLength(3);
    const draft = await m.get(`${TYPE}/callLogged/describe.json`, { draft: 'true' });
    expect(draft.result[0].attributes).toHaveLength(4);
    const discarded = await m.post(`${TYPE}/callLogged/discardDraft.json`, {});
    expect(discarded.result[0].status).toBe('approved');
    const renamed = await m.post(`${TYPE}/callLogged.json`, { description: 'Calls from the CRM' });
    expect(renamed.result[0]).toMatchObject({
      status: 'approved with draft',
      description: 'Calls from the CRM',
    });
    expect((await m.post(`${TYPE}/callLogged/approve.json`, {})).result[0].status).toBe('approved');
    expect((await m.post(`${TYPE}/callLogged/approve.json`, {})).errors[0].code).toBe('1003');
  });

  it('refuses missing and invalid parameters, a taken apiName or name, and unknown types', async () => {
    expect((await m.post(`${TYPE}.json`, { ...callType('x'), triggerName: undefined })).errors[0]).toEqual({
      code: '701',
      message: 'triggerName cannot be blank',
    });
    expect((await m.post(`${TYPE}.json`, callType('bad-name'))).errors[0].code).toBe('1003');
    await approvedType();
    const again = await m.post(`${TYPE}.json`, callType('callLogged', ' 2'));
    expect(again.errors[0]).toMatchObject({ code: '1017' });
    const sameName = await m.post(`${TYPE}.json`, { ...callType('other'), name: 'Call Logged' });
    expect(sameName.errors[0]).toMatchObject({ code: '1017', message: expect.stringContaining('name') });
    expect((await m.get(`${TYPE}/nope/describe.json`)).errors[0].code).toBe('1013');
    const badType = await m.post(`${TYPE}/callLogged/attributes/create.json`, {
      attributes: [{ apiName: 'x', name: 'X', dataType: 'picklist' }],
    });
    expect(badType.errors[0].code).toBe('1003');
  });

  it('holds at most the instance limit of types (10), and 20 secondary attributes per type', async () => {
    for (let i = 0; i < 10; i++)
      expect((await m.post(`${TYPE}.json`, callType(`t${i}`, ` ${i}`))).success).toBe(true);
    const eleventh = await m.post(`${TYPE}.json`, callType('t10', ' 10'));
    expect(eleventh.success).toBe(false);
    expect(eleventh.errors[0]).toMatchObject({ code: '1003', message: expect.stringContaining('limit') });
    expect((await m.post(`${TYPE}/t9/delete.json`, {})).success).toBe(true);
    expect((await m.post(`${TYPE}.json`, callType('t10', ' 10'))).success).toBe(true);
    const attributes = Array.from({ length: 21 }, (_, i) => ({
      apiName: `a${i}`,
      name: `A ${i}`,
      dataType: 'string',
    }));
    const tooMany = await m.post(`${TYPE}/t0/attributes/create.json`, { attributes });
    expect(tooMany.errors[0]).toMatchObject({ code: '1003', message: expect.stringContaining('20') });
  });
});

describe('add custom activities', () => {
  it('adds activities in input order with per-record errors, then lists them under the type', async () => {
    for (const email of ['a@x.example', 'b@x.example']) m.emulator.control.createLead({ email });
    const typeId = await approvedType();
    const lead = [...m.emulator.store.leads.byId.keys()][0]!;
    const ok = {
      leadId: lead,
      activityDate: '2026-03-01T10:00:00Z',
      activityTypeId: typeId,
      primaryAttributeValue: 'Intro call',
      attributes: [
        { apiName: 'sfId', value: '00T000000000001AAA' },
        { name: 'Due Date', value: '2026-03-04' },
        { apiName: 'minutes', value: 15 },
      ],
    };
    const added = await m.post('/rest/v1/activities/external.json', {
      input: [
        ok,
        { ...ok, leadId: 999999 },
        { ...ok, primaryAttributeValue: undefined },
        { ...ok, attributes: [{ apiName: 'minutes', value: 'ten' }] },
        { ...ok, attributes: [{ apiName: 'nope', value: 1 }] },
        { ...ok, activityTypeId: 2 },
        { ...ok, attributes: undefined },
      ],
    });
    expect(added.success).toBe(true);
    expect(added.result[0]).toEqual({
      id: expect.any(Number),
      marketoGUID: expect.any(String),
      status: 'added',
    });
    expect(added.result.slice(1).map((r: { errors: { code: string }[] }) => r.errors[0]!.code)).toEqual([
      '1004',
      '1002',
      '1001',
      '1006',
      '1013',
      '1002',
    ]);
    expect(added.result[1]).not.toHaveProperty('reasons');
    const token = (
      await m.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: '2026-03-01T00:00:00Z' })
    ).nextPageToken;
    const feed = await m.get('/rest/v1/activities.json', { activityTypeIds: typeId, nextPageToken: token });
    expect(feed.result).toEqual([
      expect.objectContaining({
        leadId: lead,
        activityTypeId: typeId,
        activityDate: '2026-03-01T10:00:00Z',
        primaryAttributeValue: 'Intro call',
        attributes: [
          { name: 'Salesforce Id', value: '00T000000000001AAA' },
          { name: 'Due Date', value: '2026-03-04' },
          { name: 'Minutes', value: 15 },
        ],
      }),
    ]);
  });

  it('takes activities only of an approved type: a draft alone answers 1013 per record', async () => {
    m.emulator.control.createLead({ email: 'a@x.example' });
    const created = await m.post(`${TYPE}.json`, callType('draftOnly'));
    const lead = [...m.emulator.store.leads.byId.keys()][0]!;
    const added = await m.post('/rest/v1/activities/external.json', {
      input: [
        {
          leadId: lead,
          activityDate: '2026-03-01T10:00:00Z',
          activityTypeId: created.result[0].id,
          primaryAttributeValue: 'x',
          attributes: [],
        },
      ],
    });
    expect(added.result[0]).toMatchObject({ status: 'skipped', errors: [{ code: '1013' }] });
  });

  it('refuses more than 300 activities, or none, for the whole call', async () => {
    const typeId = await approvedType();
    const one = {
      leadId: 1,
      activityDate: '2026-03-01T10:00:00Z',
      activityTypeId: typeId,
      primaryAttributeValue: 'x',
      attributes: [],
    };
    const tooMany = await m.post('/rest/v1/activities/external.json', { input: Array(301).fill(one) });
    expect(tooMany).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    expect((await m.post('/rest/v1/activities/external.json', { input: [] })).errors[0].code).toBe('701');
    const get = await m.get('/rest/v1/activities/external.json');
    expect(get.errors[0].code).toBe('605');
  });
});
