import type { SalesforceConnectionView } from '../messaging/connectionViews';
import { authorize, revokeToken } from '../salesforce/auth/oauth';
import { OAuthTokenSource } from '../salesforce/auth/oauthTokenSource';
import { discoverSession, fixedSession } from '../salesforce/auth/session';
import { SalesforceClient } from '../salesforce/client';
import type { CurrentUser } from '../salesforce/user';
import type { ConnectionSettings, Secrets } from '../settings/connection';
import { describeIssues } from '../settings/issues';
import type { ConnectionPorts } from './ports';

// The two ways to connect Salesforce (design §3, §7): reuse the admin's browser session of an open
// Salesforce tab, or authorise a dedicated sync user with OAuth 2.0 + PKCE. Either way the org and
// user are read back with currentUser() before anything is stored, so a stored connection has
// been seen working once.

export function salesforceView(
  connections: ConnectionSettings,
  secrets: Secrets,
  timeZone?: string,
): SalesforceConnectionView {
  const sf = connections.salesforce;
  const hasRefreshToken = !!secrets.salesforce.refreshToken;
  return {
    mode: sf.mode,
    connected: !!sf.instanceUrl && (sf.mode === 'session' || hasRefreshToken),
    loginHost: sf.loginHost,
    hasRefreshToken,
    ...(sf.instanceUrl && { instanceUrl: sf.instanceUrl }),
    ...(sf.clientId && { clientId: sf.clientId }),
    ...(sf.orgId && { orgId: sf.orgId }),
    ...(sf.user && { user: { ...sf.user, ...(timeZone && { timeZone }) } }),
  };
}

const userOf = (me: CurrentUser) => ({
  id: me.id,
  username: me.username,
  displayName: me.displayName,
  isAdmin: me.isAdmin,
});

async function saveSalesforce(ports: ConnectionPorts, salesforce: ConnectionSettings['salesforce']) {
  const connections = await ports.store.getConnections();
  const saved = await ports.store.saveConnections({ ...connections, salesforce });
  if (!saved.ok) throw new Error(`The Salesforce connection was not saved: ${describeIssues(saved.errors)}`);
  return saved.value;
}

/** "Use my Salesforce session": the org of the open Salesforce tab (or `tabUrl`). */
export async function detectSalesforceSession(
  ports: ConnectionPorts,
  tabUrl?: string,
): Promise<SalesforceConnectionView> {
  const pageUrl = tabUrl ?? (await ports.findSalesforceTab());
  if (!pageUrl) {
    throw new Error('No Salesforce tab is open: open your org in a tab, log in, and try again.');
  }
  const session = await discoverSession(ports.cookies, pageUrl);
  const client = new SalesforceClient({
    fetch: ports.fetch,
    clock: ports.clock,
    tokens: fixedSession(session),
  });
  const me = await client.currentUser();
  // A grant of an earlier OAuth connection would stay live at Salesforce: end it first.
  const previous = await ports.store.getSecrets();
  if (previous.salesforce.refreshToken) await disconnectSalesforce(ports);
  const before = (await ports.store.getConnections()).salesforce;
  const connections = await saveSalesforce(ports, {
    mode: 'session',
    instanceUrl: session.instanceUrl,
    loginHost: before.loginHost,
    ...(before.clientId && { clientId: before.clientId }),
    orgId: me.orgId,
    user: userOf(me),
  });
  return salesforceView(connections, await ports.store.getSecrets(), me.timeZone);
}

export interface OAuthConnectRequest {
  loginHost: string;
  clientId: string;
  myDomain?: string;
}

/** "Connect a dedicated sync user": OAuth web-server flow with PKCE in the browser's auth window. */
export async function connectSalesforceOAuth(
  ports: ConnectionPorts,
  request: OAuthConnectRequest,
): Promise<SalesforceConnectionView> {
  // Salesforce recommends starting at the org's My Domain; login/test.salesforce.com also work.
  const config = {
    loginUrl: request.myDomain ?? request.loginHost,
    clientId: request.clientId,
    redirectUri: ports.oauthRedirectUri,
  };
  const deps = { fetch: ports.fetch, clock: ports.clock };
  let tokens: Awaited<ReturnType<typeof authorize>>;
  try {
    tokens = await authorize(deps, config, ports.launchWebAuthFlow);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Salesforce sign-in did not complete: ${reason}`);
  }
  if (!tokens.refreshToken) {
    throw new Error(
      'Salesforce gave no refresh token: add the "Perform requests at any time (refresh_token, offline_access)" scope to the connected app.',
    );
  }
  const client = new SalesforceClient({
    ...deps,
    tokens: new OAuthTokenSource(deps, config, tokens),
  });
  const me = await client.currentUser();
  const previous = await ports.store.getSecrets();
  if (previous.salesforce.refreshToken && previous.salesforce.refreshToken !== tokens.refreshToken) {
    await disconnectSalesforce(ports);
  }
  const connections = await saveSalesforce(ports, {
    mode: 'oauth',
    instanceUrl: tokens.instanceUrl,
    loginHost: config.loginUrl,
    clientId: request.clientId,
    orgId: me.orgId,
    user: userOf(me),
  });
  const secrets = await ports.store.getSecrets();
  await ports.store.saveSecrets({
    ...secrets,
    salesforce: {
      refreshToken: tokens.refreshToken,
      accessToken: { value: tokens.accessToken, expiresAt: ports.clock.now() + 2 * 3600_000 },
    },
  });
  return salesforceView(connections, await ports.store.getSecrets(), me.timeZone);
}

/** Forgets the Salesforce connection; an OAuth grant is revoked at Salesforce first. */
export async function disconnectSalesforce(ports: ConnectionPorts): Promise<SalesforceConnectionView> {
  const connections = await ports.store.getConnections();
  const secrets = await ports.store.getSecrets();
  const sf = connections.salesforce;
  let revokeError: string | undefined;
  const token = secrets.salesforce.refreshToken ?? secrets.salesforce.accessToken?.value;
  if (token && sf.mode === 'oauth') {
    try {
      await revokeToken(
        { fetch: ports.fetch, clock: ports.clock },
        { loginUrl: sf.loginHost, clientId: sf.clientId ?? '', redirectUri: ports.oauthRedirectUri },
        token,
      );
    } catch (error) {
      revokeError = `${error instanceof Error ? error.message : String(error)}. Revoke the app's access in Salesforce Setup → Connected Apps OAuth Usage.`;
    }
  }
  await ports.store.saveSecrets({ ...secrets, salesforce: {} });
  const saved = await saveSalesforce(ports, {
    mode: sf.mode,
    loginHost: sf.loginHost,
    ...(sf.clientId && { clientId: sf.clientId }),
  });
  const view = salesforceView(saved, await ports.store.getSecrets());
  return revokeError ? { ...view, revokeError } : view;
}
