import type {
  FieldChoice,
  ObjectFieldsView,
  PreflightFinding,
  SalesforceWho,
  SideTest,
} from '../messaging/connectionViews';
import type { SalesforceClient } from '../salesforce/client';
import type { SyncSettings } from '../settings/schema';
import { buildMarketoClient, buildSalesforceClient } from './clients';
import { type ConnectionPorts, clientPorts } from './ports';
import { type DescribedObject, preflightFindings } from './preflight';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The Salesforce client of the stored connection, or why there is none. */
export async function storedSalesforceClient(
  ports: ConnectionPorts,
): Promise<
  | { ok: true; client: SalesforceClient; mode: 'session' | 'oauth'; instanceUrl: string }
  | { ok: false; error: string }
> {
  const sf = (await ports.store.getConnections()).salesforce;
  const secrets = await ports.store.getSecrets();
  if (!sf.instanceUrl || (sf.mode === 'oauth' && !secrets.salesforce.refreshToken)) {
    return { ok: false, error: 'Salesforce is not connected yet (Step 1).' };
  }
  const client = buildSalesforceClient({ ...sf, instanceUrl: sf.instanceUrl }, secrets, clientPorts(ports));
  return { ok: true, client, mode: sf.mode, instanceUrl: sf.instanceUrl };
}

async function describeEnabled(client: SalesforceClient, settings: SyncSettings) {
  const enabled = Object.entries(settings.objects)
    .filter(([, o]) => o.enabled)
    .map(([name]) => name);
  const described = new Map<string, DescribedObject>();
  await Promise.all(
    enabled.map(async (name) => {
      try {
        // Fresh: a describe answered 304 from a cached copy would hide a field-level security
        // change (lib/salesforce/describe.ts), and this check is about the user's access now.
        described.set(name, { ok: true, describe: (await client.describe(name, { fresh: true })).value });
      } catch (error) {
        described.set(name, { ok: false, error: message(error) });
      }
    }),
  );
  return described;
}

/** Who the connection runs as, the org's API usage, and the pre-flight of the sync user's access. */
export async function testSalesforce(
  ports: ConnectionPorts,
  settings: SyncSettings,
): Promise<SideTest<SalesforceWho> & { preflight?: PreflightFinding[] }> {
  const stored = await storedSalesforceClient(ports);
  if (!stored.ok) return { ok: false, notConfigured: true, error: stored.error };
  const { client, mode, instanceUrl } = stored;
  try {
    const me = await client.currentUser();
    const limits = await client.limits();
    const daily = limits.DailyApiRequests;
    const described = await describeEnabled(client, settings);
    return {
      ok: true,
      who: {
        username: me.username,
        displayName: me.displayName,
        orgId: me.orgId,
        instanceHost: new URL(instanceUrl).host,
        timeZone: me.timeZone,
        isAdmin: me.isAdmin,
        mode,
      },
      usage: {
        used: daily.Max - daily.Remaining,
        max: daily.Max,
        budget: Math.floor(daily.Max * settings.apiBudget.salesforceDailyShare),
      },
      preflight: preflightFindings(settings, described),
    };
  } catch (error) {
    return { ok: false, error: message(error) };
  }
}

const PERSON_OBJECTS = new Set(['Lead', 'Contact']);

/** The fields the mapping editor suggests: the object's describe and, for persons, Marketo's. */
export async function objectFields(ports: ConnectionPorts, objectType: string): Promise<ObjectFieldsView> {
  const view: ObjectFieldsView = { objectType, salesforce: [], marketo: [] };
  const stored = await storedSalesforceClient(ports);
  if (!stored.ok) return { ...view, error: stored.error };
  try {
    const describe = (await stored.client.describe(objectType)).value;
    view.salesforce = describe.fields
      .map(
        (f): FieldChoice => ({
          name: f.name,
          label: f.label,
          type: f.type,
          formula: f.calculated,
          updateable: f.updateable,
        }),
      )
      .sort((a, b) => a.label.localeCompare(b.label));
  } catch (error) {
    return { ...view, error: message(error) };
  }
  const mk = (await ports.store.getConnections()).marketo;
  const secret = (await ports.store.getSecrets()).marketo.clientSecret;
  if (PERSON_OBJECTS.has(objectType) && mk.restEndpoint && mk.clientId && secret) {
    try {
      const marketo = buildMarketoClient(
        { endpoint: mk.restEndpoint, clientId: mk.clientId, clientSecret: secret },
        clientPorts(ports),
      );
      const described = await marketo.leads.describe();
      view.marketo = described.fields
        .map((f) => ({ name: f.name, label: f.displayName }))
        .sort((a, b) => a.label.localeCompare(b.label));
    } catch {
      // Suggestions only: the Salesforce side is still useful without Marketo's names.
    }
  }
  return view;
}
