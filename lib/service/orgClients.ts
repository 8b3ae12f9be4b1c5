// An org's Salesforce and Marketo clients, built the way `npm run sync` builds them
// (scripts/sync.ts), with secrets read through their references (secrets.ts) when first needed and
// again when the API refuses them: a rotated token file is picked up without restarting workers.
// A worker keeps an org's clients between cycles (the Marketo token, the describe cache, Marketo's
// rate limiter) for as long as the org's config stays the same.
import { ApiCallCounter, type ClockPort } from '../http/ports';
import { createMarketoClient, type MarketoClient } from '../marketo';
import type { MarketoRateLimits } from '../marketo/rateLimiter';
import { OAuthTokenSource } from '../salesforce/auth/oauthTokenSource';
import { SalesforceClient } from '../salesforce/client';
import { LOGIN_AGAIN_HINT, SalesforceApiError } from '../salesforce/errors';
import type { SalesforceSession, TokenSource } from '../salesforce/transport';
import type { OrgConfig } from './orgConfig';
import { readSecret } from './secrets';

export interface OrgClients {
  salesforce: SalesforceClient;
  marketo: MarketoClient;
}

/**
 * What a worker's clients run on besides the org's config: the clock their back-offs, rate limiter
 * and token lifetimes read (default: the system's), and the per-request timeout (default: each
 * client's own, 60 s for Salesforce, 120 s for Marketo). The soak runs its workers on the
 * emulator's simulated time with short timeouts (scripts/soak/serviceWorld.ts).
 */
export interface ClientRuntime {
  clock?: ClockPort;
  requestTimeoutMs?: number;
  /** Overrides of Marketo's rate limits (default: Marketo's own, 100 calls / 20 s; workerProcess.ts). */
  marketoLimits?: Partial<MarketoRateLimits>;
}

/**
 * The access token from its reference; after a 401, the reference again (an operator may have
 * rotated it), then the refresh token if the org has OAuth refresh credentials. The reference
 * counts as rotated only when it reads differently from the last time: once a refresh has replaced
 * the token, the reference still holds the first one, long expired, and must not be taken back.
 */
export function secretTokenSource(config: OrgConfig['salesforce'], runtime: ClientRuntime = {}): TokenSource {
  let lastRead: string | undefined;
  const read = (): SalesforceSession => {
    lastRead = readSecret(config.token, 'Salesforce access token');
    return { instanceUrl: config.instanceUrl, accessToken: lastRead };
  };
  let current: SalesforceSession | undefined;
  let oauth: OAuthTokenSource | undefined;
  return {
    session: async () => {
      current ??= read();
      return current;
    },
    refresh: async (expired) => {
      const before = lastRead;
      const reread = read();
      if (reread.accessToken !== before && reread.accessToken !== expired.accessToken) {
        current = reread;
        return current;
      }
      if (!config.refresh)
        throw new SalesforceApiError(
          'INVALID_SESSION_ID',
          `The Salesforce access token was refused and the org has no refresh credentials; ${LOGIN_AGAIN_HINT}`,
          'session',
          'auth',
          401,
        );
      const { refresh } = config;
      oauth ??= new OAuthTokenSource(
        {
          fetch: (input, init) => fetch(input, init),
          ...(runtime.clock && { clock: runtime.clock }),
          ...(runtime.requestTimeoutMs && { timeoutMs: runtime.requestTimeoutMs }),
        },
        {
          loginUrl: refresh.loginUrl,
          clientId: refresh.clientId,
          redirectUri: `${refresh.loginUrl}/services/oauth2/success`,
        },
        { ...expired, refreshToken: readSecret(refresh.token, 'Salesforce refresh token') },
      );
      current = await oauth.refresh(expired);
      return current;
    },
  };
}

export function buildOrgClients(config: OrgConfig, runtime: ClientRuntime = {}): OrgClients {
  const salesforce = new SalesforceClient({
    fetch: (input, init) => fetch(input, init),
    counter: new ApiCallCounter(),
    tokens: secretTokenSource(config.salesforce, runtime),
    clientName: 'SalesforceSyncStatusService',
    ...(runtime.clock && { clock: runtime.clock }),
    ...(runtime.requestTimeoutMs && { timeoutMs: runtime.requestTimeoutMs }),
  });
  const marketo = createMarketoClient({
    fetch: (input, init) => fetch(input, init),
    ...(runtime.clock && { clock: runtime.clock }),
    ...(runtime.requestTimeoutMs && { requestTimeoutMs: runtime.requestTimeoutMs }),
    ...(runtime.marketoLimits && { limits: runtime.marketoLimits }),
    // Asked at each token fetch, so a rotated secret is used from the next token on.
    credentials: () => ({
      endpoint: `${config.marketo.restUrl}/rest`,
      clientId: config.marketo.clientId,
      clientSecret: readSecret(config.marketo.clientSecret, 'Marketo client secret'),
    }),
  });
  return { salesforce, marketo };
}

/** Clients per org, rebuilt when the org's connection config changes. */
export class OrgClientCache {
  private readonly byOrg = new Map<string, { key: string; clients: OrgClients }>();

  constructor(private readonly runtime: ClientRuntime = {}) {}

  get(config: OrgConfig): OrgClients {
    const key = JSON.stringify([config.salesforce, config.marketo]);
    const cached = this.byOrg.get(config.id);
    if (cached?.key === key) return cached.clients;
    const clients = buildOrgClients(config, this.runtime);
    this.byOrg.set(config.id, { key, clients });
    return clients;
  }
}
