import { useEffect, useRef, useState } from 'preact/hooks';
import { ensureHostAccess, originPattern } from '../lib/connections/hostAccess';
import type { SendMessage } from '../lib/messaging/client';
import type { ServiceConnectionView, ServiceTestView } from '../lib/messaging/serviceViews';
import { serviceHostToRelease } from '../lib/serviceMode/hostAccess';
import { announce } from './announce';
import { FormField } from './FormField';
import { errorAt, type FormErrors, formErrors, NO_ERRORS } from './formErrors';
import type { HostAccess } from './hostAccess';
import { useErrorFocus } from './useErrorFocus';

interface Props {
  send: SendMessage;
  /** The service's origin is asked for on Save and Test, given back when it is no longer used. */
  access: Pick<HostAccess, 'request' | 'contains' | 'remove'>;
}

/**
 * "Sync runs in: this browser | a service" (issue 21, docs/service-mode.md). In service mode this
 * browser runs no cycles, and the popup, the dashboard and the record panel show the service's log
 * through its status API. The token is typed into a password field and sent once to the background;
 * the page is never given it back, so a saved one shows as "•••• saved" with Replace.
 */
export function SyncRunsIn({ send, access }: Props) {
  const [view, setView] = useState<ServiceConnectionView>();
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    send('getServiceConnection').then(setView, (e: Error) => setLoadError(e.message));
  }, [send]);
  if (!view) return <p class="muted">{loadError || 'Loading…'}</p>;
  return <ServiceForm view={view} send={send} access={access} onSaved={setView} />;
}

function ServiceForm({
  view,
  send,
  access,
  onSaved,
}: Props & { view: ServiceConnectionView; onSaved(v: ServiceConnectionView): void }) {
  const [mode, setMode] = useState(view.syncRunsIn);
  const [url, setUrl] = useState(view.url ?? '');
  const [orgId, setOrgId] = useState(view.orgId ?? '');
  const [token, setToken] = useState('');
  const [replacing, setReplacing] = useState(!view.tokenSaved);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [message, setMessage] = useState('');
  const [test, setTest] = useState<ServiceTestView>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const [refusals, setRefusals] = useState(0);
  useErrorFocus(form, refusals, errors.general ?? 'Not saved: fix the fields marked');
  // A saved token goes only to the service and org it was saved for (lib/serviceMode/connection.ts).
  const sameService = url.trim().replace(/\/+$/, '') === view.url && orgId.trim() === view.orgId;
  const typedToken = replacing || !view.tokenSaved || !sameService ? { token } : {};

  async function work(run: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    setMessage('');
    try {
      await run();
    } catch (error) {
      setErrors(formErrors(error));
      setRefusals((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  /** Chrome prompts only during a click: the service's origin is asked for before anything is sent. */
  const askAccess = async () => {
    const pattern = originPattern(url);
    if (pattern) await ensureHostAccess(access, [pattern]);
  };

  const save = (event: Event) => {
    event.preventDefault();
    return work(async () => {
      if (mode === 'service') await askAccess();
      const saved = await send('saveServiceConnection', { syncRunsIn: mode, url, orgId, ...typedToken });
      const release = serviceHostToRelease(view, saved);
      if (release) await access.remove([release]).catch(() => false);
      setToken('');
      setReplacing(!saved.tokenSaved);
      setUrl(saved.url ?? url);
      const said =
        saved.syncRunsIn === 'service'
          ? 'Saved: the cycles run in the service; this browser runs none.'
          : 'Saved: the cycles run in this browser.';
      setMessage(said);
      announce(said);
      onSaved(saved);
    });
  };

  const runTest = () =>
    work(async () => {
      await askAccess();
      const report = await send('testServiceConnection', { url, orgId, ...typedToken });
      setTest(report);
      announce(
        report.ok ? `The service answered for org ${report.org.name}` : `Test failed: ${report.error}`,
      );
    });

  return (
    <form class="connection" data-side="service" ref={form} onSubmit={save} noValidate>
      <fieldset class="choice" aria-label="Sync runs in">
        <label>
          <input
            type="radio"
            name="syncRunsIn"
            value="browser"
            checked={mode === 'browser'}
            onChange={() => setMode('browser')}
          />{' '}
          This browser
        </label>{' '}
        <label>
          <input
            type="radio"
            name="syncRunsIn"
            value="service"
            checked={mode === 'service'}
            onChange={() => setMode('service')}
          />{' '}
          A service (<code>npm run service</code>)
        </label>
      </fieldset>
      <p class="muted">
        In a service the cycles run 24/7 on PostgreSQL, and this browser runs none: the popup, the dashboard
        and the record panel show the service's log, and Sync now and Pause go to it. The service's org has
        its own connections and settings (<code>npm run service -- add-org</code>); the ones on this page are
        not used by it.
      </p>
      <FormField
        label="Service URL"
        name="serviceUrl"
        error={errorAt(errors, 'url')}
        hint="The status API, as npm run service prints it"
      >
        <input
          id="serviceUrl"
          placeholder="https://sync.example.com"
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </FormField>
      <FormField label="Org id" name="serviceOrgId" error={errorAt(errors, 'orgId')}>
        <input
          id="serviceOrgId"
          placeholder="acme"
          value={orgId}
          onInput={(e) => setOrgId(e.currentTarget.value)}
        />
      </FormField>
      <FormField label="Token" name="serviceToken" error={errorAt(errors, 'token')}>
        {'token' in typedToken ? (
          <input
            id="serviceToken"
            type="password"
            autocomplete="off"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        ) : (
          <span class="secret-saved">
            •••• saved{' '}
            <button type="button" id="replaceServiceToken" onClick={() => setReplacing(true)}>
              Replace
            </button>
          </span>
        )}
      </FormField>
      <p>
        <button type="submit" id="saveService" aria-disabled={busy}>
          Save
        </button>{' '}
        <button type="button" id="testService" onClick={runTest} aria-disabled={busy}>
          Test
        </button>{' '}
        <span class="save-message">{message}</span>
      </p>
      {errors.general && <p class="error">{errors.general}</p>}
      {test && <ServiceTestResult test={test} />}
    </form>
  );
}

function ServiceTestResult({ test }: { test: ServiceTestView }) {
  if (!test.ok)
    return (
      <div class="test-result bad" data-side="service">
        <p class="error">{test.error}</p>
      </div>
    );
  const { org, lastCycle } = test;
  return (
    <div class="test-result" data-side="service">
      <p>
        Connected: org <strong>{org.name}</strong> ({org.id}), a cycle every {org.intervalMinutes} min
        {test.paused ? ', paused' : ''}
        {test.running ? ', running now' : ''}.
      </p>
      <p>
        {lastCycle
          ? `Last cycle: ${lastCycle.status}, ${lastCycle.endedAt ? 'ended' : 'started'} ${new Date(lastCycle.endedAt ?? lastCycle.startedAt).toLocaleString()}.`
          : 'No cycle yet.'}
        {test.instanceUrl && ` Its Salesforce: ${test.instanceUrl}.`}
      </p>
    </div>
  );
}
