import { useRef, useState } from 'preact/hooks';
import {
  ANY_MY_DOMAIN,
  ensureHostAccess,
  originPattern,
  releaseHostAccess,
} from '../lib/connections/hostAccess';
import type { SendMessage } from '../lib/messaging/client';
import type { SalesforceConnectionView } from '../lib/messaging/connectionViews';
import { apiOriginFor } from '../lib/salesforce/auth/session';
import { FormField } from './FormField';
import { errorAt, type FormErrors, formErrors, NO_ERRORS } from './formErrors';
import { HostAccessNotice } from './HostAccessNotice';
import type { HostAccess } from './hostAccess';
import { useErrorFocus } from './useErrorFocus';

interface Props {
  view: SalesforceConnectionView;
  oauthRedirectUri: string;
  send: SendMessage;
  /** Host permissions: the org's My Domain is asked for on connect, given back on disconnect. */
  access: HostAccess;
  onChange(view: SalesforceConnectionView): void;
}

const LOGIN_HOSTS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;
type HostChoice = keyof typeof LOGIN_HOSTS | 'mydomain';

/** Step 1: connect Salesforce through the admin's browser session, or OAuth as a sync user. */
export function SalesforceConnection({ view, oauthRedirectUri, send, access, onChange }: Props) {
  const [busy, setBusy] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [host, setHost] = useState<HostChoice>('production');
  const [myDomain, setMyDomain] = useState('');
  const [clientId, setClientId] = useState(view.clientId ?? '');
  const section = useRef<HTMLDivElement>(null);
  const [refusals, setRefusals] = useState(0);
  useErrorFocus(
    section,
    refusals,
    errors.general ?? (errors.fields.length ? 'Not connected: fix the fields marked' : undefined),
  );

  /** The org's hosts the extension was given access to for this connection. */
  const grantedFor = (v: SalesforceConnectionView) =>
    [v.instanceUrl, v.loginHost].map((url) => url && originPattern(url)).filter((p): p is string => !!p);

  /**
   * Runs a connection action. `ask` asks Chrome for host access (first, while the click still
   * counts as a user gesture: Chrome prompts only then; a host the build already grants is granted
   * with no prompt). What was asked for and is not used in the end goes back: the old org's access
   * after connecting another org or disconnecting, the new org's after a failed connect.
   */
  async function run(
    label: string,
    action: (ask: (patterns: string[]) => Promise<void>) => Promise<SalesforceConnectionView>,
  ) {
    // The buttons are aria-disabled while one works (focus stays on the one pressed).
    if (busy) return;
    setBusy(label);
    setErrors(NO_ERRORS);
    const asked: string[] = [];
    const ask = async (patterns: string[]) => {
      asked.push(...patterns);
      await ensureHostAccess(access, patterns);
    };
    try {
      const next = await action(ask);
      if (view.instanceUrl && next.instanceUrl !== view.instanceUrl) {
        const kept = new Set(grantedFor(next));
        const old = [...grantedFor(view), ...(next.connected ? [] : [ANY_MY_DOMAIN])];
        await releaseHostAccess(
          access,
          old.filter((p) => !kept.has(p)),
        );
      }
      onChange(next);
    } catch (error) {
      const current = new Set(grantedFor(view));
      await releaseHostAccess(
        access,
        asked.filter((p) => !current.has(p)),
      );
      setErrors(formErrors(error));
      setRefusals((n) => n + 1);
    } finally {
      setBusy('');
    }
  }

  const detect = () =>
    run('detect', async (ask) => {
      // The org of the open Lightning tab: its My Domain holds its API and the API session cookie.
      const tabUrl = await access.findSalesforceTab();
      const myDomain = tabUrl && originPattern(apiOriginFor(tabUrl));
      if (myDomain) await ask([myDomain]);
      return send('detectSalesforceSession', tabUrl ? { tabUrl } : {});
    });
  const connectOAuth = (event: Event) => {
    event.preventDefault();
    const loginHost = host === 'mydomain' ? myDomain : LOGIN_HOSTS[host];
    return run('oauth', async (ask) => {
      // Starting at login/test.salesforce.com the org is known only after sign-in: every My Domain
      // is asked for then. Starting at the org's My Domain asks for that org alone.
      const wanted = host === 'mydomain' ? originPattern(myDomain) : ANY_MY_DOMAIN;
      if (wanted) await ask([wanted]);
      return send('connectSalesforceOAuth', {
        loginHost,
        clientId,
        ...(host === 'mydomain' ? { myDomain } : {}),
      });
    });
  };
  const disconnect = () => run('disconnect', () => send('disconnectSalesforce'));

  if (view.connected) {
    return (
      <div class="connection connected" data-side="salesforce" ref={section}>
        <ConnectedSummary view={view} />
        <HostAccessNotice access={access} url={view.instanceUrl} />
        <button type="button" onClick={disconnect} aria-disabled={!!busy}>
          {view.mode === 'oauth' ? 'Disconnect (revoke access)' : 'Disconnect'}
        </button>
        {errors.general && <p class="error">{errors.general}</p>}
      </div>
    );
  }

  return (
    <div class="connection" data-side="salesforce" ref={section}>
      {view.revokeError && <p class="warning">Disconnected here, but {view.revokeError}</p>}
      {view.mode === 'oauth' && view.instanceUrl && !view.hasRefreshToken && (
        <p class="warning" data-testid="grant-lost">
          Salesforce refused the sync user's refresh token (revoked or expired). Connect the sync user again.
        </p>
      )}
      <div class="choice">
        <h3>Use my Salesforce session</h3>
        <p class="muted">
          Open your org in a browser tab and log in, then detect it. The sync runs with your permissions while
          you are logged in.
        </p>
        <button type="button" id="detectSession" onClick={detect} aria-disabled={!!busy}>
          {busy === 'detect' ? 'Detecting…' : 'Detect my Salesforce org'}
        </button>
      </div>
      <form class="choice" onSubmit={connectOAuth} noValidate>
        <h3>Connect a dedicated sync user (OAuth)</h3>
        <p class="muted">
          Recommended: the sync runs as its own integration user, around the clock. Create a connected app
          with PKCE and the scopes "api" and "refresh_token", with this callback URL:{' '}
          <code class="callback">{oauthRedirectUri}</code>
        </p>
        <FormField label="Log in at" name="loginHost" error={errorAt(errors, 'loginHost')}>
          <select id="loginHost" value={host} onChange={(e) => setHost(e.currentTarget.value as HostChoice)}>
            <option value="production">Production (login.salesforce.com)</option>
            <option value="sandbox">Sandbox (test.salesforce.com)</option>
            <option value="mydomain">My Domain</option>
          </select>
        </FormField>
        {host === 'mydomain' && (
          <FormField
            label="My Domain URL"
            name="myDomain"
            error={errorAt(errors, 'myDomain') ?? errorAt(errors, 'loginHost')}
          >
            <input
              id="myDomain"
              placeholder="https://yourcompany.my.salesforce.com"
              value={myDomain}
              onInput={(e) => setMyDomain(e.currentTarget.value)}
            />
          </FormField>
        )}
        <FormField label="Consumer key (client id)" name="clientId" error={errorAt(errors, 'clientId')}>
          <input id="clientId" value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} />
        </FormField>
        <button type="submit" id="connectOAuth" aria-disabled={!!busy}>
          {busy === 'oauth' ? 'Waiting for Salesforce…' : 'Connect sync user'}
        </button>
      </form>
      {errors.general && <p class="error">{errors.general}</p>}
    </div>
  );
}

function ConnectedSummary({ view }: { view: SalesforceConnectionView }) {
  const user = view.user;
  return (
    <dl class="summary">
      <dt>Connected as</dt>
      <dd class="who">
        {user ? `${user.displayName} (${user.username})` : 'unknown user'}{' '}
        {user &&
          (user.isAdmin ? (
            <span class="status status-ok">admin</span>
          ) : (
            <span class="status status-warn">not an admin</span>
          ))}
      </dd>
      <dt>How</dt>
      <dd>{view.mode === 'oauth' ? 'OAuth, dedicated sync user' : 'your browser session'}</dd>
      <dt>Org</dt>
      <dd>
        {view.orgId} at {view.instanceUrl && new URL(view.instanceUrl).host}
      </dd>
      {user?.timeZone && (
        <>
          <dt>Time zone</dt>
          <dd>{user.timeZone}</dd>
        </>
      )}
      {user && !user.isAdmin && (
        <dd class="warning wide">
          This user has no "Modify All Data": the views are for admins, and the sync can only see and change
          what this user may.
        </dd>
      )}
    </dl>
  );
}
