import type { FetchPort } from '../http/ports';
import type { MessageRouter } from '../messaging/router';
import type { SaveServiceRequest, TestServiceRequest } from '../messaging/serviceRequests';
import type { ServiceConnectionView, ServiceTestView } from '../messaging/serviceViews';
import type { ConnectionSettings, Secrets } from '../settings/connection';
import { describeIssues } from '../settings/issues';
import type { ServiceConnection } from '../settings/serviceConnection';
import type { SettingsStore } from '../settings/store';
import { createServiceClient } from './client';

// The options page's "Sync runs in: this browser | a service" (issue 21, docs/service-mode.md): its
// view, Save and Test. The token goes into the secrets item and nowhere else; the page only learns
// whether one is saved. A saved token is only ever sent to the service and org it was saved for.

export interface ServiceConnectionPorts {
  store: Pick<SettingsStore, 'getConnections' | 'saveConnections' | 'getSecrets' | 'saveSecrets'>;
  fetch: FetchPort;
  now(): number;
}

export class ServiceTokenMissingError extends Error {}

export function serviceConnectionView(
  connections: ConnectionSettings,
  secrets: Secrets,
): ServiceConnectionView {
  return {
    syncRunsIn: connections.syncRunsIn ?? 'browser',
    ...connections.service,
    tokenSaved: Boolean(secrets.service?.token),
  };
}

const sameService = (a: ServiceConnection | undefined, b: { url?: string; orgId?: string }) =>
  a !== undefined && a.url === b.url && a.orgId === b.orgId;

/** The token to use for this service and org: the one typed, else the saved one if it is theirs. */
function tokenFor(
  connections: ConnectionSettings,
  secrets: Secrets,
  request: { url?: string; orgId?: string; token?: string },
): string | undefined {
  if (request.token) return request.token;
  return sameService(connections.service, request) ? secrets.service?.token : undefined;
}

export async function saveServiceConnection(
  ports: ServiceConnectionPorts,
  request: SaveServiceRequest,
): Promise<ServiceConnectionView> {
  const connections = await ports.store.getConnections();
  const secrets = await ports.store.getSecrets();
  const service = request.url && request.orgId ? { url: request.url, orgId: request.orgId } : undefined;
  const token = service ? tokenFor(connections, secrets, request) : undefined;
  if (request.syncRunsIn === 'service' && !token)
    throw new ServiceTokenMissingError(
      'token: required — paste the token `npm run service -- add-org` printed for this org (a saved token is kept only for the service and org it was saved for)',
    );
  const saved = await ports.store.saveConnections({
    ...connections,
    syncRunsIn: request.syncRunsIn,
    ...(service ? { service } : { service: undefined }),
  });
  if (!saved.ok) throw new Error(`The service connection was not saved: ${describeIssues(saved.errors)}`);
  await ports.store.saveSecrets({ ...secrets, service: token ? { token } : {} });
  return serviceConnectionView(saved.value, await ports.store.getSecrets());
}

/** Calls the service's state route with the form's URL, org and token; a failure is its reason. */
export async function testServiceConnection(
  ports: ServiceConnectionPorts,
  request: TestServiceRequest,
): Promise<ServiceTestView> {
  const checkedAt = ports.now();
  const token = tokenFor(await ports.store.getConnections(), await ports.store.getSecrets(), request);
  if (!token)
    return { checkedAt, ok: false, error: 'No token: paste the token add-org printed for this org.' };
  try {
    const state = await createServiceClient({ ...request, token, fetch: ports.fetch }).state();
    return {
      checkedAt,
      ok: true,
      org: state.org,
      paused: state.paused,
      running: state.running,
      ...(state.lastCycle && {
        lastCycle: {
          id: state.lastCycle.id,
          status: state.lastCycle.status,
          startedAt: state.lastCycle.startedAt,
          endedAt: state.lastCycle.endedAt,
        },
      }),
      ...(state.view.instanceUrl && { instanceUrl: state.view.instanceUrl }),
    };
  } catch (error) {
    return { checkedAt, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Registers the options page's "Sync runs in" messages on the background's router. */
export function registerServiceConnectionHandlers(
  router: MessageRouter,
  ports: ServiceConnectionPorts,
): void {
  router.onMessage('getServiceConnection', async () =>
    serviceConnectionView(await ports.store.getConnections(), await ports.store.getSecrets()),
  );
  router.onMessage('saveServiceConnection', (request) => saveServiceConnection(ports, request));
  router.onMessage('testServiceConnection', (request) => testServiceConnection(ports, request));
}
