// SOQL over /query and /queryAll: paging with Sforce-Query-Options batchSize and nextRecordsUrl,
// relationships, COUNT(), filters, +0000 datetimes, FLS, and the real error shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { sfClient } from '../../emulator/testing';

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}
type ErrorBody = { message: string; errorCode: string }[];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'large', size: 4500 });
});
afterAll(() => emu.stop());

describe('paging', () => {
  it('pages a full object with batchSize via nextRecordsUrl locators; every page carries the limit header', async () => {
    const sf = sfClient(emu.info);
    let page = await sf.query<Page>('SELECT Id, LastName, SystemModstamp FROM Lead', {
      headers: { 'Sforce-Query-Options': 'batchSize=1000' },
    });
    const ids = new Set<string>();
    let pages = 0;
    for (;;) {
      pages++;
      expect(page.status).toBe(200);
      expect(page.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
      expect(page.body.totalSize).toBe(4500);
      for (const r of page.body.records) ids.add(r.Id as string);
      if (page.body.done) {
        expect(page.body.nextRecordsUrl).toBeUndefined();
        break;
      }
      expect(page.body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-\d+$/);
      page = await sf.get<Page>(page.body.nextRecordsUrl!);
    }
    expect(pages).toBe(5);
    expect(ids.size).toBe(4500);
  });

  it('clamps batchSize to [200, 2000] and defaults to 2000', async () => {
    const sf = sfClient(emu.info);
    expect((await sf.query<Page>('SELECT Id FROM Lead')).body.records).toHaveLength(2000);
    expect(
      (await sf.query<Page>('SELECT Id FROM Lead', { headers: { 'Sforce-Query-Options': 'batchSize=5' } }))
        .body.records,
    ).toHaveLength(200);
    expect(
      (await sf.query<Page>('SELECT Id FROM Lead', { headers: { 'Sforce-Query-Options': 'batchSize=9000' } }))
        .body.records,
    ).toHaveLength(2000);
  });

  it('rejects an unknown query locator with INVALID_QUERY_LOCATOR', async () => {
    const res = await sfClient(emu.info).get<ErrorBody>('query/01g5e0000000zzzAAA-2000');
    expect(res.status).toBe(400);
    expect(res.body[0]!.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });
});

describe('records', () => {
  it('nests parent relationships (null when empty) and formats datetimes with +0000', async () => {
    const lead = emu.control.sfCreate({
      object: 'Lead',
      fields: { LastName: 'Nest', Company: 'Acme', Email: 'n@acme.example' },
    });
    const res = await sfClient(emu.info).query<Page>(
      `SELECT Id, Name, Owner.Name, Owner.Profile.Name, ConvertedAccount.Name, Email_Domain__c, CreatedDate FROM Lead WHERE Id = '${lead.id.slice(0, 15)}'`,
    );
    const record = res.body.records[0]!;
    expect(record).toMatchObject({
      attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${lead.id}` },
      Id: lead.id,
      Name: 'Nest',
      Owner: {
        attributes: { type: 'User' },
        Name: 'Sam Seller',
        Profile: { attributes: { type: 'Profile' }, Name: 'Standard User' },
      },
      ConvertedAccount: null,
      Email_Domain__c: 'acme.example',
    });
    expect(record.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    expect(Object.keys(record)).toEqual([
      'attributes',
      'Id',
      'Name',
      'Owner',
      'ConvertedAccount',
      'Email_Domain__c',
      'CreatedDate',
    ]);
  });

  it('reads the connected user time zone and admin permission with SOQL on User', async () => {
    const id = emu.salesforce.principals.adminUserId;
    const res = await sfClient(emu.info).query<Page>(
      `SELECT TimeZoneSidKey, Profile.PermissionsModifyAllData FROM User WHERE Id = '${id}'`,
    );
    expect(res.body.records[0]).toMatchObject({
      TimeZoneSidKey: 'Europe/Amsterdam',
      Profile: { PermissionsModifyAllData: true },
    });
    const { sid } = emu.control.sfCreateSession({ user: 'standard' });
    const psa = await sfClient(emu.info, sid).query<Page>(
      `SELECT PermissionSet.PermissionsModifyAllData FROM PermissionSetAssignment WHERE AssigneeId = '${emu.salesforce.principals.standardUserId}'`,
    );
    expect(
      psa.body.records.map((r) => (r.PermissionSet as Record<string, unknown>).PermissionsModifyAllData),
    ).toEqual([false]);
  });

  it('reads LIKE escapes as Salesforce does: \\\\ is a backslash, \\% a percent sign, % a wildcard', async () => {
    const sf = sfClient(emu.info);
    const slash = emu.control.sfCreate({
      object: 'Lead',
      fields: { LastName: 'Zz\\Slash', Company: 'Esc' },
    }).id;
    const percent = emu.control.sfCreate({
      object: 'Lead',
      fields: { LastName: 'Zz%Percent', Company: 'Esc' },
    }).id;
    const ids = async (pattern: string) =>
      (await sf.query<Page>(`SELECT Id FROM Lead WHERE LastName LIKE '${pattern}'`)).body.records.map(
        (r) => r.Id,
      );
    // SOQL text Zz\\% : a literal backslash, then the wildcard.
    expect(await ids('Zz\\\\%')).toEqual([slash]);
    // SOQL text Zz\%% : a literal percent sign, then the wildcard.
    expect(await ids('Zz\\%%')).toEqual([percent]);
    expect((await ids('Zz%')).sort()).toEqual([slash, percent].sort());
    for (const id of [slash, percent]) emu.control.sfPurge({ id });
  });

  it('supports COUNT(), COUNT(field) aggregates, filters, ORDER BY, LIMIT and OFFSET', async () => {
    const sf = sfClient(emu.info);
    const count = await sf.query<Page>(
      "SELECT COUNT() FROM Lead WHERE LastName LIKE 'S%' AND (mkto71_Lead_Score__c >= 50 OR mkto71_Lead_Score__c = null)",
    );
    expect(count.body.records).toEqual([]);
    const expected = emu.control
      .snapshot()
      .salesforce.Lead!.filter(
        (l) =>
          String(l.LastName).toLowerCase().startsWith('s') &&
          (l.mkto71_Lead_Score__c === null || (l.mkto71_Lead_Score__c as number) >= 50),
      ).length;
    expect(count.body.totalSize).toBe(expected);
    const agg = await sf.query<Page>('SELECT COUNT(Id) total FROM Lead');
    expect(agg.body.records).toEqual([{ attributes: { type: 'AggregateResult' }, total: 4501 }]);
    const top = await sf.query<Page>(
      'SELECT Id, mkto71_Lead_Score__c FROM Lead WHERE mkto71_Lead_Score__c != null ORDER BY mkto71_Lead_Score__c DESC, Id ASC LIMIT 3 OFFSET 1',
    );
    const scores = top.body.records.map((r) => r.mkto71_Lead_Score__c as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(top.body.totalSize).toBe(3);
    const inList = await sf.query<Page>(
      "SELECT Id FROM Lead WHERE Product_Interest__c IN ('Analytics', 'support') AND NOT Status = 'Closed - Converted'",
    );
    expect(inList.body.totalSize).toBeGreaterThan(0);
    const since = await sf.query<Page>(
      'SELECT Id FROM Lead WHERE SystemModstamp > 2020-01-01T00:00:00Z AND CreatedDate < TOMORROW',
    );
    expect(since.body.totalSize).toBe(4501);
  });

  it('hides soft-deleted rows from query and shows them in queryAll with IsDeleted', async () => {
    const { id } = emu.control.sfCreate({ object: 'Lead', fields: { LastName: 'Gone', Company: 'X' } });
    emu.control.sfDelete({ id });
    const soql = `SELECT Id, IsDeleted FROM Lead WHERE Id = '${id}'`;
    expect((await sfClient(emu.info).query<Page>(soql)).body.totalSize).toBe(0);
    const all = await sfClient(emu.info).query<Page>(soql, { all: true });
    expect(all.body.records[0]).toMatchObject({ Id: id, IsDeleted: true });
  });
});

describe('errors', () => {
  const cases: [string, string, RegExp][] = [
    [
      'SELECT Id FRM Lead',
      'MALFORMED_QUERY',
      /^\nSELECT Id FRM Lead\n {10}\^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'$/,
    ],
    [
      'SELECT Id FROM Lead WHERE A__c = 1 AND LastName = null',
      'INVALID_FIELD',
      /No such column 'A__c' on entity 'Lead'/,
    ],
    [
      "SELECT Id FROM Lead WHERE LastName = 'a' AND Company = 'b' OR Email = 'c'",
      'MALFORMED_QUERY',
      /unexpected token: 'OR'/,
    ],
    [
      'SELECT Id, Foo FROM Lead',
      'INVALID_FIELD',
      /ERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Lead'\. If you are attempting to use a custom field, be sure to append the '__c'/,
    ],
    ['SELECT Id FROM Widget__c', 'INVALID_TYPE', /sObject type 'Widget__c' is not supported\./],
    [
      'SELECT Id, Bogus.Name FROM Lead',
      'INVALID_FIELD',
      /Didn't understand relationship 'Bogus' in field path/,
    ],
    [
      'SELECT Id FROM Lead WHERE CreatedDate > 2024-01-01',
      'INVALID_FIELD',
      /must be of type dateTime and should not be enclosed in quotes/,
    ],
    ["SELECT Id FROM Lead WHERE IsConverted = 'true'", 'INVALID_FIELD', /must be of type boolean/],
    ['SELECT Id FROM Lead OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE', /Maximum SOQL offset allowed is 2000/],
    ["SELECT Id FROM Lead WHERE Id = 'abc'", 'INVALID_QUERY_FILTER_OPERATOR', /invalid ID field: abc/],
    ["SELECT Id FROM Lead WHERE LastName = 'unterminated", 'MALFORMED_QUERY', /unexpected token/],
  ];
  it.each(cases)('%s → %s', async (soql, code, message) => {
    const res = await sfClient(emu.info).query<ErrorBody>(soql);
    expect(res.status).toBe(400);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]!.errorCode).toBe(code);
    expect(res.body[0]!.message).toMatch(message);
    expect(Object.keys(res.body[0]!).sort()).toEqual(['errorCode', 'message']);
  });

  it('treats a field hidden by field-level security as a missing column', async () => {
    const res = await sfClient(emu.info).query<ErrorBody>('SELECT Id, Internal_Notes__c FROM Lead');
    expect(res.status).toBe(400);
    expect(res.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect(res.body[0]!.message).toContain("No such column 'Internal_Notes__c' on entity 'Lead'");
  });

  it('requires q', async () => {
    const res = await sfClient(emu.info).get<ErrorBody>('query');
    expect(res.status).toBe(400);
    expect(res.body[0]!.errorCode).toBe('MALFORMED_QUERY');
  });
});
