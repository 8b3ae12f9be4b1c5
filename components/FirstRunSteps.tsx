import type { ConnectionsView } from '../lib/messaging/connectionViews';

/** Whether the three first-run steps are done, from the connection state and the last test. */
export function setupSteps(view: ConnectionsView) {
  const test = view.lastTest;
  return [
    { id: 'salesforce', title: 'Connect Salesforce', done: view.salesforce.connected },
    { id: 'marketo', title: 'Connect Marketo', done: view.marketo.configured },
    {
      id: 'test',
      title: 'Test the connections and run a first sync',
      done: !!(test?.salesforce?.ok && test.marketo?.ok),
    },
  ];
}

/** The first-run checklist: shown until both sides are connected and tested. */
export function FirstRunSteps({ view }: { view: ConnectionsView }) {
  const steps = setupSteps(view);
  if (steps.every((s) => s.done)) return null;
  return (
    <section class="first-run" aria-label="Getting started">
      <h2>Getting started</h2>
      <p>Three steps to your first sync cycle. Nothing syncs until both sides are connected.</p>
      <ol>
        {steps.map((s, i) => (
          <li key={s.id} class={s.done ? 'done' : ''} data-step={s.id}>
            <a href={`#${s.id}`}>
              Step {i + 1}: {s.title}
            </a>{' '}
            {s.done ? <span class="status status-ok">done</span> : <span class="muted">to do</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
