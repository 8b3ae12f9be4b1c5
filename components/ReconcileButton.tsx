import { useState } from 'preact/hooks';
import type { SyncRequestResult } from '../lib/messaging/views';
import { announce } from './announce';

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
  const tell = (text: string) => {
    setMessage(text);
    announce(text);
  };
  async function run() {
    if (busy) return;
    setBusy(true);
    try {
      const answer = await check();
      tell(
        answer.status === 'refused'
          ? answer.message
          : `${answer.status === 'queued' ? 'Queued after the cycle in progress' : 'Started'}: the Reconcile rows below show records compared and drifted; the next cycle repairs drifted ones.`,
      );
    } catch (error) {
      tell(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <p class="reconcile-now">
      {/* aria-disabled, not disabled, while it works: focus stays on the button. */}
      <button type="button" id="reconcileNow" onClick={run} aria-disabled={busy}>
        Check both sides now
      </button>{' '}
      <span class="muted">{message}</span>
    </p>
  );
}
