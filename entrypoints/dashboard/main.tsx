import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../../components/styles.css';
import '../../components/popup.css';
import { StepsView } from '../../components/StepsView';
import { useSettings } from '../../components/useSettings';
import { syncLog } from '../../lib/db/instance';
import type { SendExportRequest } from '../../lib/export/exportChannel';
import { createMessageClient } from '../../lib/messaging/client';
import { timeZoneFromConnectionTest } from '../../lib/records/userTimeZone';
import type { ConnectionSettings } from '../../lib/settings/connection';
import { settingsStore } from '../../lib/settings/store';

const send = createMessageClient(browser.runtime);
const requestExport: SendExportRequest = (request) => send('exportSyncErrors', request);

function useConnections(): ConnectionSettings | undefined {
  const [connections, setConnections] = useState<ConnectionSettings>();
  useEffect(() => {
    settingsStore()
      .getConnections()
      .then(setConnections, () => undefined);
  }, []);
  return connections;
}

/** The Salesforce user's time zone from the last connection test (the table falls back to the browser's). */
function useUserTimeZone(): string | undefined {
  const [timeZone, setTimeZone] = useState<string>();
  useEffect(() => {
    browser.storage.local.get('connectionTest').then(
      ({ connectionTest }) => setTimeZone(timeZoneFromConnectionTest(connectionTest)),
      () => undefined,
    );
  }, []);
  return timeZone;
}

/** The full sync history: the popup's step table with the whole retention window. */
function Dashboard() {
  const settings = useSettings();
  const connections = useConnections();
  const timeZone = useUserTimeZone();
  if (!connections) return null;
  // Admin-only, as the seed dashboard (design §2): nothing of the log for other users.
  if (connections.salesforce.user?.isAdmin === false) {
    return <p class="admin-required">Admin permissions required</p>;
  }
  return (
    <>
      <header class="bar">
        <h1>Sync dashboard</h1>
        <a href={browser.runtime.getURL('/options.html')}>Options</a>
      </header>
      <main>
        <h2>Sync history</h2>
        <StepsView
          db={syncLog}
          personLabel={settings?.personLabel ?? 'Lead'}
          instanceUrl={connections.salesforce.instanceUrl}
          {...(timeZone && { timeZone })}
          requestExport={requestExport}
          pageSize={100}
        />
      </main>
    </>
  );
}

render(<Dashboard />, document.getElementById('app')!);
