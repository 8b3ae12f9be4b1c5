import { useEffect, useRef } from 'preact/hooks';
import type { ReplayAnswer } from '../lib/scheduler/scheduler';

/** Where a replay is: asked, answered, or failed to ask. */
export type ReplayProgress =
  | { phase: 'running' }
  | { phase: 'done'; answer: ReplayAnswer }
  | { phase: 'error'; message: string };

/** Whether the panel offers Replay: a failed record owing a Marketo → Salesforce update. */
export const canReplay = (owed: readonly { operation: string }[] | undefined) =>
  owed?.some((o) => o.operation === 'Push Updates') ?? false;

/**
 * Replay as the sync user (lib/sync/replay.ts): the button, and the raw request and response of
 * the re-sent update, shown as text (Salesforce's answer is never rendered as HTML).
 */
export function RecordPanelReplay({
  progress,
  onReplay,
}: {
  progress?: ReplayProgress;
  onReplay: () => void;
}) {
  const running = progress?.phase === 'running';
  const box = useRef<HTMLDivElement>(null);
  // The answer opens below the button, at the panel's bottom: bring it into the panel's view.
  useEffect(() => {
    if (progress && progress.phase !== 'running') box.current?.scrollIntoView({ block: 'nearest' });
  }, [progress]);
  return (
    <div class="replay" ref={box}>
      <button
        type="button"
        class="replay-now"
        aria-disabled={running}
        title="Sends the update that failed again, alone, as the connected sync user, and shows what Salesforce answers"
        onClick={() => !running && onReplay()}
      >
        {running ? 'Replaying…' : 'Replay as the sync user'}
      </button>
      {progress && progress.phase !== 'running' && <ReplayOutcome progress={progress} />}
    </div>
  );
}

function ReplayOutcome({ progress }: { progress: Exclude<ReplayProgress, { phase: 'running' }> }) {
  if (progress.phase === 'error') return <p class="error">Replay failed: {progress.message}</p>;
  const { answer } = progress;
  if (answer.status === 'refused') return <p class="refusal">Replay refused: {answer.message}</p>;
  const result = answer.result;
  if (result.kind === 'not-sent') return <p class="refusal">Nothing sent: {result.reason}</p>;
  const { request, response } = result.exchange;
  const headers = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}`);
  return (
    <div class="replay-result" data-outcome={result.outcome}>
      <p class={result.outcome === 'updated' ? 'done' : 'error'}>
        {result.outcome === 'updated'
          ? `Salesforce took it: ${result.fields.join(', ')} written; the state below is the new one.`
          : `Salesforce refused it again${result.error ? `: ${result.error.code} ${result.error.message}` : ''}.`}
        {result.valueRules?.length
          ? ` Value rule applied: ${result.valueRules.map((r) => `${r.field} “${r.from}” → “${r.to}”`).join(', ')}.`
          : ''}
      </p>
      <p class="section">Request (the token is left out)</p>
      <pre class="raw raw-request">
        {[`${request.method} ${request.url}`, ...headers(request.headers), '', request.body ?? ''].join('\n')}
      </pre>
      <p class="section">Response</p>
      <pre class="raw raw-response">
        {[
          `HTTP ${response.status} ${response.statusText}`,
          ...headers(response.headers),
          '',
          response.body,
        ].join('\n')}
      </pre>
    </div>
  );
}
