// An org's Salesforce and Marketo clients, built the way `npm run sync` builds them
// (scripts/sync.ts), with secrets read through their references (secrets.ts) when first needed and
// again when the API refuses them: a rotated token file is picked up without restarting workers.
// A worker keeps an org's clients between cycles (the Marketo token, the describe cache, Marketo's
// rate limiter) for as long as the org's config stays the same.
import { ApiCallCounter } from '../http/ports';
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
 * The access token from its reference; after a 401, the reference again (an operator may have
 * rotated it), then the refresh token if the org has OAuth refresh credentials.
 */
export function secretTokenSource(config: OrgConfig['salesforce']): TokenSource {
  const read = (): SalesforceSession => ({
    instanceUrl: config.instanceUrl,
    accessToken: readSecret(config.token, 'Salesforce access token'),
  });
  let current: SalesforceSession | undefined;
  let oauth: OAuthTokenSource | undefined;
  return {
    session: async () => {
      current ??= read();
      return current;
    },
    refresh: async (expired) => {
      const reread = read();
      if (reread.accessToken !== expired.accessToken) {
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
        { fetch: (input, init) => fetch(input, init) },
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

export function buildOrgClients(config: OrgConfig, marketoLimits?: Partial<MarketoRateLimits>): OrgClients {
  const salesforce = new SalesforceClient({
    fetch: (input, init) => fetch(input, init),
    counter: new ApiCallCounter(),
    tokens: secretTokenSource(config.salesforce),
    clientName: 'SalesforceSyncStatusService',
  });
  const marketo = createMarketoClient({
    fetch: (input, init) => fetch(input, init),
    ...(marketoLimits && { limits: marketoLimits }),
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

  /** marketoLimits: Marketo's own (100 calls / 20 s) unless a worker is told otherwise (workerProcess.ts). */
  constructor(private readonly marketoLimits?: Partial<MarketoRateLimits>) {}

  get(config: OrgConfig): OrgClients {
    const key = JSON.stringify([config.salesforce, config.marketo]);
    const cached = this.byOrg.get(config.id);
    if (cached?.key === key) return cached.clients;
    const clients = buildOrgClients(config, this.marketoLimits);
    this.byOrg.set(config.id, { key, clients });
    return clients;
  }
}
