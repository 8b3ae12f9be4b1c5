// The options page's connection handlers against the emulator over real HTTP, with WXT's fake
// browser storage: session detection, OAuth connect/disconnect, Marketo save and test, the
// pre-flight, and the rule that no answer, no sync storage and no log line carries a secret.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import { type Emulator, startEmulator } from '../../emulator/index';
import { buildClients } from '../../lib/connections/clients';
import { connectionsView, registerConnectionHandlers, testConnections } from '../../lib/connections/handlers';
import { disconnectMarketo, saveMarketoConnection } from '../../lib/connections/marketoConnection';
import { type ConnectionPorts, clientPorts } from '../../lib/connections/ports';
import {
  connectSalesforceOAuth,
  detectSalesforceSession,
  disconnectSalesforce,
} from '../../lib/connections/salesforceConnection';
import { objectFields } from '../../lib/connections/salesforceTest';
import { connectionStatus, GRANT_LOST } from '../../lib/connections/status';
import { systemClock } from '../../lib/http/ports';
import { createMessageClient, createMessageRouter, type MessageError } from '../../lib/messaging';
import { MemoryCookieJar } from '../../lib/salesforce/auth/cookieJar';
import { createSettingsStore, type SettingsStore } from '../../lib/settings/store';

let emu: Emulator;
let store: SettingsStore;
let jar: MemoryCookieJar;
let stored: unknown;
let tabUrl: string | undefined;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => {
  await emu?.stop();
});
beforeEach(() => {
  fakeBrowser.reset();
  store = createSettingsStore(settingsStorage());
  jar = new MemoryCookieJar();
  stored = undefined;
  tabUrl = undefined;
});

const REDIRECT = 'https://abcdefghijklmnop.chromiumapp.org/oauth';

function ports(overrides: Partial<ConnectionPorts> = {}): ConnectionPorts {
  return {
    store,
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    cookies: jar,
    findSalesforceTab: async () => tabUrl,
    // What launchWebAuthFlow does when the authorize page redirects at once: hand back the URL.
    launchWebAuthFlow: async (url) =>
      (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '',
    oauthRedirectUri: REDIRECT,
    lastTest: {
      get: async () => stored,
      set: async (report) => {
        stored = report;
      },
    },
    ...overrides,
  };
}

async function logIn(): Promise<string> {
  const url = emu.info.salesforce.url;
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'sync.admin@emulator.example', pw: 'x' }).toString(),
    redirect: 'manual',
  });
  jar.setFromResponse(`${url}/login`, response);
  return `${url}/lightning/o/Lead/list`;
}

const marketoRequest = (secret = emu.info.marketo.clientSecret) => ({
  restEndpoint: `${emu.info.marketo.url}/rest`,
  clientId: emu.info.marketo.clientId,
  clientSecret: secret,
});

describe('Salesforce through the browser session', () => {
  it('detects the org and user of the open Salesforce tab and stores them', async () => {
    tabUrl = await logIn();
    const view = await detectSalesforceSession(ports());
    expect(view).toMatchObject({
      mode: 'session',
      connected: true,
      instanceUrl: emu.info.salesforce.url,
      orgId: emu.info.salesforce.orgId,
      user: { username: 'sync.admin@emulator.example', isAdmin: true, timeZone: 'Europe/Amsterdam' },
    });
    expect((await store.getConnections()).salesforce.user?.username).toBe('sync.admin@emulator.example');
  });

  it('says what to do when no Salesforce tab is open, or nobody is logged in', async () => {
    await expect(detectSalesforceSession(ports())).rejects.toThrow(/No Salesforce tab is open/);
    tabUrl = `${emu.info.salesforce.url}/lightning/o/Lead/list`;
    await expect(detectSalesforceSession(ports())).rejects.toThrow(/log in/);
    expect((await store.getConnections()).salesforce.instanceUrl).toBeUndefined();
  });
});

describe('Salesforce through OAuth (dedicated sync user)', () => {
  const request = () => ({ loginHost: emu.info.salesforce.url, clientId: emu.info.salesforce.clientId });

  it('connects, keeps the refresh token in the secrets only, and revokes it on Disconnect', async () => {
    const view = await connectSalesforceOAuth(ports(), request());
    expect(view).toMatchObject({ mode: 'oauth', connected: true, hasRefreshToken: true });
    const secrets = await store.getSecrets();
    const refreshToken = secrets.salesforce.refreshToken!;
    expect(refreshToken).toMatch(/^5Aep861/);
    expect(JSON.stringify(view)).not.toContain(refreshToken);
    expect(JSON.stringify(await store.getConnections())).not.toContain(refreshToken);

    const test = await testConnections(ports(), 'salesforce');
    expect(test.salesforce).toMatchObject({ ok: true, who: { mode: 'oauth' } });

    const after = await disconnectSalesforce(ports());
    expect(after).toMatchObject({ connected: false, hasRefreshToken: false });
    expect(after.revokeError).toBeUndefined();
    expect(emu.salesforce.auth.refreshTokens.get(refreshToken)?.revoked).toBe(true);
    expect((await store.getSecrets()).salesforce).toEqual({});
  });

  it('a revoked grant is dropped at the first invalid_grant: never asked with again, the connection says reconnect', async () => {
    await connectSalesforceOAuth(ports(), request());
    await saveMarketoConnection(ports(), marketoRequest());
    const refreshToken = (await store.getSecrets()).salesforce.refreshToken!;
    // The sync user's grant is revoked in Setup, and the access token dies with it.
    emu.control.revokeRefreshTokens({ token: refreshToken });
    emu.control.expireSessions({});
    const tokenCalls: string[] = [];
    const counting = ports({
      fetch: (input, init) => {
        if (String(input).endsWith('/services/oauth2/token')) tokenCalls.push(String(input));
        return fetch(input, init);
      },
    });
    const built = buildClients(await store.getConnections(), await store.getSecrets(), clientPorts(counting));
    if (!built.ok) throw new Error(`not connected: ${built.missing.join(', ')}`);
    const error = await built.salesforce.count('SELECT COUNT() FROM Lead').catch((e) => e);
    expect(error).toMatchObject({ errorCode: 'invalid_grant', kind: 'auth' });
    expect(tokenCalls).toHaveLength(1);
    // A second call of the same cycle does not ask again.
    await expect(built.salesforce.count('SELECT COUNT() FROM Lead')).rejects.toThrow(/no refresh token/);
    expect(tokenCalls).toHaveLength(1);

    // Both tokens are gone from storage; the org stays known so the page can say what happened.
    const secrets = await store.getSecrets();
    expect(secrets.salesforce).toEqual({});
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(refreshToken);
    const connections = await store.getConnections();
    const next = buildClients(connections, secrets, clientPorts(counting));
    expect(next).toEqual({ ok: false, missing: ['salesforce.refreshToken'] });
    expect(tokenCalls).toHaveLength(1);
    expect(connectionStatus(connections, secrets).salesforce).toEqual({
      state: 'error',
      label: new URL(emu.info.salesforce.url).host,
      error: GRANT_LOST,
    });
    expect((await connectionsView(ports())).salesforce).toMatchObject({
      mode: 'oauth',
      connected: false,
      hasRefreshToken: false,
      instanceUrl: emu.info.salesforce.url,
    });
  });

  it.each([
    ['Disconnect', {}],
    ['a new grant', { refreshToken: 'the-new-grant' }],
  ])('a refresh that ends after %s writes no old token back', async (_what, storedMeanwhile) => {
    await connectSalesforceOAuth(ports(), request());
    await saveMarketoConnection(ports(), marketoRequest());
    // The cycle's client refreshes an expired access token; while Salesforce answers, the admin
    // disconnects (or connects another grant) on the options page.
    const racing = ports({
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (String(input).endsWith('/services/oauth2/token')) {
          await store.saveSecrets({ ...(await store.getSecrets()), salesforce: storedMeanwhile });
        }
        return response;
      },
    });
    const built = buildClients(await store.getConnections(), await store.getSecrets(), clientPorts(racing));
    if (!built.ok) throw new Error(`not connected: ${built.missing.join(', ')}`);
    emu.control.expireSessions({});
    expect(await built.salesforce.count('SELECT COUNT() FROM Lead')).toBeGreaterThan(0);
    expect((await store.getSecrets()).salesforce).toEqual(storedMeanwhile);
  });

  it('a wrong client id is a clear error and stores nothing', async () => {
    const flow = async (url: string) => {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status !== 302) throw new Error('Authorization page could not be loaded.');
      return response.headers.get('location') ?? '';
    };
    const error = await connectSalesforceOAuth(ports({ launchWebAuthFlow: flow }), {
      ...request(),
      clientId: 'not-the-app',
    }).catch((e: Error) => e);
    expect(String(error)).toMatch(/Salesforce sign-in did not complete/);
    expect((await store.getConnections()).salesforce.instanceUrl).toBeUndefined();
  });
});

describe('Marketo', () => {
  it('saves the secret in the secrets only and never answers it', async () => {
    const view = await saveMarketoConnection(ports(), marketoRequest());
    expect(view).toEqual({
      configured: true,
      secretSaved: true,
      restEndpoint: `${emu.info.marketo.url}/rest`,
      clientId: emu.info.marketo.clientId,
    });
    // Saving again without a secret keeps the stored one (the page never has it to send).
    const again = await saveMarketoConnection(ports(), { ...marketoRequest(), clientSecret: undefined });
    expect(again.secretSaved).toBe(true);
    expect((await store.getSecrets()).marketo.clientSecret).toBe(emu.info.marketo.clientSecret);
  });

  it('disconnect wipes the endpoint, the client id, the secret and a cached token; the test says not connected', async () => {
    await saveMarketoConnection(ports(), marketoRequest());
    const secrets = await store.getSecrets();
    await store.saveSecrets({
      ...secrets,
      marketo: {
        ...secrets.marketo,
        accessToken: { value: 'cached-token', expiresAt: Date.now() + 3600_000 },
      },
    });
    const view = await disconnectMarketo(ports());
    expect(view).toEqual({ configured: false, secretSaved: false });
    expect((await store.getSecrets()).marketo).toEqual({});
    expect((await store.getConnections()).marketo).toEqual({});
    const raw = JSON.stringify(await fakeBrowser.storage.local.get(null));
    expect(raw).not.toContain(emu.info.marketo.clientSecret);
    expect(raw).not.toContain('cached-token');
    const test = await testConnections(ports(), 'marketo');
    expect(test.marketo).toMatchObject({ ok: false, notConfigured: true });
  });

  it('tests: who (the API user) and usage today; a wrong secret is a clear error', async () => {
    await saveMarketoConnection(ports(), marketoRequest());
    const ok = await testConnections(ports(), 'marketo');
    expect(ok.marketo).toMatchObject({
      ok: true,
      who: { apiUser: 'apis@emulator.example.com' },
      usage: { budget: 10_000 },
    });
    await saveMarketoConnection(ports(), marketoRequest('wrong-secret'));
    const bad = await testConnections(ports(), 'marketo');
    expect(bad.marketo).toMatchObject({ ok: false });
    expect(bad.marketo?.ok === false && bad.marketo.error).toMatch(/rejected the client id\/secret/);
    expect(JSON.stringify(bad)).not.toContain('wrong-secret');
  });
});

describe('test connections', () => {
  it('shows who, API usage and the pre-flight of the emulator hidden/read-only/formula fields', async () => {
    tabUrl = await logIn();
    await detectSalesforceSession(ports());
    await saveMarketoConnection(ports(), marketoRequest());
    const settings = await store.getSettings();
    settings.objects.Lead!.fields.push(
      { salesforceField: 'Internal_Notes__c', marketoField: 'notes', direction: 'pull' },
      { salesforceField: 'Territory__c', marketoField: 'territory', direction: 'both' },
      { salesforceField: 'Email_Domain__c', marketoField: 'emailDomain', direction: 'pull' },
    );
    expect((await store.saveSettings(settings)).ok).toBe(true);

    const report = await testConnections(ports());
    expect(report.marketo?.ok).toBe(true);
    const sf = report.salesforce!;
    if (!sf.ok) throw new Error(sf.error);
    expect(sf.who).toMatchObject({ username: 'sync.admin@emulator.example', isAdmin: true });
    expect(sf.usage.max).toBe(15_000);
    expect(sf.usage.budget).toBe(7_500);
    const lead = sf.preflight!.filter((f) => f.object === 'Lead').map((f) => [f.kind, f.field]);
    expect(lead).toEqual(
      expect.arrayContaining([
        ['field-unreadable', 'Internal_Notes__c'],
        ['field-read-only', 'Territory__c'],
        ['formula-field', 'Email_Domain__c'],
      ]),
    );
    // The page shows the last report again after a reload.
    expect((await connectionsView(ports())).lastTest?.checkedAt).toBe(report.checkedAt);
  });

  it('says what is missing when nothing is connected', async () => {
    const report = await testConnections(ports());
    expect(report.salesforce).toMatchObject({ ok: false, notConfigured: true });
    expect(report.marketo).toMatchObject({ ok: false, notConfigured: true });
  });

  it('suggests mapping fields from both describes, formula fields marked', async () => {
    tabUrl = await logIn();
    await detectSalesforceSession(ports());
    await saveMarketoConnection(ports(), marketoRequest());
    const fields = await objectFields(ports(), 'Lead');
    expect(fields.error).toBeUndefined();
    expect(fields.salesforce.find((f) => f.name === 'Email_Domain__c')?.formula).toBe(true);
    expect(fields.salesforce.some((f) => f.name === 'Internal_Notes__c')).toBe(false);
    expect(fields.marketo.some((f) => f.name === 'email')).toBe(true);
  });
});

describe('through the message router', () => {
  const EXT = 'chrome-extension://test-extension-id';
  const send = (sender: chrome.runtime.MessageSender) =>
    createMessageClient({
      async sendMessage(message) {
        const answers = await fakeBrowser.runtime.onMessage.trigger(message, sender);
        return answers.find((a) => a !== undefined);
      },
    });

  it('answers the options page, refuses content scripts, and logs no secret', async () => {
    const logged: unknown[] = [];
    const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args) => {
        logged.push(...args);
      }),
    );
    const runtime = {
      id: 'test-extension-id',
      getURL: (path: string) => `${EXT}${path}`,
      onMessage: fakeBrowser.runtime.onMessage,
    };
    registerConnectionHandlers(createMessageRouter(runtime), ports());
    const page = send({ id: 'test-extension-id', url: `${EXT}/options.html`, origin: EXT });
    const saved = await page('saveMarketoConnection', marketoRequest('wrong-secret-123'));
    expect(saved.secretSaved).toBe(true);
    const test = await page('testConnections', { only: 'marketo' });
    expect(test.marketo?.ok).toBe(false);
    const view = await page('getConnections');
    expect(JSON.stringify([saved, test, view])).not.toContain('wrong-secret-123');

    const bad = await page('saveMarketoConnection', { ...marketoRequest(), restEndpoint: 'not a url' }).catch(
      (e: MessageError) => e,
    );
    expect((bad as MessageError).code).toBe('invalid-request');
    expect((bad as MessageError).issues.map((i) => i.path)).toEqual(['restEndpoint']);

    const contentScript = send({
      id: 'test-extension-id',
      url: `${emu.info.salesforce.url}/lightning/o/Lead/list`,
      origin: emu.info.salesforce.url,
      tab: { id: 3 } as chrome.tabs.Tab,
    });
    const refused = await contentScript('getConnections').catch((e: MessageError) => e);
    expect((refused as MessageError).code).toBe('refused-sender');
    for (const spy of spies) spy.mockRestore();
    expect(JSON.stringify(logged)).not.toContain('wrong-secret-123');
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
  });
});
