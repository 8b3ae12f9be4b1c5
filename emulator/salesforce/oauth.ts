// OAuth 2.0 web-server flow with PKCE (api-facts A2.2): /services/oauth2/authorize auto-consents
// and redirects with code+state; /token exchanges codes (S256 check) and refresh tokens; /revoke;
// plus /services/oauth2/userinfo and the identity URL (/id/{orgId}/{userId}) that the token
// response's `id` points to — clients read the user id and time zone (`zoneinfo`) there.
import { createHash } from 'node:crypto';
import { type HttpReply, html, json, redirect } from '../http';
import type { SalesforceOrg } from './org';
import { UserContext } from './users';

const oauthError = (error: string, description: string, status = 400): HttpReply =>
  json(status, { error, error_description: description });

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** GET /services/oauth2/authorize. User: the sid cookie's user, else login_hint, else the admin. */
export function authorize(org: SalesforceOrg, url: URL, cookieSid: string | undefined): HttpReply {
  const p = url.searchParams;
  const clientId = p.get('client_id');
  const redirectUri = p.get('redirect_uri') ?? '';
  if (clientId !== org.options.clientId)
    return html(400, '<h1>error=invalid_client_id</h1><p>client identifier invalid</p>');
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return html(400, '<h1>error=redirect_uri_mismatch</h1><p>redirect_uri must match configuration</p>');
  }
  if (org.options.redirectUris.length && !org.options.redirectUris.includes(redirectUri)) {
    return html(400, '<h1>error=redirect_uri_mismatch</h1><p>redirect_uri must match configuration</p>');
  }
  const state = p.get('state');
  const back = (params: Record<string, string>) =>
    redirect(withParams(target.toString(), state === null ? params : { ...params, state }));
  if (p.get('response_type') !== 'code')
    return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
  if (org.oauthBlocked)
    return back({ error: 'OAUTH_APP_BLOCKED', error_description: 'this app is blocked by admin' });
  const method = p.get('code_challenge_method') ?? (p.get('code_challenge') ? 'S256' : undefined);
  if (method && method !== 'S256')
    return back({ error: 'invalid_request', error_description: 'invalid code_challenge_method' });
  const fromCookie = cookieSid ? org.auth.check(cookieSid) : undefined;
  const hint = p.get('login_hint');
  const hinted = hint ? findUserByUsername(org, hint) : undefined;
  const userId = fromCookie?.ok ? fromCookie.session.userId : (hinted ?? org.principals.adminUserId);
  const code = org.auth.createCode({
    userId,
    clientId,
    redirectUri,
    scope: p.get('scope') ?? 'api refresh_token',
    challenge: p.get('code_challenge') ?? undefined,
    challengeMethod: method,
  });
  return back({ code: code.code });
}

export function findUserByUsername(org: SalesforceOrg, username: string): string | undefined {
  return org.store.findUnique('User', 'Username', username);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function tokenResponse(
  org: SalesforceOrg,
  userId: string,
  scope: string,
  accessToken: string,
  refreshToken?: string,
) {
  const issuedAt = String(org.clock.now());
  const id = `${org.baseUrl}/id/${org.principals.orgId}/${userId}`;
  return {
    access_token: accessToken,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    signature: createHash('sha256')
      .update(id + issuedAt)
      .digest('base64'),
    scope,
    instance_url: org.baseUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

/** POST /services/oauth2/token (form-encoded). */
export function token(org: SalesforceOrg, rawBody: string): HttpReply {
  const p = new URLSearchParams(rawBody);
  const grant = p.get('grant_type');
  const clientId = p.get('client_id');
  if (grant !== 'authorization_code' && grant !== 'refresh_token')
    return oauthError('unsupported_grant_type', 'grant type not supported');
  if (clientId !== org.options.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
  const secret = p.get('client_secret');
  if (org.options.clientSecret !== undefined && secret !== org.options.clientSecret) {
    return oauthError('invalid_client', 'invalid client credentials');
  }
  if (grant === 'refresh_token') {
    const rt = org.auth.refreshTokens.get(p.get('refresh_token') ?? '');
    if (!rt || rt.revoked || rt.clientId !== clientId)
      return oauthError('invalid_grant', 'expired access/refresh token');
    if (!UserContext.load(org.store, rt.userId)) return oauthError('inactive_user', 'user is inactive');
    const session = org.auth.createSession(rt.userId, 'oauth', rt.token);
    return json(200, tokenResponse(org, rt.userId, rt.scope, session.token));
  }
  const code = org.auth.codes.get(p.get('code') ?? '');
  if (!code || code.used || code.expiresAt < org.clock.now() || code.clientId !== clientId) {
    return oauthError('invalid_grant', 'invalid authorization code');
  }
  if ((p.get('redirect_uri') ?? '') !== code.redirectUri)
    return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  const verifier = p.get('code_verifier');
  if (code.challenge) {
    // api-facts A2.2: a missing verifier is invalid_grant, a mismatching one invalid_request.
    if (!verifier) return oauthError('invalid_grant', 'invalid code verifier');
    if (s256(verifier) !== code.challenge) return oauthError('invalid_request', 'invalid code verifier');
  }
  code.used = true;
  const wantsRefresh = /\b(refresh_token|offline_access)\b/.test(code.scope);
  const rt = wantsRefresh ? org.auth.createRefreshToken(code.userId, clientId, code.scope) : undefined;
  const session = org.auth.createSession(code.userId, 'oauth', rt?.token);
  return json(200, tokenResponse(org, code.userId, code.scope, session.token, rt?.token));
}

/** POST /services/oauth2/revoke with token=… (form) or GET ?token=… */
export function revoke(org: SalesforceOrg, url: URL, rawBody: string): HttpReply {
  const tokenValue = new URLSearchParams(rawBody).get('token') ?? url.searchParams.get('token') ?? '';
  if (!org.auth.revoke(tokenValue))
    return oauthError('unsupported_token_type', 'this token type is not supported');
  return { status: 200, text: '', headers: { 'Content-Type': 'text/plain' } };
}

function bearer(header: string | undefined): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header ?? '');
  return m?.[1]?.trim();
}

function identityBody(org: SalesforceOrg, user: UserContext) {
  const u = user.user;
  const base = org.baseUrl;
  const v = `${org.options.maxApiVersion}.0`;
  return {
    id: `${base}/id/${org.principals.orgId}/${user.id}`,
    asserted_user: true,
    user_id: user.id,
    organization_id: org.principals.orgId,
    username: u.Username,
    nick_name: u.Alias,
    display_name: u.Name,
    email: u.Email,
    email_verified: true,
    first_name: u.FirstName,
    last_name: u.LastName,
    timezone: u.TimeZoneSidKey,
    zoneinfo: u.TimeZoneSidKey,
    locale: u.LocaleSidKey,
    language: u.LanguageLocaleKey,
    active: u.IsActive,
    user_type: 'STANDARD',
    urls: {
      enterprise: `${base}/services/Soap/c/{version}/${org.principals.orgId.slice(0, 15)}`,
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      query: `${base}/services/data/v{version}/query/`,
      profile: `${base}/${user.id}`,
      custom_domain: base,
    },
    is_app_installed: true,
    last_modified_date: new Date(u.LastModifiedDate as number).toISOString().replace('Z', '+0000'),
    api_version: v,
  };
}

/** GET /services/oauth2/userinfo (OpenID Connect shape) and GET /id/{orgId}/{userId}. */
export function userinfo(
  org: SalesforceOrg,
  authorization: string | undefined,
  identityPath?: string,
): HttpReply {
  const check = org.auth.check(bearer(authorization));
  if (!check.ok) return { status: 403, text: 'Bad_OAuth_Token', headers: { 'Content-Type': 'text/plain' } };
  const user = UserContext.load(org.store, check.session.userId);
  if (!user) return { status: 403, text: 'Bad_OAuth_Token', headers: { 'Content-Type': 'text/plain' } };
  const body = identityBody(org, user);
  if (identityPath !== undefined) {
    if (
      identityPath !== `${org.principals.orgId}/${user.id}` &&
      identityPath !== `${org.principals.orgId.slice(0, 15)}/${user.id.slice(0, 15)}`
    ) {
      return json(403, { error: 'forbidden', error_description: 'identity of another user' });
    }
    return json(200, body);
  }
  return json(200, {
    sub: body.id,
    user_id: user.id,
    organization_id: org.principals.orgId,
    preferred_username: body.username,
    nickname: body.nick_name,
    name: body.display_name,
    email: body.email,
    email_verified: true,
    given_name: body.first_name,
    family_name: body.last_name,
    zoneinfo: body.zoneinfo,
    locale: body.locale,
    language: body.language,
    active: body.active,
    user_type: body.user_type,
    urls: body.urls,
    is_app_installed: true,
    updated_at: body.last_modified_date,
  });
}

export { bearer };
