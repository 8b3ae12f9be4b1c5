// Marketo programs over real HTTP, beyond emulator-marketo-assets.test.ts: Get Leads by Program with
// its `membership` object (plain GET, and `POST ?_method=GET` with a form body as marketo-rest-python
// sends it, also with `_method` inside the form body), Change Lead Program Status (existing
// members only, may move back), a lead's program memberships, removals logged as "Change Status in
// Progression" to "Not in Program", and the control hooks (api-facts B7, E2.6, E2.10).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

async function leads(n: number): Promise<number[]> {
  const input = Array.from({ length: n }, (_, i) => ({ email: `p${i}@example.com`, lastName: `P${i}` }));
  const synced = await m.post('/rest/v1/leads.json', { action: 'createOnly', input });
  return synced.result.map((r: { id: number }) => r.id);
}

async function formGet(path: string, form: Record<string, string>, query = '?_method=GET') {
  const res = await m.raw(`${path}${query}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await m.token()}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
  return (await res.json()) as Envelope;
}

describe('Get Leads by Program', () => {
  it('returns members with the membership object, paged, as GET and as POST _method=GET', async () => {
    const ids = await leads(5);
    await m.post('/rest/v1/programs/1000/members/status.json', {
      statusName: 'Attended',
      input: ids.slice(0, 3).map((leadId) => ({ leadId })),
    });
    const first = await m.get('/rest/v1/leads/programs/1000.json', { batchSize: 2 });
    expect(first.result).toHaveLength(2);
    expect(first.result[0]).toMatchObject({
      id: ids[0],
      email: 'p0@example.com',
      membership: {
        progressionStatus: 'Attended',
        progressionStatusType: 'Success',
        reachedSuccess: true,
        acquiredBy: false,
        membershipDate: '2026-03-02T15:00:00Z',
      },
    });
    expect(first.moreResult).toBe(true);
    // marketo-rest-python: _method=GET and nextPageToken in the URL, the rest in a form body.
    const second = await formGet(
      '/rest/v1/leads/programs/1000.json',
      { batchSize: '2' },
      `?_method=GET&nextPageToken=${encodeURIComponent(first.nextPageToken)}`,
    );
    expect(second.result.map((r: { id: number }) => r.id)).toEqual([ids[2]]);
    // _method inside the form body (marketo-rest-python's Get Leads by Filter Type form).
    const inBody = await formGet(
      '/rest/v1/leads/programs/1000.json',
      { _method: 'GET', fields: 'id,membership' },
      '',
    );
    expect(inBody.result).toHaveLength(3);
    expect(Object.keys(inBody.result[0]).sort()).toEqual(['id', 'membership']);
    const missing = await m.get('/rest/v1/leads/programs/9.json');
    expect(missing).toMatchObject({ success: false, errors: [{ code: '1013' }] });
  });
});

describe('Change Lead Program Status and memberships', () => {
  it('changes existing members only, may move one back, and lists a lead’s memberships', async () => {
    const [a, b] = await leads(2);
    await m.post('/rest/v1/programs/1000/members/status.json', {
      statusName: 'Attended',
      input: [{ leadId: a }],
    });
    const changed = await m.post('/rest/v1/leads/programs/1000/status.json', {
      status: 'Registered',
      input: [{ id: a }, { id: b }],
    });
    expect(changed.result).toEqual([
      { id: a, status: 'updated' },
      { id: b, status: 'skipped', reasons: [{ code: '1013', message: 'Membership not found' }] },
    ]);
    expect(m.emulator.control.setMemberStatus(1001, b!, 'Influenced')).toBe('created');
    const memberships = await m.get(`/rest/v1/leads/${b}/programMembership.json`);
    expect(memberships.result).toEqual([
      expect.objectContaining({ id: 1001, progressionStatus: 'Influenced', reachedSuccess: false }),
    ]);
    const unknown = await m.post('/rest/v1/leads/programs/1000/status.json', {
      status: 'Danced',
      input: [{ id: a }],
    });
    expect(unknown).toMatchObject({ success: false, errors: [{ code: '1025' }] });
  });

  it('logs every change, removals included, as Change Status in Progression (104)', async () => {
    const [a] = await leads(1);
    await m.post('/rest/v1/programs/1001/members/status.json', {
      statusName: 'Member',
      input: [{ leadId: a }],
    });
    expect(m.emulator.control.removeMember(1001, a!)).toBe(true);
    const token = await m.get('/rest/v1/activities/pagingtoken.json', {
      sinceDatetime: '2026-03-01T00:00:00Z',
    });
    const feed = await m.get('/rest/v1/activities.json', {
      nextPageToken: token.nextPageToken,
      activityTypeIds: 104,
    });
    const statuses = feed.result.map((r: { attributes: { name: string; value: unknown }[] }) =>
      Object.fromEntries(r.attributes.map((x) => [x.name, x.value])),
    );
    expect(statuses.map((s: Record<string, unknown>) => [s['Old Status'], s['New Status']])).toEqual([
      ['Not in Program', 'Member'],
      ['Member', 'Not in Program'],
    ]);
    expect(feed.result[0]).toMatchObject({ leadId: a, primaryAttributeValueId: 1001 });
  });

  it('links a program to a campaign, renames a status, deletes a program (control API)', async () => {
    m.emulator.control.linkProgram(1000, { sfdcId: '701000000000001AAA', sfdcName: 'Spring Webinar' });
    expect((await m.get('/rest/asset/v1/program/1000.json')).result[0]).toMatchObject({
      sfdcId: '701000000000001AAA',
      sfdcName: 'Spring Webinar',
    });
    m.emulator.control.renameProgressionStatus('Webinar', 'Attended', 'Joined');
    const channel = await m.get('/rest/asset/v1/channel/byName.json', { name: 'Webinar' });
    expect(channel.result[0].progressionStatuses.map((s: { name: string }) => s.name)).toContain('Joined');
    m.emulator.control.deleteProgram(1000);
    expect(
      (await m.get('/rest/v1/programs/1000/members.json', { filterType: 'leadId', filterValues: 1 })).errors,
    ).toEqual([expect.objectContaining({ code: '1013' })]);
  });
});
