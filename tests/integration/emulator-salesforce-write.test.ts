// Writes: single sObject rows, sObject Collections (create/update/upsert/delete/retrieve, the
// 200 cap, ordered per-record results, allOrNone) and /composite — with every per-record error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { sfClient } from '../../emulator/testing';

type Item = {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
};
type ErrorBody = { message: string; errorCode: string; fields?: string[] }[];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
});
beforeEach(() => {
  emu.control.reset();
});
afterAll(() => emu.stop());

const lead = (fields: Record<string, unknown> = {}) => ({
  attributes: { type: 'Lead' },
  LastName: 'Doe',
  Company: 'Acme',
  ...fields,
});

describe('sObject rows', () => {
  it('creates, reads, updates and deletes one record', async () => {
    const sf = sfClient(emu.info);
    const created = await sf.request<{ id: string; success: boolean; errors: unknown[] }>(
      'POST',
      'sobjects/Lead',
      { LastName: 'Row', Company: 'Acme', State: 'California' },
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^00Q[A-Za-z0-9]{15}$/),
      success: true,
      errors: [],
    });
    const id = created.body.id;
    const read = await sf.get<Record<string, unknown>>(
      `sobjects/Lead/${id.slice(0, 15)}?fields=Name,State,Email_Domain__c`,
    );
    expect(read.body).toEqual({
      attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${id}` },
      Name: 'Row',
      State: 'California',
      Email_Domain__c: null,
    });
    const before = emu.control.sfGet({ id })!.SystemModstamp as string;
    emu.control.advanceTime({ ms: 2000 });
    expect((await sf.request('PATCH', `sobjects/Lead/${id}`, { Title: 'CTO' })).status).toBe(204);
    const after = emu.control.sfGet({ id })!;
    expect(after.Title).toBe('CTO');
    expect(after.SystemModstamp).not.toBe(before);
    expect(after.LastModifiedDate).toBe(after.SystemModstamp);
    expect((await sf.request('DELETE', `sobjects/Lead/${id}`)).status).toBe(204);
    const gone = await sf.get<ErrorBody>(`sobjects/Lead/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body[0]!.errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('trims text like Salesforce on save (up to U+0020, not a non-breaking space); empty text is null', async () => {
    const sf = sfClient(emu.info);
    const created = await sf.request<{ id: string }>('POST', 'sobjects/Lead', {
      LastName: ' Row\t',
      Company: 'Acme',
      Title: '\u00a0CTO ',
      City: '   ',
    });
    const row = emu.control.sfGet({ id: created.body.id })!;
    expect(row.LastName).toBe('Row');
    expect(row.Title).toBe('\u00a0CTO');
    expect(row.City).toBeNull();
    emu.control.sfUpdate({ id: created.body.id, fields: { Title: ' VP  Sales ' } });
    expect(emu.control.sfGet({ id: created.body.id })!.Title).toBe('VP  Sales');
  });

  it('applies validation rules to API writes until an admin deactivates the rule', async () => {
    const sf = sfClient(emu.info);
    const refused = await sf.request<ErrorBody>('POST', 'sobjects/Lead', lead({ State: 'CA' }));
    expect(refused.status).toBe(400);
    expect(refused.body[0]).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['State'],
    });
    emu.control.setValidationRule({ object: 'Lead', rule: 'Full_State_Name_State', active: false });
    expect((await sf.request('POST', 'sobjects/Lead', lead({ State: 'CA' }))).status).toBe(201);
    emu.control.setValidationRule({ object: 'Lead', rule: 'Full_State_Name_State', active: true });
    expect((await sf.request('POST', 'sobjects/Lead', lead({ State: 'CA' }))).status).toBe(400);
    expect(() => emu.control.setValidationRule({ object: 'Lead', rule: 'Nope', active: false })).toThrow(
      /Unknown validation rule/,
    );
  });

  it('upserts by external id: 201 created, then 200 updated', async () => {
    const sf = sfClient(emu.info);
    const first = await sf.request<Item>('PATCH', 'sobjects/Lead/External_Id__c/EXT-1', {
      LastName: 'Up',
      Company: 'Acme',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ success: true, created: true });
    const second = await sf.request<Item>('PATCH', 'sobjects/Lead/External_Id__c/ext-1', { Title: 'VP' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, created: false });
  });

  it('returns the real error shapes for bad ids, unknown fields, bad JSON and bad values', async () => {
    const sf = sfClient(emu.info);
    const malformed = await sf.get<ErrorBody>('sobjects/Lead/00Q5e0000000001ZZZ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual([
      {
        message: 'Lead ID: id value of incorrect type: 00Q5e0000000001ZZZ',
        errorCode: 'MALFORMED_ID',
        fields: ['Id'],
      },
    ]);
    expect((await sf.get<ErrorBody>('sobjects/Lead/00Q5e0000000999')).status).toBe(404);
    const unknownField = await sf.request<ErrorBody>('POST', 'sobjects/Lead', {
      LastName: 'x',
      Company: 'y',
      Foo__c: 1,
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body[0]).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Foo__c' on sobject of type Lead",
    });
    const badJson = await sf.request<ErrorBody>('POST', 'sobjects/Lead', '{"LastName":');
    expect(badJson.status).toBe(400);
    expect(badJson.body[0]!.errorCode).toBe('JSON_PARSER_ERROR');
    const required = await sf.request<ErrorBody>('POST', 'sobjects/Lead', { Company: 'y' });
    expect(required.body).toEqual([
      {
        message: 'Required fields are missing: [LastName]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['LastName'],
      },
    ]);
    const validation = await sf.request<ErrorBody>('POST', 'sobjects/Lead', {
      LastName: 'x',
      Company: 'y',
      State: 'CA',
    });
    expect(validation.status).toBe(400);
    expect(validation.body[0]).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['State'],
    });
    const notAllowed = await sf.request<ErrorBody>('PUT', 'sobjects/Lead/00Q5e0000000001EAA', {});
    expect(notAllowed.status).toBe(405);
  });
});

describe('sObject Collections', () => {
  it('creates in order and reports failures per record with statusCode and no id', async () => {
    const res = await sfClient(emu.info).request<Item[]>('POST', 'composite/sobjects', {
      allOrNone: false,
      records: [
        lead({ LastName: 'A' }),
        lead({ State: 'NY' }),
        lead({ Email: 'not-an-email' }),
        { attributes: { type: 'Contact' }, LastName: 'C' },
      ],
    });
    expect(res.status).toBe(200);
    const [a, b, c, d] = res.body;
    expect(a).toEqual({ id: expect.stringMatching(/^00Q/), success: true, errors: [] });
    expect(b).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: expect.stringContaining('full state name'),
          fields: ['State'],
        },
      ],
    });
    expect(c!.errors[0]).toMatchObject({ statusCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] });
    expect(d!.id).toMatch(/^003/);
  });

  it('rolls everything back with allOrNone', async () => {
    const res = await sfClient(emu.info).request<Item[]>('POST', 'composite/sobjects', {
      allOrNone: true,
      records: [lead({ LastName: 'ok' }), lead({ State: 'CA' })],
    });
    expect(res.body[0]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message:
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(res.body[1]!.errors[0]!.statusCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(emu.control.snapshot().salesforce.Lead).toBeUndefined();
  });

  it('updates with per-record errors: read-only, formula, converted, deleted, malformed, restricted picklist, duplicate', async () => {
    const ids = [1, 2, 3, 4, 5].map(
      (n) =>
        emu.control.sfCreate({
          object: 'Lead',
          fields: { LastName: `L${n}`, Company: 'Acme', External_Id__c: `E${n}` },
        }).id,
    );
    emu.control.convertLead({ leadId: ids[2]! });
    emu.control.sfDelete({ id: ids[3]! });
    const res = await sfClient(emu.info).request<Item[]>('PATCH', 'composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Lead' }, id: ids[0], Territory__c: 'EMEA', Email_Domain__c: 'x' },
        { attributes: { type: 'Lead' }, id: ids[1], Title: 'Fine', Do_Not_Sync_to_Marketo__c: true },
        { attributes: { type: 'Lead' }, id: ids[2], Title: 'Nope' },
        { attributes: { type: 'Lead' }, id: ids[3], Title: 'Nope' },
        { attributes: { type: 'Lead' }, id: '00Qbad', Title: 'Nope' },
        { attributes: { type: 'Lead' }, id: ids[4], Product_Interest__c: 'Gardening' },
        { attributes: { type: 'Lead' }, id: ids[4], External_Id__c: 'E1' },
      ],
    });
    const codes = res.body.map((r) => (r.success ? 'OK' : r.errors[0]!.statusCode));
    expect(codes).toEqual([
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'OK',
      'CANNOT_UPDATE_CONVERTED_LEAD',
      'ENTITY_IS_DELETED',
      'MALFORMED_ID',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'DUPLICATE_VALUE',
    ]);
    expect(res.body[0]!.errors[0]!.fields).toEqual(['Territory__c', 'Email_Domain__c']);
    expect(res.body[2]!.errors[0]!.message).toBe('cannot reference converted lead');
    expect(res.body[1]).toEqual({ id: ids[1], success: true, errors: [] });
  });

  it('keeps ids on rolled-back updates, upserts by external id and deletes', async () => {
    const sf = sfClient(emu.info);
    const up = await sf.request<Item[]>('PATCH', 'composite/sobjects/Lead/External_Id__c', {
      allOrNone: false,
      records: [
        lead({ External_Id__c: 'U1' }),
        lead({ External_Id__c: 'U2' }),
        lead({ External_Id__c: 'U1', Title: 'again' }),
      ],
    });
    expect(up.body.map((r) => r.created)).toEqual([true, true, false]);
    expect(up.body[2]!.id).toBe(up.body[0]!.id);
    const rolled = await sf.request<Item[]>('PATCH', 'composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Lead' }, id: up.body[0]!.id, Title: 'x' },
        { attributes: { type: 'Lead' }, id: up.body[1]!.id, State: 'TX' },
      ],
    });
    expect(rolled.body[0]).toMatchObject({
      id: up.body[0]!.id,
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
    });
    expect(emu.control.sfGet({ id: up.body[0]!.id! })!.Title).toBe('again');
    const del = await sf.request<Item[]>(
      'DELETE',
      `composite/sobjects?ids=${up.body[0]!.id},${up.body[1]!.id},001bad&allOrNone=false`,
    );
    expect(del.body.map((r) => r.success)).toEqual([true, true, false]);
    expect(del.body[2]!.errors[0]).toEqual({
      statusCode: 'MALFORMED_ID',
      message: 'malformed id 001bad',
      fields: [],
    });
  });

  it('retrieves by ids with null slots', async () => {
    const { id } = emu.control.sfCreate({ object: 'Lead', fields: { LastName: 'R', Company: 'Acme' } });
    const res = await sfClient(emu.info).get<(Record<string, unknown> | null)[]>(
      `composite/sobjects/Lead?ids=${id},00Q5e00000009zzEAA&fields=Id,LastName`,
    );
    expect(res.body).toEqual([
      {
        attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${id}` },
        Id: id,
        LastName: 'R',
      },
      null,
    ]);
    const post = await sfClient(emu.info).request<unknown[]>('POST', 'composite/sobjects/Lead', {
      ids: [id],
      fields: ['Name'],
    });
    expect(post.body).toHaveLength(1);
  });

  it('refuses more than 200 records with a 400', async () => {
    const records = Array.from({ length: 201 }, (_, i) => lead({ LastName: `N${i}` }));
    const res = await sfClient(emu.info).request<ErrorBody>('POST', 'composite/sobjects', { records });
    expect(res.status).toBe(400);
    expect(res.body[0]!.errorCode).toBe('EXCEEDED_ID_LIMIT');
    const ok = await sfClient(emu.info).request<Item[]>('POST', 'composite/sobjects', {
      records: records.slice(0, 200),
    });
    expect(ok.body.filter((r) => r.success)).toHaveLength(200);
  });
});

describe('composite', () => {
  it('runs subrequests with references, counted as one API call', async () => {
    const sf = sfClient(emu.info);
    const before = emu.salesforce.usage.used();
    const res = await sf.request<{
      compositeResponse: {
        httpStatusCode: number;
        referenceId: string;
        body: unknown;
        httpHeaders: Record<string, string>;
      }[];
    }>('POST', 'composite', {
      allOrNone: false,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'acct',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'ct',
          body: { LastName: 'Ref', AccountId: '@{acct.id}' },
        },
        {
          method: 'GET',
          url: '/services/data/v62.0/query?q=SELECT+Account.Name+FROM+Contact',
          referenceId: 'q',
        },
      ],
    });
    expect(emu.salesforce.usage.used() - before).toBe(1);
    const [acct, ct, q] = res.body.compositeResponse;
    expect(acct).toMatchObject({ httpStatusCode: 201, referenceId: 'acct' });
    expect(acct!.httpHeaders.Location).toMatch(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/);
    expect(ct!.httpStatusCode).toBe(201);
    expect(q!.body).toMatchObject({ totalSize: 1, records: [{ Account: { Name: 'Composite Co' } }] });
  });

  it('halts and rolls back with allOrNone, and caps subrequests at 25', async () => {
    const sf = sfClient(emu.info);
    const res = await sf.request<{ compositeResponse: { httpStatusCode: number; body: ErrorBody }[] }>(
      'POST',
      'composite',
      {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Account',
            referenceId: 'a',
            body: { Name: 'Rolled back' },
          },
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Lead',
            referenceId: 'b',
            body: { LastName: 'x', Company: 'y', State: 'CA' },
          },
          { method: 'GET', url: '/services/data/v62.0/limits', referenceId: 'c' },
        ],
      },
    );
    const [a, b, c] = res.body.compositeResponse;
    expect(a!.body[0]!.errorCode).toBe('PROCESSING_HALTED');
    expect(b!.body[0]!.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(c).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
    expect(emu.control.snapshot().salesforce.Account).toBeUndefined();
    const tooMany = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: '/services/data/v62.0/limits',
      referenceId: `r${i}`,
    }));
    expect((await sf.request('POST', 'composite', { compositeRequest: tooMany })).status).toBe(400);
  });
});
