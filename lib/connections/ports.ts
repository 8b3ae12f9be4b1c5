import type { ClockPort, FetchPort } from '../http/ports';
import type { MarketoRateLimiter } from '../marketo';
import type { WebAuthFlowPort } from '../salesforce/auth/oauth';
import type { CookiePort } from '../salesforce/auth/session';
import type { SettingsStore } from '../settings/store';
import type { ClientPorts } from './clients';

/** What the connection handlers need from the browser; the background wires chrome.* behind these. */
export interface ConnectionPorts {
  store: Pick<
    SettingsStore,
    'getSettings' | 'getConnections' | 'saveConnections' | 'getSecrets' | 'saveSecrets'
  >;
  fetch: FetchPort;
  clock: ClockPort;
  cookies: CookiePort;
  /** The URL of an open Salesforce tab (chrome.tabs.query), or undefined when there is none. */
  findSalesforceTab(): Promise<string | undefined>;
  /** browser.identity.launchWebAuthFlow, interactive. */
  launchWebAuthFlow: WebAuthFlowPort;
  /** browser.identity.getRedirectURL('oauth'): the callback registered on the connected app. */
  oauthRedirectUri: string;
  marketoLimiter?: MarketoRateLimiter;
  /**
   * When the sync last found the sync user's field access changed (lib/db/schemaChecks.ts): a
   * stored test older than that is run again before it is shown.
   */
  fieldAccessChangedAt?(): Promise<number | undefined>;
  /** Keeps the latest test report (no secrets in it) so the page can show it after a reload. */
  lastTest: {
    get(): Promise<unknown>;
    set(report: unknown): Promise<void>;
  };
}

/** The client ports for stored connections: rotated OAuth tokens go back into storage.local. */
export function clientPorts(ports: ConnectionPorts): ClientPorts {
  return {
    fetch: ports.fetch,
    clock: ports.clock,
    cookies: ports.cookies,
    oauthRedirectUri: ports.oauthRedirectUri,
    ...(ports.marketoLimiter && { marketoLimiter: ports.marketoLimiter }),
    async saveSalesforceTokens(tokens, usedRefreshToken) {
      const secrets = await ports.store.getSecrets();
      // A refresh that ends after Disconnect, or after the admin connected another grant, must not
      // write the old grant's tokens back: only the grant still stored is updated.
      if (usedRefreshToken !== undefined && secrets.salesforce.refreshToken !== usedRefreshToken) return;
      await ports.store.saveSecrets({
        ...secrets,
        salesforce: {
          ...secrets.salesforce,
          ...(tokens.refreshToken && { refreshToken: tokens.refreshToken }),
          // Salesforce gives no expiry (api-facts A2.2); the session timeout default is 2 hours.
          accessToken: { value: tokens.accessToken, expiresAt: ports.clock.now() + 2 * 3600_000 },
        },
      });
    },
    async dropSalesforceGrant(refreshToken) {
      const secrets = await ports.store.getSecrets();
      // The admin may have connected again meanwhile: only the refused grant is dropped.
      if (secrets.salesforce.refreshToken !== refreshToken) return;
      await ports.store.saveSecrets({ ...secrets, salesforce: {} });
    },
  };
}
