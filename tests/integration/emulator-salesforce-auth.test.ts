// Auth on the Salesforce side: sid/Bearer, expiry, UI-only sessions, OAuth web-server flow with
// PKCE (authorize → token → refresh → revoke) and its errors, userinfo/identity, versions.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { sfClient } from '../../emulator/testing';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
});
afterAll(() => emu.stop());

const REDIRECT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/oauth.html';

async function authorize(params: Record<string, string>) {
  const url = new URL('/services/oauth2/authorize', emu.info.salesforce.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return fetch(url, { redirect: 'manual' });
}

async function token(form: Record<string, string>) {
  const res = await fetch(`${emu.info.salesforce.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function codeFor(challenge: string, state = 'xyz'): Promise<string> {
  const res = await authorize({
    response_type: 'code',
    client_id: emu.info.salesforce.clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    scope: 'api refresh_token',
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe(state);
  return location.searchParams.get('code')!;
}

describe('session ids', () => {
  it('accepts the printed sid as a Bearer token; its org id prefix matches orgId', async () => {
    const { sid, orgId } = emu.info.salesforce;
    expect(sid.split('!')[0]).toBe(orgId.slice(0, 15));
    expect(orgId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    const res = await sfClient(emu.info).get('limits');
    expect(res.status).toBe(200);
  });

  it('answers 401 INVALID_SESSION_ID for unknown and expired sessions', async () => {
    const bad = await sfClient(emu.info, '00Dxx!nope').get('limits');
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const { sid } = emu.control.sfCreateSession({ user: 'admin' });
    expect((await sfClient(emu.info, sid).get('limits')).status).toBe(200);
    expect(emu.control.expireSessions({ token: sid }).expired).toBe(1);
    const expired = await sfClient(emu.info, sid).get('limits');
    expect(expired.status).toBe(401);
    expect((expired.body as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_SESSION_ID');
  });

  it('rejects a UI-only session and the Lightning host with the "not valid for REST" message', async () => {
    const { sid } = emu.control.sfCreateSession({ kind: 'ui' });
    const res = await sfClient(emu.info, sid).get('limits');
    expect(res.status).toBe(401);
    expect(res.body).toEqual([
      { message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' },
    ]);
    // fetch cannot set Host; node:http can (the Lightning UI host, where sids are UI-only).
    const url = new URL(`${emu.info.salesforce.url}/services/data/v62.0/limits`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          headers: { Host: 'acme.lightning.force.com', Authorization: `Bearer ${emu.info.salesforce.sid}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
  });

  it('lists versions without auth or a limit header, 410 for retired and 404 for unknown versions', async () => {
    const res = await fetch(`${emu.info.salesforce.url}/services/data/`);
    const versions = (await res.json()) as { label: string; url: string; version: string }[];
    expect(res.headers.get('sforce-limit-info')).toBeNull();
    expect(versions).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    expect((await sfClient(emu.info).get('/services/data/v20.0/limits')).status).toBe(410);
    expect((await sfClient(emu.info).get('/services/data/v99.0/limits')).status).toBe(404);
  });
});

describe('OAuth 2.0 web-server flow with PKCE', () => {
  it('exchanges a code for tokens, uses them, refreshes and revokes', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const res = await token({
      grant_type: 'authorization_code',
      code,
      client_id: emu.info.salesforce.clientId,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      instance_url: emu.info.salesforce.url,
      scope: 'api refresh_token',
    });
    expect(res.body).not.toHaveProperty('expires_in');
    expect(res.body.access_token!.startsWith(`${emu.info.salesforce.orgId.slice(0, 15)}!`)).toBe(true);
    expect(res.body.id).toBe(
      `${emu.info.salesforce.url}/id/${emu.info.salesforce.orgId}/${emu.salesforce.principals.adminUserId}`,
    );
    expect((await sfClient(emu.info, res.body.access_token).get('limits')).status).toBe(200);

    // The identity URL and userinfo give the user id and time zone.
    const identity = await fetch(res.body.id!, {
      headers: { Authorization: `Bearer ${res.body.access_token}` },
    });
    expect(await identity.json()).toMatchObject({
      user_id: emu.salesforce.principals.adminUserId,
      timezone: 'Europe/Amsterdam',
    });
    const info = await sfClient(emu.info, res.body.access_token).get<Record<string, unknown>>(
      '/services/oauth2/userinfo',
    );
    expect(info.body).toMatchObject({
      zoneinfo: 'Europe/Amsterdam',
      organization_id: emu.info.salesforce.orgId,
    });

    // The code is single-use.
    const again = await token({
      grant_type: 'authorization_code',
      code,
      client_id: emu.info.salesforce.clientId,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(again).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'invalid authorization code' },
    });

    emu.control.expireSessions({ token: res.body.access_token });
    expect((await sfClient(emu.info, res.body.access_token).get('limits')).status).toBe(401);
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: res.body.refresh_token!,
      client_id: emu.info.salesforce.clientId,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    expect((await sfClient(emu.info, refreshed.body.access_token).get('limits')).status).toBe(200);

    const revoke = await fetch(`${emu.info.salesforce.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(res.body.refresh_token!)}`,
    });
    expect(revoke.status).toBe(200);
    expect((await sfClient(emu.info, refreshed.body.access_token).get('limits')).status).toBe(401);
    const afterRevoke = await token({
      grant_type: 'refresh_token',
      refresh_token: res.body.refresh_token!,
      client_id: emu.info.salesforce.clientId,
    });
    expect(afterRevoke).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
  });

  it('checks the code verifier, client id, redirect uri and grant type', async () => {
    const { verifier, challenge } = pkce();
    const base = {
      grant_type: 'authorization_code',
      client_id: emu.info.salesforce.clientId,
      redirect_uri: REDIRECT,
    };
    const missing = await token({ ...base, code: await codeFor(challenge) });
    expect(missing.body.error).toBe('invalid_grant');
    const wrong = await token({ ...base, code: await codeFor(challenge), code_verifier: `${verifier}x` });
    expect(wrong).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'invalid code verifier' },
    });
    const badClient = await token({
      ...base,
      client_id: 'other',
      code: await codeFor(challenge),
      code_verifier: verifier,
    });
    expect(badClient.body.error).toBe('invalid_client_id');
    const badRedirect = await token({
      ...base,
      redirect_uri: 'https://evil.example/cb',
      code: await codeFor(challenge),
      code_verifier: verifier,
    });
    expect(badRedirect.body.error).toBe('redirect_uri_mismatch');
    expect(
      (await token({ grant_type: 'password', client_id: emu.info.salesforce.clientId })).body.error,
    ).toBe('unsupported_grant_type');
  });

  it('redirects authorize errors back with state, and refuses unknown clients without redirecting', async () => {
    const res = await authorize({
      response_type: 'token',
      client_id: emu.info.salesforce.clientId,
      redirect_uri: REDIRECT,
      state: 's1',
    });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
    expect(location.searchParams.get('state')).toBe('s1');
    emu.control.blockOAuthApp({ blocked: true });
    const blocked = await authorize({
      response_type: 'code',
      client_id: emu.info.salesforce.clientId,
      redirect_uri: REDIRECT,
    });
    expect(new URL(blocked.headers.get('location')!).searchParams.get('error')).toBe('OAUTH_APP_BLOCKED');
    emu.control.blockOAuthApp({ blocked: false });
    const unknown = await authorize({ response_type: 'code', client_id: 'nope', redirect_uri: REDIRECT });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
  });

  it('issues the token to the user named in login_hint (the non-admin user)', async () => {
    const { verifier, challenge } = pkce();
    const res = await authorize({
      response_type: 'code',
      client_id: emu.info.salesforce.clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      login_hint: 'sam.seller@emulator.example',
    });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const tok = await token({
      grant_type: 'authorization_code',
      code,
      client_id: emu.info.salesforce.clientId,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(tok.body.id!.endsWith(emu.salesforce.principals.standardUserId)).toBe(true);
  });
});
