// "Sync runs in: this browser | a service" as the options page sends it (lib/serviceMode/connection.ts
// behind the real message router): each field is validated with zod and a refusal names it, a token
// is saved among the secrets and only ever reported as saved, a saved token goes only to the service
// and org it was saved for, and Test calls the service's state route (a loopback server here) and
// says what it found or why it failed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import { emptyCounters } from '../../lib/db/types';
import {
  createMessageClient,
  createMessageRouter,
  type MessageError,
  type SenderInfo,
} from '../../lib/messaging';
import { registerServiceConnectionHandlers } from '../../lib/serviceMode/connection';
import { serviceHostToRelease } from '../../lib/serviceMode/hostAccess';
import { runsInService, serviceUrlSchema } from '../../lib/settings/serviceConnection';
import { createSettingsStore } from '../../lib/settings/store';

const ORIGIN = 'chrome-extension://test-extension-id';
const options: SenderInfo = { id: 'test-extension-id', url: `${ORIGIN}/options.html`, origin: ORIGIN };
const TOKEN = 'sss_right-token';

let server: Server;
let url: string;
const tokensSeen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    tokensSeen.push(token);
    response.writeHead(token === TOKEN ? 200 : 401, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        token === TOKEN
          ? {
              org: { id: 'acme', name: 'Acme', intervalMinutes: 5 },
              paused: false,
              running: true,
              nextRunAt: null,
              lastCycle: {
                id: 9,
                trigger: 'schedule',
                startedAt: 1,
                endedAt: 2,
                status: 'Failed',
                totals: emptyCounters(),
              },
              connection: { salesforce: { state: 'connected' }, marketo: { state: 'connected' } },
              view: { personLabel: 'Lead', instanceUrl: 'https://acme.my.salesforce.com' },
            }
          : { error: 'missing or wrong token for this org' },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

let store: ReturnType<typeof createSettingsStore>;
const send = createMessageClient({
  sendMessage: async (message) =>
    (await fakeBrowser.runtime.onMessage.trigger(message, options as chrome.runtime.MessageSender)).find(
      (answer) => answer !== undefined,
    ),
});

beforeEach(() => {
  fakeBrowser.reset();
  tokensSeen.length = 0;
  store = createSettingsStore(settingsStorage());
  const router = createMessageRouter(fakeBrowser.runtime, { onRefused: () => {} });
  registerServiceConnectionHandlers(router, {
    store,
    fetch: (input, init) => fetch(input, init),
    now: () => 1_000,
  });
});

async function refusal(promise: Promise<unknown>): Promise<MessageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected a refusal');
  return error as MessageError;
}

describe('Sync runs in: validation', () => {
  it('names each bad field, and saves nothing', async () => {
    const error = await refusal(
      send('saveServiceConnection', {
        syncRunsIn: 'service',
        url: 'ftp://x',
        orgId: 'Acme Corp',
        token: 'a b',
      }),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.issues).toEqual([
      {
        path: 'url',
        message:
          'not a service URL (https://sync.example.com, or http://127.0.0.1:8787 for a service on this machine)',
      },
      { path: 'orgId', message: 'must be a slug: lowercase letters, digits and dashes, at most 40' },
      { path: 'token', message: 'a token has no spaces' },
    ]);
    const empty = await refusal(
      send('saveServiceConnection', { syncRunsIn: 'service', url: ' ', orgId: '' }),
    );
    expect(empty.issues).toEqual([
      { path: 'url', message: 'required' },
      { path: 'orgId', message: 'required' },
    ]);
    expect((await store.getConnections()).syncRunsIn).toBeUndefined();
  });

  it('takes https anywhere and http on loopback only, as an origin and path without a trailing slash', () => {
    expect(serviceUrlSchema.parse(' https://Sync.Example.com/status/ ')).toBe(
      'https://sync.example.com/status',
    );
    expect(serviceUrlSchema.parse('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(serviceUrlSchema.parse('http://localhost:8787/')).toBe('http://localhost:8787');
    for (const bad of [
      'http://sync.example.com',
      'https://user:pw@sync.example.com',
      'https://x.com/?q=1',
      'sync',
    ])
      expect(serviceUrlSchema.safeParse(bad).success, bad).toBe(false);
  });

  it('a service needs a token: typed, or saved for this same service and org', async () => {
    const missing = await refusal(
      send('saveServiceConnection', { syncRunsIn: 'service', url, orgId: 'acme' }),
    );
    expect(missing.message).toContain('token: required');
    await send('saveServiceConnection', { syncRunsIn: 'service', url, orgId: 'acme', token: TOKEN });
    // The same service and org keep the saved token; another org must be given its own.
    const kept = await send('saveServiceConnection', {
      syncRunsIn: 'service',
      url: `${url}/`,
      orgId: 'acme',
    });
    expect(kept).toEqual({ syncRunsIn: 'service', url, orgId: 'acme', tokenSaved: true });
    const other = await refusal(
      send('saveServiceConnection', { syncRunsIn: 'service', url, orgId: 'globex' }),
    );
    expect(other.message).toContain('token: required');
    expect((await store.getSecrets()).service?.token).toBe(TOKEN);
  });
});

describe('Sync runs in: saved', () => {
  it('keeps the token among the secrets, never in an answer, and switches back to this browser', async () => {
    const saved = await send('saveServiceConnection', {
      syncRunsIn: 'service',
      url,
      orgId: 'acme',
      token: TOKEN,
    });
    expect(saved).toEqual({ syncRunsIn: 'service', url, orgId: 'acme', tokenSaved: true });
    expect(JSON.stringify(await send('getServiceConnection'))).not.toContain(TOKEN);
    const connections = await store.getConnections();
    expect(runsInService(connections)).toBe(true);
    expect(JSON.stringify(connections)).not.toContain(TOKEN);
    // Back to this browser: the service stays filled in for later, with its token.
    const back = await send('saveServiceConnection', { syncRunsIn: 'browser', url, orgId: 'acme' });
    expect(back).toEqual({ syncRunsIn: 'browser', url, orgId: 'acme', tokenSaved: true });
    expect(runsInService(await store.getConnections())).toBe(false);
  });

  it('gives back the old service’s host access when it is no longer used (not loopback, not Salesforce)', () => {
    const before = { url: 'https://sync.example.com' };
    expect(serviceHostToRelease(before, { syncRunsIn: 'browser', url: 'https://sync.example.com' })).toBe(
      'https://sync.example.com/*',
    );
    expect(serviceHostToRelease(before, { syncRunsIn: 'service', url: 'https://other.example.com' })).toBe(
      'https://sync.example.com/*',
    );
    expect(
      serviceHostToRelease(before, { syncRunsIn: 'service', url: 'https://sync.example.com' }),
    ).toBeUndefined();
    expect(serviceHostToRelease({ url: 'http://127.0.0.1:8787' }, { syncRunsIn: 'browser' })).toBeUndefined();
    expect(
      serviceHostToRelease({ url: 'https://acme.my.salesforce.com' }, { syncRunsIn: 'browser' }),
    ).toBeUndefined();
  });
});

describe('Sync runs in: Test', () => {
  it('shows what the service answered for the org', async () => {
    const report = await send('testServiceConnection', { url, orgId: 'acme', token: TOKEN });
    expect(report).toEqual({
      checkedAt: 1_000,
      ok: true,
      org: { id: 'acme', name: 'Acme', intervalMinutes: 5 },
      paused: false,
      running: true,
      lastCycle: { id: 9, status: 'Failed', startedAt: 1, endedAt: 2 },
      instanceUrl: 'https://acme.my.salesforce.com',
    });
  });

  it('says the token was refused, or the service could not be reached', async () => {
    const refused = await send('testServiceConnection', { url, orgId: 'acme', token: 'sss_wrong' });
    expect(refused).toMatchObject({
      ok: false,
      error: expect.stringContaining('refused the token for org acme (401'),
    });
    const unreachable = await send('testServiceConnection', {
      url: 'http://127.0.0.1:1',
      orgId: 'acme',
      token: TOKEN,
    });
    expect(unreachable).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Could not reach the service at http:\/\/127\.0\.0\.1:1: /),
    });
  });

  it('sends a saved token only to the service and org it was saved for', async () => {
    await send('saveServiceConnection', { syncRunsIn: 'service', url, orgId: 'acme', token: TOKEN });
    expect(await send('testServiceConnection', { url, orgId: 'acme' })).toMatchObject({ ok: true });
    const other = await send('testServiceConnection', { url, orgId: 'globex' });
    expect(other).toMatchObject({
      ok: false,
      error: 'No token: paste the token add-org printed for this org.',
    });
    expect(tokensSeen).toEqual([TOKEN]);
  });
});
