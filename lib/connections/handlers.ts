import { z } from 'zod';
import type { ConnectionsView, ConnectionTestView } from '../messaging/connectionViews';
import type { MessageRouter } from '../messaging/router';
import { emailFolderChoices } from './emailFolderChoices';
import { disconnectMarketo, marketoView, saveMarketoConnection, testMarketo } from './marketoConnection';
import type { ConnectionPorts } from './ports';
import { programPairChoices } from './programPairChoices';
import {
  connectSalesforceOAuth,
  detectSalesforceSession,
  disconnectSalesforce,
  salesforceView,
} from './salesforceConnection';
import { objectFields, testSalesforce } from './salesforceTest';

export type { ConnectionPorts } from './ports';

// The options page's connection messages. Every answer is built from the *view* functions, which
// report a secret only as present or not, so no handler can hand a token or the client secret to
// a page (and the protocol refuses all of these from content scripts).

/** Only the part of a stored report the page relies on is checked; it was written by testConnections. */
const StoredTest = z.looseObject({ checkedAt: z.number() });

async function lastTest(ports: ConnectionPorts): Promise<ConnectionTestView | undefined> {
  const parsed = StoredTest.safeParse(await ports.lastTest.get());
  return parsed.success ? (parsed.data as unknown as ConnectionTestView) : undefined;
}

/**
 * The stored test, or a new Salesforce test when the sync has since found the sync user's field
 * access changed: the stored pre-flight would still say every mapped field is readable while the
 * cycles leave one out (field-level security edited after the test).
 */
async function currentTest(ports: ConnectionPorts): Promise<ConnectionTestView | undefined> {
  const test = await lastTest(ports);
  if (!test?.salesforce?.ok || !ports.fieldAccessChangedAt) return test;
  const changedAt = await ports.fieldAccessChangedAt().catch(() => undefined);
  return changedAt !== undefined && changedAt > test.checkedAt ? testConnections(ports, 'salesforce') : test;
}

export async function connectionsView(ports: ConnectionPorts): Promise<ConnectionsView> {
  const connections = await ports.store.getConnections();
  const secrets = await ports.store.getSecrets();
  const test = await currentTest(ports);
  const timeZone = test?.salesforce?.ok ? test.salesforce.who.timeZone : undefined;
  return {
    salesforce: salesforceView(connections, secrets, timeZone),
    marketo: marketoView(connections, secrets),
    oauthRedirectUri: ports.oauthRedirectUri,
    ...(test && { lastTest: test }),
  };
}

export async function testConnections(
  ports: ConnectionPorts,
  only?: 'salesforce' | 'marketo',
): Promise<ConnectionTestView> {
  const settings = await ports.store.getSettings();
  const previous = only ? await lastTest(ports) : undefined;
  const [salesforce, marketo] = await Promise.all([
    only === 'marketo' ? previous?.salesforce : testSalesforce(ports, settings),
    only === 'salesforce' ? previous?.marketo : testMarketo(ports, settings.apiBudget.marketoDailyCalls),
  ]);
  const report: ConnectionTestView = {
    checkedAt: ports.clock.now(),
    ...(salesforce && { salesforce }),
    ...(marketo && { marketo }),
  };
  await ports.lastTest.set(report);
  return report;
}

/** Registers every connection message on the background's router. */
export function registerConnectionHandlers(router: MessageRouter, ports: ConnectionPorts): void {
  router.onMessage('getConnections', () => connectionsView(ports));
  router.onMessage('detectSalesforceSession', ({ tabUrl }) => detectSalesforceSession(ports, tabUrl));
  router.onMessage('connectSalesforceOAuth', (request) =>
    connectSalesforceOAuth(ports, {
      loginHost: request.loginHost,
      clientId: request.clientId,
      ...(request.myDomain && { myDomain: request.myDomain }),
    }),
  );
  router.onMessage('disconnectSalesforce', () => disconnectSalesforce(ports));
  router.onMessage('saveMarketoConnection', (request) =>
    saveMarketoConnection(ports, {
      restEndpoint: request.restEndpoint,
      clientId: request.clientId,
      ...(request.clientSecret && { clientSecret: request.clientSecret }),
    }),
  );
  router.onMessage('disconnectMarketo', () => disconnectMarketo(ports));
  router.onMessage('testConnections', ({ only }) => testConnections(ports, only));
  router.onMessage('getObjectFields', ({ objectType }) => objectFields(ports, objectType));
  router.onMessage('getProgramPairChoices', () => programPairChoices(ports));
  router.onMessage('getEmailFolderChoices', () => emailFolderChoices(ports));
}
