// Marketo's opportunities, opportunity roles, companies and sales persons over real HTTP, in the
// request forms Marketo documents (api-facts E2.1–E2.5): describe; sync with action and dedupeBy,
// 300 records at most, one result per input with seq and reasons; get by filterType (a GET, a POST
// `_method=GET` with a form body as marketo-rest-python sends it, and compound role keys in a JSON
// body); delete by dedupeFields or idField; and the 1018 "CRM Enabled" refusal (docs/objects.md).
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
  return (await m.post('/rest/v1/leads.json', { action: 'createOnly', input })).result.map(
    (r: { id: number }) => r.id,
  );
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

const opp = (n: number, extra: Record<string, unknown> = {}) => ({
  externalOpportunityId: `006000000000${String(n).padStart(3, '0')}AAA`,
  name: `Deal ${n}`,
  ...extra,
});

describe('opportunities', () => {
  it('describes the object with its keys and fields', async () => {
    const body = await m.get('/rest/v1/opportunities/describe.json');
    expect(body.result[0]).toMatchObject({
      name: 'opportunity',
      idField: 'marketoGUID',
      dedupeFields: ['externalOpportunityId'],
      searchableFields: [['externalOpportunityId'], ['marketoGUID']],
    });
    const fields = body.result[0].fields as { name: string; updateable: boolean }[];
    expect(fields.find((f) => f.name === 'externalOpportunityId')?.updateable).toBe(false);
    expect(fields.find((f) => f.name === 'stage')?.updateable).toBe(true);
  });

  it('creates, updates and reports each record by seq, with the documented skips', async () => {
    const created = await m.post('/rest/v1/opportunities.json', {
      input: [opp(1), opp(2, { amount: '1604.47' })],
    });
    expect(created.success).toBe(true);
    expect(created.result.map((r: Envelope) => [r.seq, r.status])).toEqual([
      [0, 'created'],
      [1, 'created'],
    ]);
    expect(created.result[0].marketoGUID).toMatch(/^[0-9a-f-]{36}$/);
    const again = await m.post('/rest/v1/opportunities.json', {
      action: 'createOrUpdate',
      dedupeBy: 'dedupeFields',
      input: [opp(1, { stage: 'Closed Won', isWon: true }), opp(3, { name: null }), opp(4), opp(4)],
    });
    expect(again.result[0]).toMatchObject({
      seq: 0,
      status: 'updated',
      marketoGUID: created.result[0].marketoGUID,
    });
    expect(again.result[1]).toEqual({
      seq: 1,
      status: 'skipped',
      reasons: [{ code: '1002', message: "Missing value for the required parameter 'name'" }],
    });
    expect(again.result[2].status).toBe('created');
    expect(again.result[3]).toMatchObject({ status: 'skipped', reasons: [{ code: '1036' }] });
    expect(again.result[3].marketoGUID).toBeUndefined();
    const only = await m.post('/rest/v1/opportunities.json', { action: 'createOnly', input: [opp(1)] });
    expect(only.result[0].reasons[0].code).toBe('1017');
    const update = await m.post('/rest/v1/opportunities.json', {
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: [{ marketoGUID: created.result[1].marketoGUID, stage: 'Prospecting' }, { marketoGUID: 'nope' }],
    });
    expect(update.result.map((r: Envelope) => r.status)).toEqual(['updated', 'skipped']);
    expect(update.result[1].reasons[0].code).toBe('1013');
    const bad = await m.post('/rest/v1/opportunities.json', {
      action: 'createOnly',
      dedupeBy: 'idField',
      input: [opp(9)],
    });
    expect(bad.errors[0].code).toBe('1003');
    const tooMany = await m.post('/rest/v1/opportunities.json', {
      input: Array.from({ length: 301 }, (_, i) => opp(i)),
    });
    expect(tooMany.errors[0].code).toBe('1003');
  });

  it('is read by filterType with fields, seq and paging, as a GET and as a form POST', async () => {
    await m.post('/rest/v1/opportunities.json', {
      input: [opp(1, { stage: 'Prospecting' }), opp(2, { stage: 'Closed Won' }), opp(3)],
    });
    const ids = [1, 2, 3].map((n) => opp(n).externalOpportunityId);
    const first = await m.get('/rest/v1/opportunities.json', {
      filterType: 'externalOpportunityId',
      filterValues: ids.join(','),
      fields: 'externalOpportunityId,name,stage',
      batchSize: 2,
    });
    expect(first.result).toEqual([
      { seq: 0, externalOpportunityId: ids[0], name: 'Deal 1', stage: 'Prospecting' },
      { seq: 1, externalOpportunityId: ids[1], name: 'Deal 2', stage: 'Closed Won' },
    ]);
    expect(first.moreResult).toBe(true);
    const second = await formGet(
      '/rest/v1/opportunities.json',
      {
        filterType: 'externalOpportunityId',
        filterValues: ids.join(','),
        fields: 'externalOpportunityId,name,stage',
        batchSize: '2',
      },
      `?_method=GET&nextPageToken=${encodeURIComponent(first.nextPageToken)}`,
    );
    // A field asked for but empty is left out (absent means null).
    expect(second.result).toEqual([{ seq: 2, externalOpportunityId: ids[2], name: 'Deal 3' }]);
    expect(second.moreResult).toBe(false);
    const none = await m.get('/rest/v1/opportunities.json', { filterType: 'marketoGUID', filterValues: 'x' });
    expect(none).toMatchObject({ success: true, result: [] });
    const wrong = await m.get('/rest/v1/opportunities.json', { filterType: 'stage', filterValues: 'x' });
    expect(wrong.errors[0].code).toBe('1003');
  });

  it('refuses an unknown sales person for the whole call (718) and deletes by key', async () => {
    const refused = await m.post('/rest/v1/opportunities.json', {
      input: [opp(1, { externalSalesPersonId: '005X' })],
    });
    expect(refused.errors).toEqual([{ code: '718', message: 'ExternalSalesPersonID not found' }]);
    await m.post('/rest/v1/salespersons.json', {
      input: [{ externalSalesPersonId: '005X', email: 'x@example.com' }],
    });
    const ok = await m.post('/rest/v1/opportunities.json', {
      input: [opp(1, { externalSalesPersonId: '005X' })],
    });
    expect(ok.result[0].status).toBe('created');
    const deleted = await m.post('/rest/v1/opportunities/delete.json', {
      input: [{ externalOpportunityId: opp(1).externalOpportunityId }, { externalOpportunityId: 'gone' }],
    });
    expect(deleted.result[0]).toMatchObject({
      seq: 0,
      status: 'deleted',
      marketoGUID: ok.result[0].marketoGUID,
    });
    expect(deleted.result[1]).toEqual({
      seq: 1,
      status: 'skipped',
      reasons: [{ code: '1013', message: 'Record not found' }],
    });
  });
});

describe('opportunity roles', () => {
  it('need their lead and opportunity, are keyed by (opportunity, lead, role) and read by compound key', async () => {
    const [a, b] = await leads(2);
    await m.post('/rest/v1/opportunities.json', { input: [opp(1)] });
    const key = opp(1).externalOpportunityId;
    const synced = await m.post('/rest/v1/opportunities/roles.json', {
      input: [
        { externalOpportunityId: key, leadId: a, role: 'Decision Maker', isPrimary: true },
        { externalOpportunityId: key, leadId: b, role: 'Evaluator' },
        { externalOpportunityId: key, leadId: 999, role: 'Evaluator' },
        { externalOpportunityId: 'missing', leadId: a, role: 'Evaluator' },
      ],
    });
    expect(synced.result.map((r: Envelope) => r.status)).toEqual([
      'created',
      'created',
      'skipped',
      'skipped',
    ]);
    expect(synced.result[2].reasons[0]).toEqual({ code: '1004', message: 'Lead not found' });
    expect(synced.result[3].reasons[0]).toEqual({ code: '1013', message: 'Opportunity not found' });
    // Compound keys: POST ?_method=GET with a JSON body, the paging token in the body.
    const res = await m.raw('/rest/v1/opportunities/roles.json?_method=GET', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await m.token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        filterType: 'dedupeFields',
        fields: ['marketoGUID', 'leadId', 'role', 'isPrimary'],
        input: [{ externalOpportunityId: key, leadId: b, role: 'Evaluator' }],
      }),
    });
    const found = (await res.json()) as Envelope;
    expect(found.result).toEqual([
      { seq: 0, marketoGUID: synced.result[1].marketoGUID, leadId: b, role: 'Evaluator' },
    ]);
    const byLead = await m.get('/rest/v1/opportunities/roles.json', {
      filterType: 'leadId',
      filterValues: String(a),
    });
    expect(byLead.result).toHaveLength(1);
    // An opportunity with roles cannot be deleted before them (the whitepaper's order: roles first).
    const refused = await m.post('/rest/v1/opportunities/delete.json', {
      input: [{ externalOpportunityId: key }],
    });
    expect(refused.result[0].reasons[0].code).toBe('1022');
    await m.post('/rest/v1/opportunities/roles/delete.json', {
      deleteBy: 'idField',
      input: synced.result.slice(0, 2).map((r: Envelope) => ({ marketoGUID: r.marketoGUID })),
    });
    const done = await m.post('/rest/v1/opportunities/delete.json', {
      input: [{ externalOpportunityId: key }],
    });
    expect(done.result[0].status).toBe('deleted');
  });

  it('follow their lead: a deleted lead takes its roles, a merge moves them to the winner', async () => {
    const [a, b, c] = await leads(3);
    await m.post('/rest/v1/opportunities.json', { input: [opp(1)] });
    const key = opp(1).externalOpportunityId;
    await m.post('/rest/v1/opportunities/roles.json', {
      input: [a, b].map((leadId) => ({ externalOpportunityId: key, leadId, role: 'Influencer' })),
    });
    m.emulator.control.deleteLead(a!);
    m.emulator.control.mergeLeads(c!, [b!]);
    expect(m.emulator.control.crmRecords('opportunityRole').map((r) => r.leadId)).toEqual([c]);
  });
});

describe('sales persons and companies', () => {
  it('have integer ids, search by email or name, and refuse deleting one in use (1022)', async () => {
    const persons = await m.post('/rest/v1/salespersons.json', {
      input: [
        { externalSalesPersonId: '005A', email: 'a@example.com', firstName: 'Ann' },
        { externalSalesPersonId: '005B', email: 'b@example.com' },
      ],
    });
    expect(persons.result.map((r: Envelope) => typeof r.id)).toEqual(['number', 'number']);
    const byEmail = await m.get('/rest/v1/salespersons.json', {
      filterType: 'email',
      filterValues: 'a@example.com',
      fields: 'firstName',
    });
    expect(byEmail.result).toEqual([{ seq: 0, firstName: 'Ann' }]);
    await m.post('/rest/v1/leads.json', {
      input: [{ email: 'p@example.com', externalSalesPersonId: '005A' }],
    });
    const company = await m.post('/rest/v1/companies.json', {
      input: [
        {
          externalCompanyId: '001A',
          company: 'Acme',
          accountType: 'Customer - Direct',
          externalSalesPersonId: '005B',
        },
      ],
    });
    expect(typeof company.result[0].id).toBe('number');
    const byName = await m.get('/rest/v1/companies.json', {
      filterType: 'company',
      filterValues: 'Acme',
      fields: 'accountType',
    });
    expect(byName.result).toEqual([{ seq: 0, accountType: 'Customer - Direct' }]);
    const removed = await m.post('/rest/v1/salespersons/delete.json', {
      input: [{ externalSalesPersonId: '005A' }, { externalSalesPersonId: '005B' }],
    });
    expect(removed.result.map((r: Envelope) => r.reasons?.[0]?.code)).toEqual(['1022', '1022']);
    const fields = await m.get('/rest/v1/companies/schema/fields.json', { batchSize: 3 });
    expect(fields.result).toHaveLength(3);
    expect(fields.moreResult).toBe(true);
  });
});

describe("Marketo's own CRM sync on", () => {
  it('refuses writes with 1018 per record, keeps reads, and offers no opportunity roles', async () => {
    await m.post('/rest/v1/opportunities.json', { input: [opp(1)] });
    m.emulator.control.setCrmSync(true);
    const write = await m.post('/rest/v1/opportunities.json', { input: [opp(1), opp(2)] });
    expect(write.success).toBe(true);
    expect(write.result).toEqual(
      [0, 1].map((seq) => ({ seq, status: 'skipped', reasons: [{ code: '1018', message: 'CRM Enabled' }] })),
    );
    const read = await m.get('/rest/v1/opportunities.json', {
      filterType: 'externalOpportunityId',
      filterValues: opp(1).externalOpportunityId,
    });
    expect(read.result).toHaveLength(1);
    const roles = await m.get('/rest/v1/opportunities/roles/describe.json');
    expect(roles).toMatchObject({ success: false, errors: [{ code: '1018', message: 'CRM Enabled' }] });
    m.emulator.control.setCrmSync(true, 'response');
    const whole = await m.post('/rest/v1/salespersons.json', { input: [{ externalSalesPersonId: '005A' }] });
    expect(whole).toMatchObject({ success: false, errors: [{ code: '1018' }] });
    m.emulator.control.setCrmSync(false);
    expect(
      (await m.post('/rest/v1/salespersons.json', { input: [{ externalSalesPersonId: '005A' }] })).result[0]
        .status,
    ).toBe('created');
  });
});

describe('custom objects linked to persons', () => {
  it('skip a record whose link names no person (1004)', async () => {
    const [a] = await leads(1);
    const synced = await m.post('/rest/v1/customobjects/eventRegistration_c.json', {
      input: [
        { registrationId: 'a0C1', leadId: a, eventName: 'Summit', attended: true },
        { registrationId: 'a0C2', leadId: 999 },
      ],
    });
    expect(synced.result[0].status).toBe('created');
    expect(synced.result[1]).toEqual({
      seq: 1,
      status: 'skipped',
      reasons: [{ code: '1004', message: 'Lead not found' }],
    });
  });
});
