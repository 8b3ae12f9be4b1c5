// The Salesforce client against the emulator over real HTTP: query paging, describe cache,
// collections (200-splitting, per-record failures), composite, limits and the current user.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ResponseShapeError } from '../../lib/http/parse';
import { fixedSession } from '../../lib/salesforce/auth/session';
import { SalesforceApiError } from '../../lib/salesforce/errors';
import { and, eq, inList, soql, startsWith } from '../../lib/salesforce/soql';
import { collect, type SalesforceHarness, startSalesforce } from './salesforce-client.harness';

let h: SalesforceHarness;

beforeAll(async () => {
  h = await startSalesforce({ seed: 'demo' });
});
afterAll(async () => {
  await h.emu.stop();
});
beforeEach(() => {
  h.counter.reset();
  h.emu.control.clearFaults();
});

const calls = (endpoint: string) => h.counter.snapshot()[`salesforce ${endpoint}`] ?? 0;

describe('query / queryAll', () => {
  it('pages through every lead with nextRecordsUrl, one page per call, fetched lazily', async () => {
    const total = [...h.emu.salesforce.store.table('Lead').records.values()].filter(
      (r) => !r.IsDeleted,
    ).length;
    const ids = new Set<string>();
    let pages = 0;
    for await (const page of h.client.query(soql({ select: ['Id', 'LastName'], from: 'Lead' }), {
      batchSize: 200,
    })) {
      expect(page.index).toBe(pages);
      expect(page.totalSize).toBe(total);
      expect(page.records.length).toBeLessThanOrEqual(200);
      // Lazy: only the pages asked for so far were fetched.
      expect(calls('query') + calls('queryMore')).toBe(pages + 1);
      for (const r of page.records) ids.add(r.Id as string);
      pages++;
    }
    expect(ids.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 200));
    expect(calls('query')).toBe(1);
    expect(calls('queryMore')).toBe(pages - 1);
  });

  it('stops fetching when the caller stops iterating', async () => {
    for await (const page of h.client.query('SELECT Id FROM Lead', { batchSize: 200 })) {
      expect(page.records).toHaveLength(200);
      break;
    }
    expect(h.counter.total('salesforce')).toBe(1);
  });

  it('parses rows with a caller schema and names the field that does not match', async () => {
    const Row = z.object({ Id: z.string(), LastName: z.string(), IsConverted: z.boolean() });
    const rows = await collect(
      h.client.queryRecords('SELECT Id, LastName, IsConverted FROM Lead LIMIT 5', { schema: Row }),
    );
    expect(rows).toHaveLength(5);
    expect(typeof rows[0]!.IsConverted).toBe('boolean');

    const Wrong = z.object({ Id: z.string(), LastName: z.number() });
    const error = await collect(
      h.client.queryRecords('SELECT Id, LastName FROM Lead LIMIT 5', { schema: Wrong }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error.endpoint).toBe('Salesforce query');
    expect(error.path).toBe('records.0.LastName');
  });

  it('counts with COUNT() and reports bad SOQL as a typed, non-retryable error', async () => {
    const live = [...h.emu.salesforce.store.table('Lead').records.values()].filter(
      (r) => !r.IsDeleted,
    ).length;
    expect(await h.client.count(soql({ count: true, from: 'Lead' }))).toBe(live);
    const error = await collect(h.client.query('SELECT Id, Nope__c FROM Lead')).catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.httpStatus).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.endpoint).toBe('query');
    expect(calls('query')).toBe(2);
  });

  it('finds a record by text full of quotes, backslashes and wildcards (escaping end to end)', async () => {
    const nasty = `O'Brien \\ "quoted" 50%_off\nline`;
    const [created] = await h.client.create('Lead', [{ LastName: nasty, Company: "Acme's \\ Co" }]);
    expect(created!.success).toBe(true);
    const byEq = await collect(
      h.client.queryRecords(soql({ select: ['Id', 'LastName'], from: 'Lead', where: eq('LastName', nasty) })),
    );
    expect(byEq).toEqual([expect.objectContaining({ Id: created!.id, LastName: nasty })]);
    const injection = await h.client.count(
      soql({ count: true, from: 'Lead', where: eq('LastName', "x' OR LastName != 'y") }),
    );
    expect(injection).toBe(0);
  });

  it('startsWith matches % and _ literally, not as wildcards', async () => {
    const [literal, lookalike] = await h.client.create('Lead', [
      { LastName: `Promo 50%_off 'x'`, Company: 'P' },
      { LastName: `Promo 50XYoff 'x'`, Company: 'P' },
    ]);
    const hits = await collect(
      h.client.queryRecords(
        soql({ select: ['Id'], from: 'Lead', where: startsWith('LastName', `Promo 50%_off '`) }),
      ),
    );
    expect(hits.map((r) => r.Id)).toEqual([literal!.id]);
    expect(lookalike!.success).toBe(true);
  });

  it('queryAll also returns deleted rows; query does not', async () => {
    const [a, b] = await h.client.create('Lead', [
      { LastName: 'Deleted-One', Company: 'X' },
      { LastName: 'Deleted-Two', Company: 'X' },
    ]);
    const deleted = await h.client.delete([a!.id!]);
    expect(deleted).toEqual([{ success: true, id: a!.id, errors: [] }]);
    const where = inList('Id', [a!.id!, b!.id!]);
    const live = await collect(h.client.queryRecords(soql({ select: ['Id'], from: 'Lead', where })));
    expect(live.map((r) => r.Id)).toEqual([b!.id]);
    const all = [];
    for await (const page of h.client.queryAll(soql({ select: ['Id', 'IsDeleted'], from: 'Lead', where })))
      all.push(...page.records);
    expect(all).toHaveLength(2);
    expect(all.find((r) => r.Id === a!.id)).toMatchObject({ IsDeleted: true });
    expect(calls('queryAll')).toBe(1);
  });
});

describe('describe', () => {
  it('caches with If-Modified-Since: 304 returns the cached copy; a new field is seen', async () => {
    const first = await h.client.describe('Lead');
    expect(first.notModified).toBe(false);
    expect(first.value.fields.find((f) => f.name === 'External_Id__c')).toMatchObject({ externalId: true });
    const second = await h.client.describe('Lead');
    expect(second.notModified).toBe(true);
    expect(second.value).toEqual(first.value);
    expect(calls('describe')).toBe(2);

    h.emu.control.advanceTime({ ms: 2_000 });
    h.emu.control.addField({ object: 'Lead', name: 'Fresh_Field__c', type: 'string' });
    h.emu.control.advanceTime({ ms: 2_000 });
    const third = await h.client.describe('Lead');
    expect(third.notModified).toBe(false);
    expect(third.value.fields.map((f) => f.name)).toContain('Fresh_Field__c');
  });

  it('describes the global list and reports an unknown object', async () => {
    const global = await h.client.describeGlobal();
    expect(global.value.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Lead', 'Contact', 'Account']),
    );
    const error = await h.client.describe('Widget__c').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error.httpStatus).toBe(404);
  });
});

describe('sObject Collections', () => {
  it('creates 450 leads in 3 calls, one result per input in order, validation failures in place', async () => {
    const bad = new Set([5, 250, 449]);
    const records = Array.from({ length: 450 }, (_, i) => ({
      LastName: `Bulk-${i}`,
      Company: 'Split Co',
      State: bad.has(i) ? 'CA' : 'California',
    }));
    const results = await h.client.create('Lead', records);
    expect(calls('composite/sobjects create')).toBe(3);
    expect(results).toHaveLength(450);
    results.forEach((r, i) => {
      if (bad.has(i)) {
        expect(r.success).toBe(false);
        expect(r.id).toBeUndefined();
        expect(r.errors[0]).toMatchObject({
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          fields: ['State'],
        });
      } else {
        expect(r).toMatchObject({ success: true, errors: [] });
        expect(r.id).toMatch(/^00Q[A-Za-z0-9]{15}$/);
      }
    });
    // Order is kept: the created ids are the right rows.
    const row = await collect(
      h.client.queryRecords(`SELECT LastName FROM Lead WHERE Id = '${results[300]!.id}'`),
    );
    expect(row[0]!.LastName).toBe('Bulk-300');
  });

  it('updates 210 leads in 2 calls; converted leads fail with CANNOT_UPDATE_CONVERTED_LEAD', async () => {
    const created = await h.client.create(
      'Lead',
      Array.from({ length: 210 }, (_, i) => ({ LastName: `Upd-${i}`, Company: 'Conv Co' })),
    );
    const ids = created.map((r) => r.id!);
    h.emu.control.convertLead({ leadId: ids[3]! });
    h.emu.control.convertLead({ leadId: ids[205]! });
    h.counter.reset();
    const results = await h.client.update(
      'Lead',
      ids.map((Id) => ({ Id, Title: 'Updated' })),
    );
    expect(calls('composite/sobjects update')).toBe(2);
    expect(results).toHaveLength(210);
    expect(results.filter((r) => !r.success).length).toBe(2);
    for (const i of [3, 205]) expect(results[i]!.errors[0]!.statusCode).toBe('CANNOT_UPDATE_CONVERTED_LEAD');
    expect(results[4]).toEqual({ success: true, id: ids[4], errors: [] });
  });

  it('upserts by external id with created flags, and refuses allOrNone over 200 records', async () => {
    const [existing] = await h.client.create('Lead', [
      { LastName: 'Ext', Company: 'E', External_Id__c: 'EXT-1' },
    ]);
    const results = await h.client.upsert('Lead', 'External_Id__c', [
      { External_Id__c: 'EXT-1', LastName: 'Ext Updated', Company: 'E' },
      { External_Id__c: 'EXT-2', LastName: 'Ext New', Company: 'E' },
      { External_Id__c: 'EXT-3', LastName: 'Bad', Company: 'E', State: 'NY' },
    ]);
    expect(results[0]).toMatchObject({ success: true, id: existing!.id, created: false });
    expect(results[1]).toMatchObject({ success: true, created: true });
    expect(results[2]).toMatchObject({ success: false });
    expect(results[2]!.errors[0]!.statusCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const many = Array.from({ length: 201 }, (_, i) => ({ LastName: `x${i}`, Company: 'y' }));
    await expect(h.client.create('Lead', many, { allOrNone: true })).rejects.toThrow(/allOrNone/);
  });

  it('allOrNone rolls a whole call back', async () => {
    const results = await h.client.create(
      'Lead',
      [
        { LastName: 'AON-ok', Company: 'A' },
        { LastName: 'AON-bad', Company: 'A', State: 'TX' },
      ],
      { allOrNone: true },
    );
    expect(results.map((r) => r.success)).toEqual([false, false]);
    expect(results[0]!.errors[0]!.statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(await h.client.count("SELECT COUNT() FROM Lead WHERE LastName = 'AON-ok'")).toBe(0);
  });

  it('deletes and retrieves by id, one entry per input', async () => {
    const created = await h.client.create('Lead', [
      { LastName: 'Del-1', Company: 'D' },
      { LastName: 'Del-2', Company: 'D' },
    ]);
    const [id1, id2] = created.map((r) => r.id!);
    const rows = await h.client.retrieve('Lead', [id1!, id2!], ['Id', 'LastName']);
    expect(rows.map((r) => r?.LastName)).toEqual(['Del-1', 'Del-2']);
    const first = await h.client.delete([id1!]);
    expect(first[0]!.success).toBe(true);
    const again = await h.client.delete([id1!, id2!]);
    expect(again[0]).toMatchObject({ success: false });
    expect(again[0]!.errors[0]!.statusCode).toBe('ENTITY_IS_DELETED');
    expect(again[1]).toMatchObject({ success: true, id: id2 });
    const after = await h.client.retrieve('Lead', [id1!, id2!], ['Id']);
    expect(after).toEqual([null, null]);
    await expect(h.client.delete(['not-an-id'])).rejects.toThrow(/not a Salesforce record id/);
  });
});

describe('composite', () => {
  it('checks several objects for changes in one call (the idle-cycle probe)', async () => {
    const since = new Date(h.clock.now());
    h.emu.control.advanceTime({ ms: 1_000 });
    const contact = (await collect(h.client.queryRecords('SELECT Id FROM Contact LIMIT 1')))[0]!;
    h.emu.control.sfUpdate({ id: contact.Id as string, fields: { Title: 'Changed' } });
    h.counter.reset();
    const changed = await h.client.changedSince(
      ['Lead', 'Contact', 'Account', 'Opportunity', 'Campaign'].map((sobject) => ({ sobject, since })),
    );
    expect([...changed]).toEqual(['Contact']);
    expect(h.counter.total('salesforce')).toBe(1);
  });

  it('splits over the 5-queries-per-call rule and surfaces a subrequest error', async () => {
    const since = new Date(h.clock.now() - 60 * 86_400_000);
    const objects = ['Lead', 'Contact', 'Account', 'Opportunity', 'Campaign', 'Task', 'Event'];
    const changed = await h.client.changedSince(objects.map((sobject) => ({ sobject, since })));
    expect(changed.size).toBe(7);
    expect(calls('composite')).toBe(2);
    const error = await h.client
      .changedSince([{ sobject: 'Lead', since, field: 'NoSuchField__c' }])
      .catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error.errorCode).toBe('INVALID_FIELD');
  });
});

describe('limits and the current user', () => {
  it('tracks Sforce-Limit-Info after every call and reads /limits', async () => {
    await h.client.count('SELECT COUNT() FROM Account');
    const usage = h.client.apiUsage!;
    expect(usage.max).toBe(15000);
    expect(usage.used).toBe(h.emu.salesforce.usage.used());
    const limits = await h.client.limits();
    expect(limits.DailyApiRequests.Max).toBe(15000);
    expect(h.client.apiUsage!.used).toBe(limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining);
  });

  it('reads the admin user with time zone and admin right; a standard user is not admin', async () => {
    const admin = await h.client.currentUser();
    expect(admin).toMatchObject({ id: h.emu.salesforce.principals.adminUserId, isAdmin: true });
    expect(admin.orgId).toBe(h.emu.info.salesforce.orgId);
    expect(admin.timeZone).toMatch(/\//);
    const { sid } = h.emu.control.sfCreateSession({ user: 'standard' });
    const standard = await h
      .makeClient({ tokens: fixedSession({ instanceUrl: h.url, accessToken: sid }) })
      .currentUser();
    expect(standard).toMatchObject({ id: h.emu.salesforce.principals.standardUserId, isAdmin: false });
  });

  it('a standard user is refused /limits with a typed error', async () => {
    const { sid } = h.emu.control.sfCreateSession({ user: 'standard' });
    const client = h.makeClient({ tokens: fixedSession({ instanceUrl: h.url, accessToken: sid }) });
    const error = await client.limits().catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ httpStatus: 403, errorCode: 'INSUFFICIENT_ACCESS', retryable: false });
  });

  it('builds queries the emulator accepts with AND of typed literals', async () => {
    const n = await h.client.count(
      soql({ count: true, from: 'Lead', where: and(eq('IsConverted', false), eq('IsDeleted', false)) }),
    );
    expect(n).toBeGreaterThan(0);
  });
});
