import { settingsStore } from '../../components/storage/settings';
import { connectionTestItem } from '../../components/storage/worker';
import { buildClients } from '../../lib/connections/clients';
import { missingHostAccess } from '../../lib/connections/hostAccess';
import { type ConnectionPorts, clientPorts } from '../../lib/connections/ports';
import { syncLog } from '../../lib/db/instance';
import { fieldAccessChangedAt } from '../../lib/db/schemaChecks';
import { systemClock } from '../../lib/http/ports';
import { MarketoRateLimiter } from '../../lib/marketo';
import type { SettingsStore } from '../../lib/settings/store';

/** What every feature of the worker shares: the settings store and the ports to both systems. */
export interface WorkerClients {
  store: SettingsStore;
  /** The browser behind lib/connections' ports (cookies, tabs, identity, the last test report). */
  connectionPorts: ConnectionPorts;
  /** Salesforce and Marketo clients for the stored connections, or what is missing. */
  connectedClients(): Promise<ReturnType<typeof buildClients>>;
}

export function setupClients(): WorkerClients {
  const store = settingsStore();
  const connectionPorts: ConnectionPorts = {
    store,
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    cookies: {
      get: async (url, name) => (await browser.cookies.get({ url, name })) ?? null,
      getAll: (filter) => browser.cookies.getAll(filter),
    },
    // Needs no `tabs` permission: the host permissions cover the URLs queried, so their tabs come
    // back with `url` set. Test builds also find the emulator's Lightning pages on loopback.
    findSalesforceTab: async () => {
      const tabs = await browser.tabs.query({
        url: [
          'https://*.lightning.force.com/*',
          'https://*.my.salesforce.com/*',
          ...(import.meta.env.MODE === 'production' ? [] : ['http://127.0.0.1/lightning/*']),
        ],
      });
      const page = tabs.find((t) => t.active) ?? tabs[0];
      return page?.url;
    },
    launchWebAuthFlow: async (url) => {
      const redirect = await browser.identity.launchWebAuthFlow({ url, interactive: true });
      if (!redirect) throw new Error('The sign-in window closed without an answer');
      return redirect;
    },
    oauthRedirectUri: browser.identity.getRedirectURL('oauth'),
    // One limiter for the worker: the cycles and the connection test share Marketo's rate limits.
    marketoLimiter: new MarketoRateLimiter(systemClock),
    // A stored test older than a field-access change the sync found is run again (handlers.ts).
    fieldAccessChangedAt: () => fieldAccessChangedAt(syncLog),
    lastTest: {
      get: () => connectionTestItem.getValue(),
      set: (report) => connectionTestItem.setValue(report),
    },
  };
  return {
    store,
    connectionPorts,
    // Rotated OAuth tokens go back into the secrets (lib/connections/ports.ts decides their lifetime).
    async connectedClients() {
      const connections = await store.getConnections();
      const clients = buildClients(connections, await store.getSecrets(), clientPorts(connectionPorts));
      if (!clients.ok) return clients;
      // The org and the Marketo instance are optional host permissions (docs/permissions.md).
      const missing = await missingHostAccess(
        { contains: (origins) => browser.permissions.contains({ origins }) },
        [connections.salesforce.instanceUrl, connections.marketo.restEndpoint],
      );
      return missing.length > 0 ? { ok: false as const, missing } : clients;
    },
  };
}
