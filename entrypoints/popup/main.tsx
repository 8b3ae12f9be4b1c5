import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../../components/styles.css';
import '../../components/popup.css';
import { prefetchSteps, StepsView } from '../../components/StepsView';
import { SyncHeader } from '../../components/SyncHeader';
import { headerModel } from '../../components/syncHeaderState';
import { syncLog } from '../../lib/db/instance';
import { useBackground } from './useBackground';
import { useStoredView } from './useStoredView';

function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

let painted = false;
/** For tests and the bench: when the first table (and each later one) was on screen. */
function markTablePainted() {
  performance.mark(painted ? 'table-updated' : 'table-painted');
  painted = true;
}

// Opening IndexedDB and reading the first window take round trips to the browser process: start
// them with the script, while the settings are read, not after the first render and its effects.
const firstSteps = prefetchSteps(syncLog);

const openOptions = () => void browser.runtime.openOptionsPage();

function Popup() {
  const stored = useStoredView();
  const background = useBackground();
  const now = useNow(1000);
  // Saved connections change what the background reports: ask again at once.
  const { refresh } = background;
  useEffect(() => {
    if (stored.connections) void refresh();
  }, [stored.connections, refresh]);
  const connections = stored.connections?.ok ? stored.connections.value : undefined;
  const model = headerModel(connections, background.answer);
  const personLabel = stored.settings?.ok ? stored.settings.value.personLabel : 'Lead';
  const settingsError = [stored.settings, stored.connections].find((p) => p && !p.ok);

  // Nothing is shown before the connections are read: a non-admin must not glimpse the log.
  if (!stored.connections) return null;
  if (model.kind === 'admin-required') {
    return (
      <div class="popup">
        <p class="admin-required">Admin permissions required</p>
      </div>
    );
  }
  return (
    <div class="popup">
      <header class="bar">
        <h1>Salesforce Sync Status</h1>
      </header>
      <SyncHeader
        model={model}
        now={now}
        dashboardUrl={browser.runtime.getURL('/dashboard.html')}
        onOpenOptions={openOptions}
        onSyncNow={background.syncNow}
        onSetPaused={background.setPaused}
        notice={background.notice}
        busy={background.busy}
      />
      {settingsError && !settingsError.ok && (
        <p class="notice bad" data-testid="settings-error">
          {settingsError.error}
        </p>
      )}
      <main>
        <StepsView
          db={syncLog}
          personLabel={personLabel}
          instanceUrl={connections?.salesforce.instanceUrl}
          onRendered={markTablePainted}
          prefetched={firstSteps}
        />
      </main>
    </div>
  );
}

render(<Popup />, document.getElementById('app')!);
