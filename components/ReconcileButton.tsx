import { useState } from 'preact/hooks';
import type { SyncRequestResult } from '../lib/messaging/views';

interface Props {
  /** Asks the background for a cycle that runs Reconcile now. */
  check: () => Promise<SyncRequestResult>;
}

/**
 * "Check both sides now": a cycle that reads every synced record in Salesforce and Marketo and
 * counts those that disagree as Drifted (the Reconcile rows of the table); the cycle after it
 * repairs them. It spends at most the share of the API budget set on the options page.
 */
export function ReconcileButton({ check }: Props) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  async function run() {
    setBusy(true);
    try {
      const answer = await check();
      setMessage(
        answer.status === 'refused'
          ? answer.message
          : `${answer.status === 'queued' ? 'Queued after the cycle in progress' : 'Started'}: the Reconcile rows below show records compared and drifted; the next cycle repairs drifted ones.`,
      );
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <p class="reconcile-now">
      <button type="button" id="reconcileNow" onClick={run} disabled={busy}>
        Check both sides now
      </button>{' '}
      <span class="muted" role="status">
        {message}
      </span>
    </p>
  );
}
