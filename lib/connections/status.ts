import type { SyncStateView } from '../messaging/views';
import type { ConnectionSettings, Secrets } from '../settings/connection';

/**
 * What the popup shows about each side before a test: configured or not, and where to. A real
 * check (who you are, API usage) is the options page's "Test connection".
 */
export function connectionStatus(
  connections: ConnectionSettings,
  secrets: Secrets,
): SyncStateView['connection'] {
  const sf = connections.salesforce;
  const mk = connections.marketo;
  const sfReady = !!sf.instanceUrl && (sf.mode === 'session' || !!secrets.salesforce.refreshToken);
  const mkReady = !!mk.restEndpoint && !!mk.clientId && !!secrets.marketo.clientSecret;
  return {
    salesforce: sfReady
      ? {
          state: 'unchecked',
          label: sf.user
            ? `${sf.user.username} @ ${new URL(sf.instanceUrl!).host}`
            : new URL(sf.instanceUrl!).host,
        }
      : { state: 'not-configured' },
    marketo: mkReady
      ? { state: 'unchecked', label: new URL(mk.restEndpoint!).host }
      : { state: 'not-configured' },
  };
}
