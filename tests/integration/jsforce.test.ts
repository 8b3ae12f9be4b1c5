// jsforce v3, used unchanged against the emulator: query with autoFetch paging and queryMore,
// describe, collection update, updated/deleted, limits, and the 401 → refresh path.
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';

let emu: Emulator;
let conn: Connection;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'large', size: 3000 });
  conn = new Connection({
    instanceUrl: emu.info.salesforce.url,
    accessToken: emu.info.salesforce.sid,
    version: '62.0',
  });
});
afterAll(() => emu.stop());

describe('jsforce against the emulator', () => {
  it('queries with autoFetch across nextRecordsUrl pages', async () => {
    const records: { Id: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query('SELECT Id, Name, Owner.Name FROM Lead')
        .on('record', (r: { Id: string }) => records.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000, headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    });
    expect(records).toHaveLength(3000);
    expect(new Set(records.map((r) => r.Id)).size).toBe(3000);
  });

  it('follows a locator with queryMore', async () => {
    const first = await conn.query('SELECT Id FROM Lead');
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    const more = await conn.queryMore(first.nextRecordsUrl!);
    expect(more.done).toBe(true);
    expect(more.records).toHaveLength(1000);
    expect(more.totalSize).toBe(3000);
  });

  it('describes Lead and the org', async () => {
    const lead = await conn.sobject('Lead').describe();
    expect(lead.keyPrefix).toBe('00Q');
    expect(lead.fields.find((f) => f.name === 'Email_Domain__c')?.calculated).toBe(true);
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toContain('Subscription__c');
  });

  it('updates records through sObject Collections with per-record results', async () => {
    const { records } = await conn.query<{ Id: string }>('SELECT Id FROM Lead LIMIT 3');
    const results = await conn.sobject('Lead').update([
      { Id: records[0]!.Id, Title: 'Head of Sync' },
      { Id: records[1]!.Id, State: 'CA' },
      { Id: records[2]!.Id, mkto71_Lead_Score__c: 99 },
    ]);
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    const failed = results[1]!;
    expect(failed.success).toBe(false);
    expect(JSON.stringify(failed)).toContain('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(emu.control.sfGet({ id: records[0]!.Id })!.Title).toBe('Head of Sync');
    const created = await conn.sobject('Lead').create([{ LastName: 'Js', Company: 'Force' }]);
    expect(created[0]!.success).toBe(true);
  });

  it('reads updated/ and deleted/', async () => {
    const { records } = await conn.query<{ Id: string }>('SELECT Id FROM Lead LIMIT 1');
    emu.control.sfDelete({ id: records[0]!.Id });
    emu.control.advanceTime({ ms: 2 * 60_000 });
    const end = new Date(emu.control.now().now);
    const start = new Date(end.getTime() - 20 * 86_400_000);
    const updated = await conn.sobject('Lead').updated(start.toISOString(), end.toISOString());
    expect(updated.ids.length).toBeGreaterThan(100);
    expect(updated.latestDateCovered).toMatch(/\+0000$/);
    const deleted = await conn
      .sobject('Lead')
      .deleted(new Date(end.getTime() - 10 * 86_400_000).toISOString(), end.toISOString());
    expect(deleted.deletedRecords.map((d) => d.id)).toContain(records[0]!.Id);
  });

  it('reads limits and the limit header', async () => {
    const limits = (await conn.limits()) as unknown as {
      DailyApiRequests: { Max: number; Remaining: number };
    };
    expect(limits.DailyApiRequests.Max).toBe(15000);
    expect(conn.limitInfo?.apiUsage?.limit).toBe(15000);
  });

  it('refreshes an expired session through its refresh delegate', async () => {
    const { sid } = emu.control.sfCreateSession({ user: 'admin' });
    let refreshed = 0;
    const c = new Connection({
      instanceUrl: emu.info.salesforce.url,
      accessToken: sid,
      version: '62.0',
      refreshFn: (_conn, callback) => {
        refreshed++;
        callback(null, emu.control.sfCreateSession({ user: 'admin' }).sid);
      },
    });
    emu.control.expireSessions({ token: sid });
    const res = await c.query('SELECT COUNT() FROM Lead');
    expect(res.totalSize).toBeGreaterThan(0);
    expect(refreshed).toBe(1);
  });
});
