import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../../components/styles.css';
import '../../components/popup.css';
import { localSteps, onPublishedState, serviceSteps } from '../../components/logSource';
import { type FirstPopupState, firstPopupState, send, usePopupView } from '../../components/publishedView';
import { prefetchSteps, type StepsPrefetch, StepsView } from '../../components/StepsView';
import { SyncHeader } from '../../components/SyncHeader';
import { headerModel } from '../../components/syncHeaderState';
import { syncLog } from '../../lib/db/instance';
import type { SendExportRequest } from '../../lib/export/exportChannel';
import { useBackground } from './useBackground';

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

/**
 * Steps in the first window and added by "Load more": the last two cycles of a typical 10-step
 * plan, which with their cycle rows fill the popup's 600 px (about 17 rows under the header) and
 * a few rows more. Rendering, laying out and painting rows is most of the first paint once the log
 * answers (measured: 20 steps paint ~25–30 ms sooner than 30), so rows further down wait for
 * "Load more" (the dashboard shows 100).
 */
const PAGE_SIZE = 20;

// Opening IndexedDB and reading the first window take round trips to the browser process, and so
// does reading the view the background published: start both with the script, side by side.
const local = localSteps(syncLog);
const remote = serviceSteps(send, onPublishedState);
let firstSteps: StepsPrefetch | undefined = prefetchSteps(local, PAGE_SIZE);
const firstState = firstPopupState();

const openOptions = () => void browser.runtime.openOptionsPage();
const requestExport: SendExportRequest = (request) => send('exportSyncErrors', request);

function Popup({ first }: { first: FirstPopupState }) {
  const answer = usePopupView(first.view);
  const background = useBackground(first.syncState);
  const now = useNow(1000);
  const view = answer.kind === 'ok' ? answer.view : undefined;
  const model = view && headerModel(view, background.answer);
  // Saved connections change what the background reports: ask again at once.
  const { refresh } = background;
  useEffect(() => {
    if (answer !== first.view) void refresh();
  }, [answer, refresh]);
  const showsLog = model?.kind === 'status';
  // Service mode (issue 21): the table shows the service's log, which the background reads.
  const service = view?.service;
  useEffect(() => {
    // Shown later, the table starts its own query.
    if (!showsLog || service) firstSteps?.live.stop();
    firstSteps = undefined;
  }, [showsLog]);

  // Nothing of the log without the view: a non-admin must not glimpse it.
  if (answer.kind === 'error') {
    return (
      <div class="popup">
        <p class="notice bad" data-testid="background-problem">
          Background not answering: the sync state and the log are shown once it answers ({answer.message}).
        </p>
      </div>
    );
  }
  if (!model || model.kind === 'admin-required') {
    return (
      <div class="popup">
        <p class="admin-required">Admin permissions required</p>
      </div>
    );
  }
  return (
    <div class="popup">
      <header class="bar">
        <img class="logo" src="/icon/32.png" alt="" width="20" height="20" />
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
      {answer.view.settingsError && (
        <p class="notice bad" data-testid="settings-error">
          {answer.view.settingsError}
        </p>
      )}
      <main>
        <StepsView
          source={service ? remote : local}
          personLabel={answer.view.personLabel}
          instanceUrl={answer.view.instanceUrl}
          {...(answer.view.timeZone && { timeZone: answer.view.timeZone })}
          requestExport={requestExport}
          pageSize={PAGE_SIZE}
          onRendered={markTablePainted}
          prefetched={service ? undefined : firstSteps}
        />
      </main>
    </div>
  );
}

/**
 * The first frame waits for the view and, briefly, for the first window: the header and the table
 * are laid out and painted once, together, rather than the header first and the table a frame later.
 */
const FIRST_ROWS_WAIT_MS = 150;
const rowsOrTimeout = Promise.race([
  firstSteps?.live.answered,
  new Promise<void>((resolve) => setTimeout(resolve, FIRST_ROWS_WAIT_MS)),
]);
void Promise.all([firstState, rowsOrTimeout]).then(([first]) =>
  render(<Popup first={first} />, document.getElementById('app')!),
);
