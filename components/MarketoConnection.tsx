import { useRef, useState } from 'preact/hooks';
import { ensureHostAccess, originPattern, releaseHostAccess } from '../lib/connections/hostAccess';
import type { SendMessage } from '../lib/messaging/client';
import type { MarketoConnectionView } from '../lib/messaging/connectionViews';
import { marketoEndpointSchema } from '../lib/settings/connection';
import { announce } from './announce';
import { FormField } from './FormField';
import { errorAt, type FormErrors, formErrors, NO_ERRORS } from './formErrors';
import { HostAccessNotice } from './HostAccessNotice';
import type { HostAccess } from './hostAccess';
import { useErrorFocus } from './useErrorFocus';

interface Props {
  view: MarketoConnectionView;
  send: SendMessage;
  /** Host permissions: the instance is asked for on save, given back on disconnect or change. */
  access: Pick<HostAccess, 'request' | 'contains' | 'remove'>;
  onChange(view: MarketoConnectionView): void;
}

/** The match pattern of the instance an endpoint (or Munchkin id) names, when it names one. */
function instancePattern(endpoint: string | undefined): string | undefined {
  const parsed = endpoint === undefined ? undefined : marketoEndpointSchema.safeParse(endpoint);
  return parsed?.success ? originPattern(parsed.data) : undefined;
}

/**
 * Step 2: the LaunchPoint service's REST endpoint, client id and secret. The secret is typed into a
 * password field and sent once to the background; the page is never given it back, so a saved
 * secret shows as "•••• saved" with Replace.
 */
export function MarketoConnection({ view, send, access, onChange }: Props) {
  const [endpoint, setEndpoint] = useState(view.restEndpoint ?? '');
  const [clientId, setClientId] = useState(view.clientId ?? '');
  const [secret, setSecret] = useState('');
  const [replacing, setReplacing] = useState(!view.secretSaved);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const [refusals, setRefusals] = useState(0);
  useErrorFocus(form, refusals, errors.general ?? 'Not saved: fix the fields marked');

  async function save(event: Event) {
    event.preventDefault();
    // Save is aria-disabled while it works (focus stays on it).
    if (busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    setMessage('');
    // Exactly this instance, asked for while the click still counts as a user gesture; a bad
    // endpoint asks for nothing and the background names the field.
    const wanted = instancePattern(endpoint);
    const before = instancePattern(view.restEndpoint);
    try {
      if (wanted) await ensureHostAccess(access, [wanted]);
      const saved = await send('saveMarketoConnection', {
        restEndpoint: endpoint,
        clientId,
        ...(replacing || !view.secretSaved ? { clientSecret: secret } : {}),
      });
      setSecret('');
      setReplacing(!saved.secretSaved);
      setEndpoint(saved.restEndpoint ?? endpoint);
      setMessage('Saved. Test the connection in Step 3.');
      announce('Marketo connection saved. Test the connection in Step 3.');
      if (before && before !== instancePattern(saved.restEndpoint)) await releaseHostAccess(access, [before]);
      onChange(saved);
    } catch (error) {
      // Not saved: access to a new instance goes back.
      if (wanted && wanted !== before) await releaseHostAccess(access, [wanted]);
      setErrors(formErrors(error));
      setRefusals((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  async function disconnect() {
    if (busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    setMessage('');
    try {
      const removed = await send('disconnectMarketo');
      const before = instancePattern(view.restEndpoint);
      if (before) await releaseHostAccess(access, [before]);
      setEndpoint('');
      setClientId('');
      setSecret('');
      setReplacing(true);
      setMessage('Disconnected: the client secret was removed from this browser.');
      announce('Marketo disconnected: the client secret was removed from this browser.');
      onChange(removed);
    } catch (error) {
      setErrors(formErrors(error));
      setRefusals((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="connection" data-side="marketo" ref={form} onSubmit={save} noValidate>
      <p class="muted">
        In Marketo: Admin → LaunchPoint → your custom service → View Details (client id and secret), and Admin
        → Web Services (REST endpoint).
      </p>
      {view.configured && <HostAccessNotice access={access} url={view.restEndpoint} />}
      <FormField
        label="REST endpoint or Munchkin id"
        name="restEndpoint"
        error={errorAt(errors, 'restEndpoint')}
      >
        <input
          id="restEndpoint"
          placeholder="https://123-ABC-456.mktorest.com/rest"
          value={endpoint}
          onInput={(e) => setEndpoint(e.currentTarget.value)}
        />
      </FormField>
      <FormField label="Client id" name="marketoClientId" error={errorAt(errors, 'clientId')}>
        <input id="marketoClientId" value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} />
      </FormField>
      <FormField label="Client secret" name="clientSecret" error={errorAt(errors, 'clientSecret')}>
        {replacing ? (
          <input
            id="clientSecret"
            type="password"
            autocomplete="off"
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
          />
        ) : (
          <span class="secret-saved">
            •••• saved{' '}
            <button type="button" id="replaceSecret" onClick={() => setReplacing(true)}>
              Replace
            </button>
          </span>
        )}
      </FormField>
      <p>
        <button type="submit" id="saveMarketo" aria-disabled={busy}>
          Save Marketo connection
        </button>{' '}
        {(view.secretSaved || view.restEndpoint) && (
          <>
            <button type="button" id="disconnectMarketo" onClick={disconnect} aria-disabled={busy}>
              Disconnect
            </button>{' '}
          </>
        )}
        <span class="save-message">{message}</span>
      </p>
      {errors.general && <p class="error">{errors.general}</p>}
    </form>
  );
}
