// OAuth 2.0 web-server flow with PKCE (S256) for a dedicated sync user (api-facts A2.2).
// The extension is a public client: no secret ships with it; the PKCE verifier proves that the
// code exchange comes from whoever started the flow. Salesforce gives no `expires_in`: an access
// token is known to be expired only when a call answers 401, and then the refresh token is used.
// The browser part (opening the authorize page) is a port: the background wires
// browser.identity.launchWebAuthFlow.
import { parseWith, readJson } from '../../http/parse';
import { type ApiCallCounter, type ClockPort, type FetchPort, systemClock } from '../../http/ports';
import { defaultRetryPolicy, fetchWithTimeout, type RetryPolicy, withRetry } from '../../http/retry';
import { isRetryableSalesforceError, LOGIN_AGAIN_HINT, SalesforceApiError } from '../errors';
import { OAuthErrorBody, TokenResponse } from '../schemas';

/** Opens the authorize URL and resolves with the URL Salesforce redirected back to. */
export type WebAuthFlowPort = (authorizeUrl: string) => Promise<string>;

export interface OAuthConfig {
  /** https://login.salesforce.com, https://test.salesforce.com, a My Domain, or the emulator. */
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  /** Default "api refresh_token". */
  scope?: string;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  instanceUrl: string;
  /** The identity URL: …/id/{orgId}/{userId}. */
  identityUrl?: string;
}

export interface OAuthDeps {
  fetch: FetchPort;
  clock?: ClockPort;
  counter?: ApiCallCounter;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function randomToken(bytes: number): string {
  return base64Url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A fresh verifier (43+ chars of base64url) and its S256 challenge. */
export async function createPkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(48);
  return { verifier, challenge: await pkceChallenge(verifier) };
}

export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

const origin = (url: string) => new URL(url).origin;

export function buildAuthorizeUrl(config: OAuthConfig, state: string, codeChallenge: string): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scope ?? 'api refresh_token',
    state,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${origin(config.loginUrl)}/services/oauth2/authorize?${params}`;
}

async function postForm(deps: OAuthDeps, url: string, endpoint: string, form: Record<string, string>) {
  const clock = deps.clock ?? systemClock;
  return withRetry(
    clock,
    deps.retry ?? defaultRetryPolicy,
    async () => {
      deps.counter?.add('salesforce', endpoint);
      let response: Response;
      try {
        response = await fetchWithTimeout(
          deps.fetch,
          url,
          {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: new URLSearchParams(form).toString(),
          },
          deps.timeoutMs ?? 30_000,
        );
      } catch (error) {
        const timeout = error instanceof Error && error.name === 'TimeoutError';
        throw new SalesforceApiError(
          timeout ? 'TIMEOUT' : 'NETWORK_ERROR',
          `Could not reach Salesforce (${error instanceof Error ? error.message : String(error)})`,
          endpoint,
          timeout ? 'timeout' : 'network',
        );
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        throw new SalesforceApiError(
          `HTTP_${response.status}`,
          `HTTP ${response.status}`,
          endpoint,
          'transient',
          response.status,
        );
      }
      return response;
    },
    isRetryableSalesforceError,
  );
}

async function tokenRequest(
  deps: OAuthDeps,
  config: OAuthConfig,
  form: Record<string, string>,
): Promise<OAuthTokens> {
  const endpoint = 'oauth2/token';
  const response = await postForm(deps, `${origin(config.loginUrl)}/services/oauth2/token`, endpoint, form);
  const body = await readJson(response, `Salesforce ${endpoint}`);
  if (!response.ok) {
    const error = OAuthErrorBody.safeParse(body);
    const code = error.success ? error.data.error : `HTTP_${response.status}`;
    const detail = error.success ? (error.data.error_description ?? code) : `HTTP ${response.status}`;
    const hint = code === 'invalid_grant' ? `; ${LOGIN_AGAIN_HINT} and connect again` : '';
    throw new SalesforceApiError(
      code,
      `Salesforce refused the token request: ${detail}${hint}`,
      endpoint,
      'auth',
      response.status,
    );
  }
  const token = parseWith(TokenResponse, body, `Salesforce ${endpoint}`);
  return {
    accessToken: token.access_token,
    ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}),
    instanceUrl: token.instance_url,
    ...(token.id ? { identityUrl: token.id } : {}),
  };
}

/** Runs the whole flow: PKCE pair, state, the browser round trip, state check, code exchange. */
export async function authorize(
  deps: OAuthDeps,
  config: OAuthConfig,
  launch: WebAuthFlowPort,
): Promise<OAuthTokens> {
  const { verifier, challenge } = await createPkcePair();
  const state = randomToken(24);
  const redirect = new URL(await launch(buildAuthorizeUrl(config, state, challenge)));
  const params = redirect.searchParams;
  const error = params.get('error');
  if (error) {
    const detail = params.get('error_description') ?? error;
    throw new SalesforceApiError(
      error,
      `Salesforce authorization failed: ${detail}`,
      'oauth2/authorize',
      'auth',
    );
  }
  // A state we did not issue means the redirect was not the answer to our request (CSRF).
  if (params.get('state') !== state) {
    throw new SalesforceApiError(
      'OAUTH_STATE_MISMATCH',
      'OAuth state mismatch; try connecting again',
      'oauth2/authorize',
      'auth',
    );
  }
  const code = params.get('code');
  if (!code)
    throw new SalesforceApiError(
      'OAUTH_NO_CODE',
      'Salesforce redirected without a code',
      'oauth2/authorize',
      'auth',
    );
  return exchangeCode(deps, config, code, verifier);
}

export function exchangeCode(deps: OAuthDeps, config: OAuthConfig, code: string, codeVerifier: string) {
  return tokenRequest(deps, config, {
    grant_type: 'authorization_code',
    code,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    code_verifier: codeVerifier,
  });
}

export function refreshAccessToken(deps: OAuthDeps, config: OAuthConfig, refreshToken: string) {
  return tokenRequest(deps, config, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: config.clientId,
  });
}

/** Revokes a refresh or access token (revoking the refresh token ends the grant). */
export async function revokeToken(deps: OAuthDeps, config: OAuthConfig, token: string): Promise<void> {
  const endpoint = 'oauth2/revoke';
  const response = await postForm(deps, `${origin(config.loginUrl)}/services/oauth2/revoke`, endpoint, {
    token,
  });
  const text = await response.text();
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try {
      const error = OAuthErrorBody.safeParse(JSON.parse(text));
      if (error.success) detail = error.data.error_description ?? error.data.error;
    } catch {
      // Not JSON: keep the status.
    }
    throw new SalesforceApiError(
      'REVOKE_FAILED',
      `Salesforce did not revoke the token: ${detail}`,
      endpoint,
      'request',
      response.status,
    );
  }
}
