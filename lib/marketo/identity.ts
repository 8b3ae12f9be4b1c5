// Access tokens from Marketo's identity service (api-facts B1): client-credentials grant, a token
// lives 3,600 s, and asking again before it expires returns the *same* token with its remaining
// life. Identity calls don't count against the call limits, so they bypass the rate limiter.
import { z } from 'zod';
import { parseWith, readJson } from '../http/parse';
import type { ApiCallCounter, ClockPort, FetchPort } from '../http/ports';
import { fetchWithTimeout, type RetryPolicy, withRetry } from '../http/retry';
import { MarketoApiError, transportError } from './errors';
import { identityErrorSchema, tokenSchema } from './schemas';

export const marketoCredentialsSchema = z.object({
  /** The REST endpoint from Admin > Web Services, e.g. https://284-RPR-133.mktorest.com/rest */
  endpoint: z.url(),
  /** The identity endpoint; defaults to the endpoint's host + /identity. */
  identityUrl: z.url().optional(),
  clientId: z.string().trim().min(1),
  clientSecret: z.string().trim().min(1),
});
export type MarketoCredentials = z.input<typeof marketoCredentialsSchema>;

/** Where the client reads its credentials (the background reads them from storage.local). */
export type MarketoCredentialsPort = () => MarketoCredentials | Promise<MarketoCredentials>;

export interface MarketoSession {
  accessToken: string;
  /** Origin (+ any path prefix) that `/rest/v1/…` and `/rest/asset/v1/…` are appended to. */
  baseUrl: string;
}

const IDENTITY_ENDPOINT = 'POST /identity/oauth/token';

/** Accepts the endpoint with or without its `/rest` suffix and trailing slash. */
export function marketoBaseUrl(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/rest$/, '');
}

function tokenUrl(credentials: z.output<typeof marketoCredentialsSchema>): string {
  const identity = (credentials.identityUrl ?? `${marketoBaseUrl(credentials.endpoint)}/identity`).replace(
    /\/+$/,
    '',
  );
  return identity.endsWith('/oauth/token') ? identity : `${identity}/oauth/token`;
}

export interface IdentityOptions {
  fetch: FetchPort;
  clock: ClockPort;
  credentials: MarketoCredentialsPort;
  counter: ApiCallCounter;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  /** Refresh this long before `expires_in` runs out (capped at half the token's life). */
  refreshMarginMs: number;
}

interface CachedToken {
  session: MarketoSession;
  refreshAt: number;
}

export class MarketoTokenProvider {
  private cached: CachedToken | undefined;
  private pending: Promise<MarketoSession> | undefined;

  constructor(private readonly options: IdentityOptions) {}

  /** A valid session; concurrent callers share one identity call. */
  async session(): Promise<MarketoSession> {
    if (this.cached && this.options.clock.now() < this.cached.refreshAt) return this.cached.session;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Drops `accessToken` after Marketo refused it (601/602), unless a newer one replaced it already. */
  invalidate(accessToken: string): void {
    if (this.cached?.session.accessToken === accessToken) this.cached = undefined;
  }

  /** Forgets everything, e.g. after the user changed the credentials. */
  reset(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<MarketoSession> {
    const { clock, retry } = this.options;
    const credentials = await this.readCredentials();
    const previous = this.cached?.session.accessToken;
    const token = await withRetry(
      clock,
      retry,
      () => this.requestToken(credentials),
      (error) => error instanceof MarketoApiError && error.retryable,
      (error) => (error instanceof MarketoApiError ? error.retryAfterMs : undefined),
    );
    const now = clock.now();
    const lifeMs = token.expires_in * 1000;
    // Refreshing early hands back the same token with only its remainder left; then use it to
    // the end (a 602 in the last second triggers one re-authentication) instead of asking again.
    const margin =
      token.access_token === previous ? 1_000 : Math.min(this.options.refreshMarginMs, lifeMs / 2);
    this.cached = {
      session: { accessToken: token.access_token, baseUrl: marketoBaseUrl(credentials.endpoint) },
      refreshAt: now + Math.max(0, lifeMs - margin),
    };
    return this.cached.session;
  }

  private async readCredentials() {
    const raw = await this.options.credentials();
    const parsed = marketoCredentialsSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MarketoApiError(
        'NOT_CONFIGURED',
        `Marketo connection settings are incomplete: field "${issue?.path.join('.')}" ${issue?.message}`,
        IDENTITY_ENDPOINT,
        false,
        'auth',
      );
    }
    return parsed.data;
  }

  private async requestToken(credentials: z.output<typeof marketoCredentialsSchema>) {
    const { fetch, counter, requestTimeoutMs } = this.options;
    // POST with a form body keeps the secret out of URLs (and so out of proxies' logs).
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    counter.add('marketo', IDENTITY_ENDPOINT);
    let response: Response;
    let body: unknown;
    try {
      response = await fetchWithTimeout(
        fetch,
        tokenUrl(credentials),
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: form.toString(),
        },
        requestTimeoutMs,
      );
      if (response.status >= 500) {
        await response.text();
        throw new MarketoApiError(
          `HTTP ${response.status}`,
          'Marketo identity service failed',
          IDENTITY_ENDPOINT,
          true,
          'transient',
          undefined,
          response.status,
        );
      }
      body = await readJson(response, IDENTITY_ENDPOINT);
    } catch (error) {
      throw transportError(error, IDENTITY_ENDPOINT);
    }
    if (response.status === 401 || response.status === 400 || response.status === 403) {
      const refusal = identityErrorSchema.safeParse(body);
      const detail = refusal.success ? (refusal.data.error_description ?? refusal.data.error) : 'no detail';
      throw new MarketoApiError(
        refusal.success ? refusal.data.error : `HTTP ${response.status}`,
        `Marketo rejected the client id/secret (${detail})`,
        IDENTITY_ENDPOINT,
        false,
        'auth',
        undefined,
        response.status,
      );
    }
    return parseWith(tokenSchema, body, IDENTITY_ENDPOINT);
  }
}
