// The control API (in-process and over HTTP), fault injection on both ports, call counters,
// lead conversion, snapshot/reset, the catch-all 500, the CLI line and a clean stop.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createControlClient, type Emulator, startEmulator } from '../../emulator/index';
import { sfClient } from '../../emulator/testing';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
beforeEach(() => {
  emu.control.clearFaults();
  emu.control.resetCounters();
});
afterAll(() => emu.stop());

async function marketoToken(): Promise<string> {
  const { url, clientId, clientSecret } = emu.info.marketo;
  const res = await fetch(
    `${url}/identity/oauth/token?grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}`,
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

const marketoGet = async (path: string, token: string) =>
  fetch(`${emu.info.marketo.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe('faults', () => {
  it('injects a Salesforce error once, then lets calls through', async () => {
    emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      route: '/services/data/*/query',
      errorCode: 'SERVER_UNAVAILABLE',
      times: 1,
    });
    const sf = sfClient(emu.info);
    const first = await sf.query('SELECT Id FROM Lead LIMIT 1');
    expect(first.status).toBe(503);
    expect(first.body).toEqual([
      { message: 'Injected fault: SERVER_UNAVAILABLE', errorCode: 'SERVER_UNAVAILABLE' },
    ]);
    expect((await sf.query('SELECT Id FROM Lead LIMIT 1')).status).toBe(200);
    expect(emu.control.listFaults()[0]!.hits).toBe(1);
  });

  it('injects a Marketo error as an HTTP 200 envelope, N times', async () => {
    const token = await marketoToken();
    emu.control.injectFault({
      side: 'marketo',
      kind: 'error',
      route: '/rest/v1/leads.json',
      errorCode: '606',
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const res = await marketoGet('/rest/v1/leads.json?filterType=email&filterValues=a@b.c', token);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        requestId: expect.stringMatching(/^[0-9a-f]+#[0-9a-f]+$/),
        success: false,
        errors: [{ code: '606', message: expect.any(String) }],
      });
    }
    const ok = (await (
      await marketoGet('/rest/v1/leads.json?filterType=email&filterValues=a@b.c', token)
    ).json()) as { success: boolean };
    expect(ok.success).toBe(true);
  });

  it('adds latency, breaks bodies and drops connections', async () => {
    const sf = sfClient(emu.info);
    emu.control.injectFault({
      side: 'salesforce',
      kind: 'latency',
      route: '/services/data/v62.0/limits',
      latencyMs: 150,
      times: 1,
    });
    const t0 = performance.now();
    expect((await sf.get('limits')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);

    emu.control.injectFault({ side: 'salesforce', kind: 'malformed', route: '/services/data/**', times: 1 });
    const malformed = await fetch(`${emu.info.salesforce.url}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${emu.info.salesforce.sid}` },
    });
    await expect(malformed.json()).rejects.toThrow();

    const token = await marketoToken();
    emu.control.injectFault({ side: 'marketo', kind: 'schema', route: '/rest/v1/leads.json', times: 1 });
    const broken = (await (
      await marketoGet('/rest/v1/leads.json?filterType=id&filterValues=1', token)
    ).json()) as Record<string, unknown>;
    expect(broken.success).toBe('yes');
    expect(Array.isArray(broken.result)).toBe(false);

    emu.control.injectFault({
      side: 'salesforce',
      kind: 'drop',
      route: '/services/data/v62.0/sobjects',
      method: 'GET',
      times: 1,
    });
    await expect(sf.get('sobjects')).rejects.toThrow();
    expect((await sf.get('sobjects')).status).toBe(200);
  });

  it('applies a probability with a seeded generator', async () => {
    emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      route: '/services/data/v62.0/limits',
      status: 500,
      probability: 0.5,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await sfClient(emu.info).get('limits')).status);
    const failures = statuses.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(18);
  });
});

describe('counters and control', () => {
  it('counts calls per endpoint on both ports', async () => {
    const sf = sfClient(emu.info);
    await sf.query('SELECT Id FROM Lead LIMIT 1');
    await sf.query('SELECT Id FROM Contact LIMIT 1');
    await sf.get('sobjects/Lead/00Q5e0000000001EAA');
    const token = await marketoToken();
    await marketoGet('/rest/v1/lead/1.json', token);
    const counters = emu.control.counters();
    expect(counters.salesforce).toEqual({
      'GET /services/data/{version}/query': 2,
      'GET /services/data/{version}/sobjects/Lead/{id}': 1,
    });
    expect(counters.marketo).toEqual({ 'GET /identity/oauth/token': 1, 'GET /rest/v1/lead/{id}.json': 1 });
    expect(counters.totals).toEqual({ salesforce: 3, marketo: 2 });
  });

  it('works over HTTP with the typed client', async () => {
    const control = createControlClient(emu.info.control.url);
    const { id } = await control.sfCreate({
      object: 'Lead',
      fields: { LastName: 'Http', Company: 'Acme', State: 'Ohio' },
    });
    expect((await control.sfGet({ id }))!.LastName).toBe('Http');
    const converted = await control.convertLead({ leadId: id, createOpportunity: true });
    const lead = (await control.sfGet({ id }))!;
    expect(lead).toMatchObject({
      IsConverted: true,
      ConvertedAccountId: converted.accountId,
      ConvertedContactId: converted.contactId,
      ConvertedOpportunityId: converted.opportunityId,
      Status: 'Closed - Converted',
    });
    expect(lead.ConvertedDate).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect((await control.sfGet({ id: converted.contactId }))!).toMatchObject({
      LastName: 'Http',
      MailingState: 'Ohio',
      AccountId: converted.accountId,
    });
    await expect(control.convertLead({ leadId: id })).rejects.toThrow(/already converted/);
    await expect(control.sfUpdate({ id, fields: { Title: 'x' } })).rejects.toThrow(
      'cannot reference converted lead',
    );
    const mk = await control.mkCreateLead({ fields: { email: 'http@example.com', lastName: 'Http' } });
    expect(mk.id).toBeGreaterThan(0);
    expect((await control.mkUpdateLead({ id: mk.id, fields: { title: 'CTO' } })).changed).toEqual(['title']);
    const fault = await control.injectFault({ side: 'salesforce', kind: 'error', status: 500, times: 1 });
    expect(fault.id).toMatch(/^fault-/);
    expect((await control.listFaults()).length).toBe(1);
    const res = await fetch(`${emu.info.control.url}/noSuchMethod`, { method: 'POST' });
    expect(res.status).toBe(404);
  });

  it('changes a value behind the sync: no SystemModstamp bump, no Change Data Value activity', async () => {
    const control = createControlClient(emu.info.control.url);
    const { id } = await control.sfCreate({ object: 'Lead', fields: { LastName: 'Quiet', Company: 'Acme' } });
    const before = (await control.sfGet({ id }))!;
    await control.advanceTime({ ms: 60_000 });
    await control.sfUpdateWithoutStamp({ id, fields: { Title: 'Behind', NumberOfEmployees: '12' } });
    const after = (await control.sfGet({ id }))!;
    expect(after).toMatchObject({ Title: 'Behind', NumberOfEmployees: 12 });
    expect(after.SystemModstamp).toBe(before.SystemModstamp);
    expect(after.LastModifiedDate).toBe(before.LastModifiedDate);
    // A change query from the record's own stamp does not see it.
    const sf = sfClient(emu.info);
    const stamp = String(before.SystemModstamp).replace('.000+0000', 'Z');
    const changed = await sf.query(`SELECT Id FROM Lead WHERE Id = '${id}' AND SystemModstamp > ${stamp}`);
    expect((changed.body as { totalSize: number }).totalSize).toBe(0);
    await expect(control.sfUpdateWithoutStamp({ id, fields: { NoSuchField__c: 1 } })).rejects.toThrow();

    const mk = await control.mkCreateLead({ fields: { email: 'quiet@example.com', lastName: 'Quiet' } });
    const activities = emu.control.snapshot().marketo.activities.length;
    const person = () => emu.control.snapshot().marketo.leads.find((l) => l.id === mk.id)!;
    const updatedAt = person().updatedAt;
    await control.advanceTime({ ms: 60_000 });
    expect(
      (await control.mkUpdateLeadWithoutActivity({ id: mk.id, fields: { title: 'Hidden' } })).changed,
    ).toEqual(['title']);
    expect(person()).toMatchObject({ title: 'Hidden', updatedAt });
    expect(emu.control.snapshot().marketo.activities.length).toBe(activities);
    // Readers of the person see the new value (and its index: lookups by the field find it).
    const token = await marketoToken();
    const res = await marketoGet(
      `/rest/v1/leads.json?filterType=id&filterValues=${mk.id}&fields=title`,
      token,
    );
    expect(((await res.json()) as { result: { title: string }[] }).result[0]!.title).toBe('Hidden');
  });

  it('snapshots and resets both sides deterministically', async () => {
    const before = emu.control.snapshot();
    expect(before.salesforce.Lead!.length).toBeGreaterThan(1000);
    expect(before.marketo.leads.length).toBeGreaterThan(1000);
    const leads = before.salesforce.Lead!;
    expect(leads.some((l) => /^[A-Z]{2}$/.test(String(l.State)))).toBe(true);
    expect(leads.some((l) => l.Do_Not_Sync_to_Marketo__c === true)).toBe(true);
    expect(leads.some((l) => l.IsConverted === true)).toBe(true);
    expect(leads.some((l) => l.IsDeleted === true)).toBe(true);
    const summary = emu.control.reset({ seed: 'demo' });
    const again = emu.control.snapshot();
    expect(summary.salesforce.Lead).toBe(2000);
    expect(again.salesforce.Lead!.map((l) => l.Email)).toEqual(
      emu.control.snapshot().salesforce.Lead!.map((l) => l.Email),
    );
    const linked = again.marketo.leads.filter(
      (l) => (l as Record<string, unknown>).sfdcLeadId || (l as Record<string, unknown>).sfdcContactId,
    );
    expect(linked.length).toBe(again.marketo.leads.length);
  });

  it('turns an internal failure into a Salesforce-shaped 500 UNKNOWN_EXCEPTION, never a stack trace', async () => {
    const spy = vi.spyOn(emu.salesforce.usage, 'tryConsume').mockImplementation(() => {
      throw new Error('boom');
    });
    const res = await sfClient(emu.info).get<{ errorCode: string; message: string }[]>('limits');
    spy.mockRestore();
    expect(res.status).toBe(500);
    expect(res.body[0]!.errorCode).toBe('UNKNOWN_EXCEPTION');
    expect(res.body[0]!.message).not.toContain('boom');
  });
});

describe('process', () => {
  it('prints exactly one JSON line from the CLI and serves on the printed ports', async () => {
    // One process (node with the tsx loader), so killing it leaves nothing behind.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'emulator/cli.ts', '--seed', 'empty', '--salesforce-port', '0'],
      {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(line.trim().split('\n')).toHaveLength(1);
      const info = JSON.parse(line) as Emulator['info'];
      expect(Object.keys(info)).toEqual(['salesforce', 'marketo', 'control']);
      expect(Object.keys(info.salesforce)).toEqual(['url', 'sid', 'orgId', 'clientId']);
      expect(Object.keys(info.marketo)).toEqual(['url', 'clientId', 'clientSecret']);
      expect((await sfClient(info).get('limits')).status).toBe(200);
      expect(await createControlClient(info.control.url).now()).toHaveProperty('iso');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 30_000);

  it('stops cleanly, closing keep-alive sockets', async () => {
    const other = await startEmulator({ seed: 'empty' });
    await sfClient(other.info).get('limits', { Connection: 'keep-alive' });
    await other.stop();
    await expect(fetch(`${other.info.salesforce.url}/services/data/`)).rejects.toThrow();
  });
});
