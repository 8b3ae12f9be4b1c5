import { useRef, useState } from 'preact/hooks';
import type { SendMessage } from '../lib/messaging/client';
import type { SalesforceConnectionView } from '../lib/messaging/connectionViews';
import { FormField } from './FormField';
import { errorAt, type FormErrors, formErrors, NO_ERRORS } from './formErrors';
import { useErrorFocus } from './useErrorFocus';

interface Props {
  view: SalesforceConnectionView;
  oauthRedirectUri: string;
  send: SendMessage;
  onChange(view: SalesforceConnectionView): void;
}

const LOGIN_HOSTS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;
type HostChoice = keyof typeof LOGIN_HOSTS | 'mydomain';

/** Step 1: connect Salesforce through the admin's browser session, or OAuth as a sync user. */
export function SalesforceConnection({ view, oauthRedirectUri, send, onChange }: Props) {
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

  async function run(label: string, action: () => Promise<SalesforceConnectionView>) {
    // The buttons are aria-disabled while one works (focus stays on the one pressed).
    if (busy) return;
    setBusy(label);
    setErrors(NO_ERRORS);
    try {
      onChange(await action());
    } catch (error) {
      setErrors(formErrors(error));
      setRefusals((n) => n + 1);
    } finally {
      setBusy('');
    }
  }

  const detect = () => run('detect', () => send('detectSalesforceSession'));
  const connectOAuth = (event: Event) => {
    event.preventDefault();
    const loginHost = host === 'mydomain' ? myDomain : LOGIN_HOSTS[host];
    return run('oauth', () =>
      send('connectSalesforceOAuth', {
        loginHost,
        clientId,
        ...(host === 'mydomain' ? { myDomain } : {}),
      }),
    );
  };
  const disconnect = () => run('disconnect', () => send('disconnectSalesforce'));

  if (view.connected) {
    return (
      <div class="connection connected" data-side="salesforce" ref={section}>
        <ConnectedSummary view={view} />
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
