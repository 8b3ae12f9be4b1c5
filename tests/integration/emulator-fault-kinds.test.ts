// The fault kinds the soak needs beyond errors and broken bodies: a server that never answers
// ('hang': nothing done, the client's timeout fires), a reply lost after the write ('dropAfter':
// the write is done, the client sees a dropped connection), and Marketo's rate/concurrency
// refusals (606/615) worded as Marketo words them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { sfClient } from '../../emulator/testing';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty', marketo: { limits: { enabled: false } } });
});
beforeEach(() => emu.control.clearFaults());
afterAll(() => emu.stop());

async function marketoToken(): Promise<string> {
  const { url, clientId, clientSecret } = emu.info.marketo;
  const res = await fetch(
    `${url}/identity/oauth/token?grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}`,
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

const marketoPost = async (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${emu.info.marketo.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await marketoToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal && { signal }),
  });

const personsNamed = (lastName: string) =>
  (emu.marketo.snapshot().leads as Record<string, unknown>[]).filter((p) => p.lastName === lastName);

describe("fault kind 'hang'", () => {
  it('never answers a Salesforce write and does not carry it out; the next call goes through', async () => {
    emu.control.injectFault({
      side: 'salesforce',
      kind: 'hang',
      route: '/services/data/*/sobjects/Lead',
      times: 1,
    });
    const url = `${emu.info.salesforce.url}/services/data/v62.0/sobjects/Lead`;
    const init = {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.info.salesforce.sid}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ LastName: 'Hung', Company: 'Acme' }),
    };
    const error = await fetch(url, { ...init, signal: AbortSignal.timeout(300) }).catch((e) => e);
    expect((error as Error).name).toBe('TimeoutError');
    const found = await sfClient(emu.info).query<{ totalSize: number }>(
      "SELECT Id FROM Lead WHERE LastName = 'Hung'",
    );
    expect(found.body.totalSize).toBe(0);
    expect((await fetch(url, init)).status).toBe(201);
  });

  it('never answers a Marketo call', async () => {
    emu.control.injectFault({ side: 'marketo', kind: 'hang', route: '/rest/v1/leads.json', times: 1 });
    const body = { action: 'createOnly', input: [{ email: 'hang@example.com', lastName: 'HangMk' }] };
    const error = await marketoPost('/rest/v1/leads.json', body, AbortSignal.timeout(300)).catch((e) => e);
    expect((error as Error).name).toBe('TimeoutError');
    expect(personsNamed('HangMk')).toHaveLength(0);
  });
});

describe("fault kind 'dropAfter'", () => {
  it('carries out the Salesforce write, then drops the connection instead of replying', async () => {
    emu.control.injectFault({
      side: 'salesforce',
      kind: 'dropAfter',
      route: '/services/data/*/sobjects/Lead',
      method: 'POST',
      times: 1,
    });
    const sf = sfClient(emu.info);
    await expect(
      sf.request('POST', 'sobjects/Lead', { LastName: 'Lost', Company: 'Acme' }),
    ).rejects.toThrow();
    const found = await sf.query<{ totalSize: number }>("SELECT Id FROM Lead WHERE LastName = 'Lost'");
    expect(found.body.totalSize).toBe(1);
  });

  it('carries out the Marketo write, then drops the connection instead of replying', async () => {
    emu.control.injectFault({ side: 'marketo', kind: 'dropAfter', route: '/rest/v1/leads.json', times: 1 });
    const body = { action: 'createOnly', input: [{ email: 'lost@example.com', lastName: 'LostMk' }] };
    await expect(marketoPost('/rest/v1/leads.json', body)).rejects.toThrow();
    expect(personsNamed('LostMk')).toHaveLength(1);
    const again = (await (await marketoPost('/rest/v1/leads.json', body)).json()) as {
      result: { status: string }[];
    };
    expect(again.result[0]!.status).toBe('skipped');
  });
});

describe('Marketo limit refusals as faults', () => {
  it.each([
    ['606', "Max rate limit '100' exceeded with in '20' secs"],
    ['615', "Concurrent access limit '10' reached"],
  ])('%s carries the message Marketo sends', async (code, message) => {
    emu.control.injectFault({
      side: 'marketo',
      kind: 'error',
      errorCode: code,
      route: '/rest/v1/leads.json',
      times: 1,
    });
    const reply = await marketoPost('/rest/v1/leads.json', {
      action: 'createOnly',
      input: [{ email: 'x@y.z' }],
    });
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as { success: boolean; errors: { code: string; message: string }[] };
    expect(body.success).toBe(false);
    expect(body.errors).toEqual([{ code, message }]);
  });
});
