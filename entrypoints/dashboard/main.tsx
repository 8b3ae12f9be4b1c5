import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import '../../components/styles.css';
import '../../components/popup.css';
import '../../components/dashboardErrors.css';
import { ApiUsageCard } from '../../components/ApiUsageCard';
import { DashboardMetrics } from '../../components/DashboardMetrics';
import { DataDictionary } from '../../components/DataDictionary';
import { ErrorsByCause } from '../../components/ErrorsByCause';
import { localSteps, serviceSteps } from '../../components/logSource';
import { type FirstPopupState, firstPopupState, send, usePopupView } from '../../components/publishedView';
import { ReconcileButton } from '../../components/ReconcileButton';
import {
  NotServedByService,
  polled,
  ServiceModeNotice,
  serviceMetrics,
  serviceSettings,
} from '../../components/ServiceDashboard';
import { StepsView } from '../../components/StepsView';
import { settingsStore } from '../../components/storage/settings';
import { syncLog } from '../../lib/db/instance';
import { readDashboardMetrics } from '../../lib/db/metrics';
import type { SendExportRequest } from '../../lib/export/exportChannel';

const requestExport: SendExportRequest = (request) => send('exportSyncErrors', request);
/** The metric sections read the settings after their first paint (components/DashboardMetrics.tsx). */
const loadSettingsStore = () => Promise.resolve(settingsStore());
// This browser's log, or the service's through the background (issue 21, docs/service-mode.md).
const local = localSteps(syncLog);
const localMetrics = (from: number) => readDashboardMetrics(syncLog, from);
const remote = serviceSteps(send, polled);
const remoteMetrics = serviceMetrics(send);

/**
 * The full sync history: the popup's step table with the whole retention window. It shows what the
 * popup does from the same published view (person label, instance URL, the user's time zone).
 */
function Dashboard({ first }: { first: FirstPopupState }) {
  const answer = usePopupView(first.view);
  // The sections below the metric ones mount once those are painted: errors by cause reads every
  // failure of the window, which delayed the page's first paint fivefold (docs/dashboard.md).
  const [metricsPainted, setMetricsPainted] = useState(false);
  const service = answer.kind === 'ok' ? answer.view.service : undefined;
  // One function per service: the metric sections read the settings again when it changes.
  const refusedSettings = useMemo(() => service && serviceSettings(service), [service?.url, service?.orgId]);
  if (answer.kind === 'error') {
    return (
      <p class="notice bad">Background not answering: the log is shown once it answers ({answer.message}).</p>
    );
  }
  const { view } = answer;
  // Admin-only, as the seed dashboard (design §2): nothing of the log for other users.
  if (view.isAdmin === false) return <p class="admin-required">Admin permissions required</p>;
  return (
    <>
      <header class="bar">
        <img class="logo" src="/icon/32.png" alt="" width="20" height="20" />
        <h1>Sync dashboard</h1>
        <a href={browser.runtime.getURL('/options.html')}>Options</a>
      </header>
      <main>
        {service ? (
          <ServiceModeNotice service={service} />
        ) : (
          <ReconcileButton check={() => send('reconcileNow')} />
        )}
        {/* Issue 18 metric sections: backlog trend, throughput and backlog, noisy fields. */}
        <DashboardMetrics
          read={service ? remoteMetrics : localMetrics}
          {...(service && { live: polled })}
          loadStore={refusedSettings ?? loadSettingsStore}
          personLabel={view.personLabel}
          {...(view.timeZone && { timeZone: view.timeZone })}
          onPainted={() => setMetricsPainted(true)}
        />
        {/* End of the metric sections. */}
        {/* Sync health: errors by cause, API usage, data dictionary (issue 18; docs/dashboard-errors.md). */}
        {metricsPainted && service && <NotServedByService />}
        {metricsPainted && !service && (
          <>
            <ErrorsByCause
              db={syncLog}
              send={send}
              store={settingsStore()}
              instanceUrl={view.instanceUrl}
              timeZone={view.timeZone}
            />
            <ApiUsageCard db={syncLog} store={settingsStore()} timeZone={view.timeZone} />
            <DataDictionary db={syncLog} store={settingsStore()} timeZone={view.timeZone} />
          </>
        )}
        {/* End of issue 18's errors, API usage and dictionary sections. */}
        <h2>Sync history</h2>
        <StepsView
          source={service ? remote : local}
          personLabel={view.personLabel}
          instanceUrl={view.instanceUrl}
          {...(view.timeZone && { timeZone: view.timeZone })}
          requestExport={requestExport}
          pageSize={100}
        />
      </main>
    </>
  );
}

void firstPopupState().then((first) => render(<Dashboard first={first} />, document.getElementById('app')!));
