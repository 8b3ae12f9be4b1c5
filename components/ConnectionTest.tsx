import { useState } from 'preact/hooks';
import type { SendMessage } from '../lib/messaging/client';
import type { ApiUsageView, ConnectionTestView } from '../lib/messaging/connectionViews';
import { announce } from './announce';
import { PreflightFindings } from './PreflightFindings';

interface Props {
  send: SendMessage;
  report?: ConnectionTestView;
  onReport(report: ConnectionTestView): void;
  canSync: boolean;
}

const number = new Intl.NumberFormat();

function Usage({ usage, unit, period }: { usage: ApiUsageView; unit: [string, string]; period: string }) {
  const of = usage.max !== undefined ? ` of ${number.format(usage.max)}` : '';
  const noun = usage.used === 1 && usage.max === undefined ? unit[0] : unit[1];
  return (
    <span class="usage">
      API usage {period}: {number.format(usage.used)}
      {of} {noun}. The sync may spend {number.format(usage.budget)} a day (API budget below)
      {usage.max === undefined ? "; Marketo's default quota is 50,000 calls a day." : '.'}
    </span>
  );
}

/** Step 3: test both connections (who, API usage, pre-flight), then run the first cycle. */
export function ConnectionTest({ send, report, onReport, canSync }: Props) {
  const [busy, setBusy] = useState(false);
  const [syncMessage, setSyncMessage] = useState('');

  const tell = (text: string) => {
    setSyncMessage(text);
    announce(text);
  };
  async function test() {
    // aria-disabled while it works: focus stays on the button.
    if (busy) return;
    setBusy(true);
    try {
      const report = await send('testConnections', {});
      onReport(report);
      const said = (ok: boolean | undefined) => (ok ? 'connected' : 'failed');
      announce(`Salesforce ${said(report.salesforce?.ok)}, Marketo ${said(report.marketo?.ok)}`);
    } catch (error) {
      tell(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  async function firstSync() {
    const answer = await send('syncNow').catch(
      (e: Error) => ({ status: 'error', message: e.message }) as const,
    );
    tell(
      answer.status === 'started' || answer.status === 'queued'
        ? 'The first cycle is running: follow it in the toolbar popup or the dashboard.'
        : answer.message,
    );
  }

  const sf = report?.salesforce;
  const mk = report?.marketo;
  const bothOk = sf?.ok && mk?.ok;
  return (
    <div class="connection-test">
      <p>
        <button type="button" id="testConnections" onClick={test} aria-disabled={busy}>
          {busy ? 'Testing…' : 'Test connections'}
        </button>{' '}
        {report && <span class="muted">Last tested {new Date(report.checkedAt).toLocaleString()}</span>}
      </p>
      {sf && (
        <div class={`test-result ${sf.ok ? 'ok' : 'bad'}`} data-side="salesforce">
          <h4>Salesforce</h4>
          {sf.ok ? (
            <>
              <p class="who">
                Connected as <strong>{sf.who.displayName}</strong> ({sf.who.username}){' '}
                {sf.who.isAdmin ? '· admin' : '· not an admin'} · org {sf.who.orgId} at {sf.who.instanceHost}{' '}
                · {sf.who.timeZone}
              </p>
              <p>
                <Usage usage={sf.usage} unit={['request', 'requests']} period="in the last 24 h" />
              </p>
              {sf.preflight && <PreflightFindings findings={sf.preflight} />}
            </>
          ) : (
            <p class="error">{sf.error}</p>
          )}
        </div>
      )}
      {mk && (
        <div class={`test-result ${mk.ok ? 'ok' : 'bad'}`} data-side="marketo">
          <h4>Marketo</h4>
          {mk.ok ? (
            <>
              <p class="who">
                Connected to <strong>{mk.who.endpointHost}</strong>
                {mk.who.apiUser && <> as API user {mk.who.apiUser}</>}
              </p>
              <p>
                <Usage usage={mk.usage} unit={['call', 'calls']} period="today" />
              </p>
            </>
          ) : (
            <p class="error">{mk.error}</p>
          )}
        </div>
      )}
      {bothOk && canSync && (
        <p>
          <button type="button" id="firstSync" onClick={firstSync}>
            Run a sync cycle now
          </button>
        </p>
      )}
      {syncMessage && <p class="save-message">{syncMessage}</p>}
    </div>
  );
}
