import type { ClockPort, FetchPort } from '../http/ports';
import { ApiCallCounter } from '../http/ports';
import { createMarketoClient, type MarketoClient, type MarketoRateLimiter } from '../marketo';
import { OAuthTokenSource } from '../salesforce/auth/oauthTokenSource';
import { BrowserSessionTokenSource, type CookiePort } from '../salesforce/auth/session';
import { SalesforceClient } from '../salesforce/client';
import type { TokenSource } from '../salesforce/transport';
import type { ConnectionSettings, Secrets } from '../settings/connection';

export interface ClientPorts {
  fetch: FetchPort;
  clock: ClockPort;
  cookies: CookiePort;
  /** The identity redirect URL OAuth was authorised with (browser.identity.getRedirectURL). */
  oauthRedirectUri: string;
  /** Keeps rotated OAuth tokens (storage.local). */
  saveSalesforceTokens(
    tokens: { refreshToken?: string; accessToken: string },
    usedRefreshToken?: string,
  ): Promise<void>;
  /** Drops the OAuth tokens after Salesforce refused this refresh token for good (invalid_grant). */
  dropSalesforceGrant?(refreshToken: string): Promise<void>;
  /** Marketo's limits are per instance and per day: one limiter lives as long as the worker. */
  marketoLimiter?: MarketoRateLimiter;
}

export type Clients =
  | { ok: true; salesforce: SalesforceClient; marketo: MarketoClient; counter: ApiCallCounter }
  | { ok: false; missing: string[] };

/**
 * Builds both API clients from the stored connection settings and secrets, or says what is missing
 * so the UI can send the admin to the options page. Nothing here is cached: settings changed on the
 * options page apply to the next cycle.
 */
export function buildClients(connections: ConnectionSettings, secrets: Secrets, ports: ClientPorts): Clients {
  const missing: string[] = [];
  const sf = connections.salesforce;
  const mk = connections.marketo;
  if (!sf.instanceUrl) missing.push('salesforce.instanceUrl');
  if (sf.mode === 'oauth' && !secrets.salesforce.refreshToken) missing.push('salesforce.refreshToken');
  if (sf.mode === 'oauth' && !sf.clientId) missing.push('salesforce.clientId');
  if (!mk.restEndpoint) missing.push('marketo.restEndpoint');
  if (!mk.clientId) missing.push('marketo.clientId');
  if (!secrets.marketo.clientSecret) missing.push('marketo.clientSecret');
  if (
    missing.length > 0 ||
    !sf.instanceUrl ||
    !mk.restEndpoint ||
    !mk.clientId ||
    !secrets.marketo.clientSecret
  ) {
    return { ok: false, missing };
  }

  const counter = new ApiCallCounter();
  return {
    ok: true,
    counter,
    salesforce: buildSalesforceClient({ ...sf, instanceUrl: sf.instanceUrl }, secrets, ports, counter),
    marketo: buildMarketoClient(
      { endpoint: mk.restEndpoint, clientId: mk.clientId, clientSecret: secrets.marketo.clientSecret },
      ports,
      counter,
    ),
  };
}

type SalesforceConnection = ConnectionSettings['salesforce'] & { instanceUrl: string };

/** The Salesforce client alone (the options page tests one side at a time). */
export function buildSalesforceClient(
  sf: SalesforceConnection,
  secrets: Secrets,
  ports: Omit<ClientPorts, 'marketoLimiter'>,
  counter = new ApiCallCounter(),
): SalesforceClient {
  const instanceUrl = sf.instanceUrl;
  const tokens: TokenSource =
    sf.mode === 'oauth'
      ? new OAuthTokenSource(
          { fetch: ports.fetch, clock: ports.clock },
          { loginUrl: sf.loginHost, clientId: sf.clientId ?? '', redirectUri: ports.oauthRedirectUri },
          {
            instanceUrl,
            accessToken: secrets.salesforce.accessToken?.value ?? '',
            refreshToken: secrets.salesforce.refreshToken ?? '',
          },
          (fresh, used) => ports.saveSalesforceTokens(fresh, used),
          async (lost) => ports.dropSalesforceGrant?.(lost),
        )
      : new BrowserSessionTokenSource(ports.cookies, () => instanceUrl);
  return new SalesforceClient({
    fetch: ports.fetch,
    clock: ports.clock,
    tokens,
    counter,
    clientName: 'SalesforceSyncStatus',
  });
}

/** The Marketo client alone, from complete credentials. */
export function buildMarketoClient(
  credentials: { endpoint: string; clientId: string; clientSecret: string },
  ports: Pick<ClientPorts, 'fetch' | 'clock' | 'marketoLimiter'>,
  counter = new ApiCallCounter(),
): MarketoClient {
  return createMarketoClient({
    fetch: ports.fetch,
    clock: ports.clock,
    credentials: () => credentials,
    counter,
    ...(ports.marketoLimiter && { limiter: ports.marketoLimiter }),
  });
}
