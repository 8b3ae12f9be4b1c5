import { z } from 'zod';
import type { FetchPort } from '../http/ports';
import type { MarketoConnectionView, MarketoWho, SideTest } from '../messaging/connectionViews';
import type { ConnectionSettings, Secrets } from '../settings/connection';
import { describeIssues } from '../settings/issues';
import { buildMarketoClient } from './clients';
import type { ConnectionPorts } from './ports';

// The Marketo side: a LaunchPoint custom service's REST endpoint, client id and client secret.
// The secret goes into the secrets key of storage.local and nowhere else; what comes back to the
// page is only whether one is saved.

export function marketoView(connections: ConnectionSettings, secrets: Secrets): MarketoConnectionView {
  const mk = connections.marketo;
  const secretSaved = !!secrets.marketo.clientSecret;
  return {
    configured: !!mk.restEndpoint && !!mk.clientId && secretSaved,
    secretSaved,
    ...(mk.restEndpoint && { restEndpoint: mk.restEndpoint }),
    ...(mk.clientId && { clientId: mk.clientId }),
  };
}

export interface MarketoSaveRequest {
  /** Already normalised by the request schema (marketoEndpointSchema). */
  restEndpoint: string;
  clientId: string;
  /** Omitted: keep the stored secret (the page never has it to send back). */
  clientSecret?: string;
}

export async function saveMarketoConnection(
  ports: ConnectionPorts,
  request: MarketoSaveRequest,
): Promise<MarketoConnectionView> {
  const connections = await ports.store.getConnections();
  const secrets = await ports.store.getSecrets();
  const clientSecret = request.clientSecret ?? secrets.marketo.clientSecret;
  const saved = await ports.store.saveConnections({
    ...connections,
    marketo: { restEndpoint: request.restEndpoint, clientId: request.clientId },
  });
  if (!saved.ok) throw new Error(`The Marketo connection was not saved: ${describeIssues(saved.errors)}`);
  // A token of the old credentials must not be reused with the new ones.
  await ports.store.saveSecrets({ ...secrets, marketo: clientSecret ? { clientSecret } : {} });
  return marketoView(saved.value, await ports.store.getSecrets());
}

/**
 * Forgets the Marketo connection: the endpoint, the client id, the client secret and any cached
 * access token (Marketo has no way to revoke a token; it expires within the hour by itself).
 */
export async function disconnectMarketo(ports: ConnectionPorts): Promise<MarketoConnectionView> {
  const connections = await ports.store.getConnections();
  const secrets = await ports.store.getSecrets();
  await ports.store.saveSecrets({ ...secrets, marketo: {} });
  const saved = await ports.store.saveConnections({ ...connections, marketo: {} });
  if (!saved.ok) throw new Error(`The Marketo connection was not removed: ${describeIssues(saved.errors)}`);
  return marketoView(saved.value, await ports.store.getSecrets());
}

const UsageDay = z.looseObject({
  date: z.string(),
  total: z.number().int().nonnegative(),
  users: z.array(z.looseObject({ userId: z.string(), count: z.number() })).optional(),
});
const IdentityScope = z.looseObject({ scope: z.string().optional() });

/**
 * Marketo has no "who am I" call, but the identity service names the API-only user in the token
 * answer's `scope`. The client asks for a token on its first call anyway: read it as it passes.
 */
function observingScope(fetch: FetchPort, seen: (scope: string) => void): FetchPort {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (/\/identity\/oauth\/token$/.test(new URL(input).pathname) && response.ok) {
      response
        .clone()
        .json()
        .then((body) => {
          const parsed = IdentityScope.safeParse(body);
          if (parsed.success && parsed.data.scope) seen(parsed.data.scope);
        })
        .catch(() => undefined);
    }
    return response;
  };
}

/** Authenticates and reads today's API usage (`stats/usage.json`, one call). */
export async function testMarketo(ports: ConnectionPorts, budget: number): Promise<SideTest<MarketoWho>> {
  const mk = (await ports.store.getConnections()).marketo;
  const secret = (await ports.store.getSecrets()).marketo.clientSecret;
  if (!mk.restEndpoint || !mk.clientId || !secret) {
    return { ok: false, notConfigured: true, error: 'Marketo is not connected yet (Step 2).' };
  }
  let apiUser: string | undefined;
  const client = buildMarketoClient(
    { endpoint: mk.restEndpoint, clientId: mk.clientId, clientSecret: secret },
    {
      fetch: observingScope(ports.fetch, (scope) => {
        apiUser = scope;
      }),
      clock: ports.clock,
      ...(ports.marketoLimiter && { marketoLimiter: ports.marketoLimiter }),
    },
  );
  try {
    const envelope = await client.transport.call(
      { method: 'GET', path: '/rest/v1/stats/usage.json' },
      UsageDay,
    );
    const today = envelope.result[0];
    return {
      ok: true,
      who: { endpointHost: new URL(mk.restEndpoint).host, ...(apiUser && { apiUser }) },
      // Marketo's daily quota is per subscription and not reported by any API (default 50,000).
      usage: { used: today?.total ?? 0, budget },
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
