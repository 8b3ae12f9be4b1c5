// Sessions against the emulator over real HTTP: discovery from the cookies the emulator's /login
// set (held in a plain in-memory jar), UI-only and expired sessions, and the OAuth web-server
// flow with PKCE: authorize, code exchange, refresh on 401 with one retry, revoke.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCookieJar } from '../../lib/salesforce/auth/cookieJar';
import {
  authorize,
  buildAuthorizeUrl,
  exchangeCode,
  type OAuthConfig,
  type OAuthTokens,
  type WebAuthFlowPort,
} from '../../lib/salesforce/auth/oauth';
import { OAuthTokenSource } from '../../lib/salesforce/auth/oauthTokenSource';
import { BrowserSessionTokenSource, discoverSession } from '../../lib/salesforce/auth/session';
import { SalesforceApiError } from '../../lib/salesforce/errors';
import { realFetch, type SalesforceHarness, startSalesforce } from './salesforce-client.harness';

let h: SalesforceHarness;
let leadId: string;

beforeAll(async () => {
  h = await startSalesforce({ seed: 'demo' });
  leadId = h.emu.salesforce.store.table('Lead').records.keys().next().value as string;
});
afterAll(async () => {
  await h.emu.stop();
});
beforeEach(() => {
  h.counter.reset();
  h.emu.control.clearFaults();
  h.emu.control.blockOAuthApp({ blocked: false });
});

const calls = (endpoint: string) => h.counter.snapshot()[`salesforce ${endpoint}`] ?? 0;

/** Logs in through the emulator's login form, as the admin would in the browser. */
async function logIn(jar: MemoryCookieJar, user: 'admin' | 'standard' = 'admin'): Promise<string> {
  const id =
    user === 'admin' ? h.emu.salesforce.principals.adminUserId : h.emu.salesforce.principals.standardUserId;
  const username = h.emu.control.sfGet({ id })!.Username as string;
  const pageUrl = `${h.url}/lightning/r/Lead/${leadId}/view`;
  const response = await fetch(`${h.url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, pw: 'x', startURL: new URL(pageUrl).pathname }).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  jar.setFromResponse(`${h.url}/login`, response);
  return pageUrl;
}

describe('browser session discovery', () => {
  it('finds the sid the login set and calls the API with it', async () => {
    const jar = new MemoryCookieJar();
    const pageUrl = await logIn(jar);
    const session = await discoverSession(jar, pageUrl);
    expect(session.instanceUrl).toBe(h.url);
    expect(session.orgId).toBe(h.emu.info.salesforce.orgId.slice(0, 15));
    const client = h.makeClient({ tokens: new BrowserSessionTokenSource(jar, () => pageUrl) });
    const me = await client.currentUser();
    expect(me.id).toBe(h.emu.salesforce.principals.adminUserId);
  });

  it('without a login there is no session: a clear "log in" error and no API call', async () => {
    const client = h.makeClient({
      tokens: new BrowserSessionTokenSource(new MemoryCookieJar(), () => `${h.url}/lightning/o/Lead/list`),
    });
    const error = await client.count('SELECT COUNT() FROM Lead').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ errorCode: 'NO_SESSION', kind: 'auth' });
    expect(error.message).toMatch(/log in/);
    expect(h.counter.total('salesforce')).toBe(0);
  });

  it('a UI-only session gets "open Salesforce and log in again", without a refresh loop', async () => {
    const jar = new MemoryCookieJar();
    const { sid } = h.emu.control.sfCreateSession({ kind: 'ui' });
    jar.set({ name: 'sid', value: sid, domain: '127.0.0.1' });
    const client = h.makeClient({
      tokens: new BrowserSessionTokenSource(jar, () => `${h.url}/lightning/o/Lead/list`),
    });
    const error = await client.count('SELECT COUNT() FROM Lead').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      httpStatus: 401,
      kind: 'auth',
      retryable: false,
    });
    expect(error.message).toMatch(
      /not valid for use with the REST API.*open Salesforce in a tab and log in again/,
    );
    expect(calls('query')).toBe(1);
  });

  it('an expired session asks to log in again; after a new login the same client works', async () => {
    const jar = new MemoryCookieJar();
    const pageUrl = await logIn(jar);
    const client = h.makeClient({ tokens: new BrowserSessionTokenSource(jar, () => pageUrl) });
    expect(await client.count('SELECT COUNT() FROM Account')).toBeGreaterThan(0);
    const old = (await jar.get(pageUrl, 'sid'))!.value;
    h.emu.control.expireSessions({ token: old });
    const error = await client.count('SELECT COUNT() FROM Account').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error.message).toMatch(/expired.*log in again/);
    await logIn(jar);
    expect((await jar.get(pageUrl, 'sid'))!.value).not.toBe(old);
    expect(await client.count('SELECT COUNT() FROM Account')).toBeGreaterThan(0);
  });

  it('picks up a new login at the moment the old session expires (one refresh, one retry)', async () => {
    const jar = new MemoryCookieJar();
    const pageUrl = await logIn(jar);
    const client = h.makeClient({ tokens: new BrowserSessionTokenSource(jar, () => pageUrl) });
    expect(await client.count('SELECT COUNT() FROM Account')).toBeGreaterThan(0);
    h.emu.control.expireSessions({ token: (await jar.get(pageUrl, 'sid'))!.value });
    await logIn(jar);
    h.counter.reset();
    expect(await client.count('SELECT COUNT() FROM Account')).toBeGreaterThan(0);
    expect(calls('query')).toBe(2);
  });
});

describe('OAuth web-server flow with PKCE', () => {
  const config = (): OAuthConfig => ({
    loginUrl: h.url,
    clientId: h.emu.info.salesforce.clientId,
    redirectUri: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/cb',
  });
  let lastAuthorizeUrl = '';
  /** Stands in for launchWebAuthFlow: the emulator's authorize page redirects at once. */
  const launch: WebAuthFlowPort = async (url) => {
    lastAuthorizeUrl = url;
    const response = await fetch(url, { redirect: 'manual' });
    return response.headers.get('location') ?? '';
  };
  const deps = () => ({ fetch: realFetch, counter: h.counter, clock: h.clock });

  it('authorizes with state and an S256 challenge, then calls the API with the token', async () => {
    const tokens = await authorize(deps(), config(), launch);
    const params = new URL(lastAuthorizeUrl).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')?.length).toBeGreaterThan(20);
    expect(params.get('scope')).toBe('api refresh_token');
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.instanceUrl).toBe(h.url);
    const client = h.makeClient({ tokens: new OAuthTokenSource(deps(), config(), tokens) });
    expect((await client.currentUser()).isAdmin).toBe(true);
    expect(calls('oauth2/token')).toBe(1);
  });

  it('refreshes once on 401 INVALID_SESSION_ID, retries the call and saves the new token', async () => {
    const tokens = await authorize(deps(), config(), launch);
    const saved: OAuthTokens[] = [];
    const source = new OAuthTokenSource(deps(), config(), tokens, async (t) => {
      saved.push(t);
    });
    const client = h.makeClient({ tokens: source });
    h.emu.control.expireSessions({ token: tokens.accessToken });
    h.counter.reset();
    expect(await client.count('SELECT COUNT() FROM Lead')).toBeGreaterThan(0);
    expect(calls('query')).toBe(2);
    expect(calls('oauth2/token')).toBe(1);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.accessToken).not.toBe(tokens.accessToken);
    expect(saved[0]!.refreshToken).toBe(tokens.refreshToken);

    // userinfo answers an expired token with a plain-text 403 Bad_OAuth_Token: refreshed too.
    h.emu.control.expireSessions({ token: saved[0]!.accessToken });
    h.counter.reset();
    expect((await client.currentUser()).isAdmin).toBe(true);
    expect(calls('userinfo')).toBe(2);
    expect(saved).toHaveLength(2);

    // Parallel calls that all meet the expired token share one refresh.
    h.emu.control.expireSessions({ token: saved[1]!.accessToken });
    h.counter.reset();
    const counts = await Promise.all([1, 2, 3].map(() => client.count('SELECT COUNT() FROM Account')));
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(calls('oauth2/token')).toBe(1);
  });

  it('after revoke, the refresh is refused: invalid_grant with "log in again", no loop', async () => {
    const tokens = await authorize(deps(), config(), launch);
    const source = new OAuthTokenSource(deps(), config(), tokens);
    const client = h.makeClient({ tokens: source });
    await source.revoke();
    h.counter.reset();
    const error = await client.count('SELECT COUNT() FROM Lead').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ errorCode: 'invalid_grant', kind: 'auth', httpStatus: 400 });
    expect(error.message).toMatch(/log in again/);
    expect(calls('query')).toBe(1);
    expect(calls('oauth2/token')).toBe(1);
  });

  it('reports an app blocked by the admin from the redirect', async () => {
    h.emu.control.blockOAuthApp({ blocked: true });
    const error = await authorize(deps(), config(), launch).catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error.errorCode).toBe('OAUTH_APP_BLOCKED');
    expect(error.message).toMatch(/blocked by admin/);
  });

  it('refuses a redirect whose state is not ours', async () => {
    const forged: WebAuthFlowPort = async (url) => {
      const location = new URL(await launch(url));
      location.searchParams.set('state', 'someone-else');
      return location.toString();
    };
    const error = await authorize(deps(), config(), forged).catch((e) => e);
    expect(error).toMatchObject({ errorCode: 'OAUTH_STATE_MISMATCH', kind: 'auth' });
    expect(calls('oauth2/token')).toBe(0);
  });

  it('the code exchange fails without the matching verifier', async () => {
    const redirect = new URL(
      await launch(buildAuthorizeUrl(config(), 's', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')),
    );
    const code = redirect.searchParams.get('code')!;
    const error = await exchangeCode(
      deps(),
      config(),
      code,
      'not-the-verifier-not-the-verifier-not-the-ver',
    ).catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ errorCode: 'invalid_request', kind: 'auth', httpStatus: 400 });
  });
});
