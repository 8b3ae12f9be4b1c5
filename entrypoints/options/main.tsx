import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import '../../components/styles.css';
import '../../components/options.css';
import { ConnectionTest } from '../../components/ConnectionTest';
import { FirstRunSteps, setupSteps } from '../../components/FirstRunSteps';
import { GeneralSettingsForm } from '../../components/GeneralSettingsForm';
import { browserHostAccess } from '../../components/hostAccess';
import { MarketoConnection } from '../../components/MarketoConnection';
import { SalesforceConnection } from '../../components/SalesforceConnection';
import { SettingsTransfer } from '../../components/SettingsTransfer';
import { SyncRunsIn } from '../../components/SyncRunsIn';
import { settingsStore } from '../../components/storage/settings';
import { createMessageClient } from '../../lib/messaging/client';
import type { ConnectionsView } from '../../lib/messaging/connectionViews';
import { cachedObjectFields } from './fieldCache';

const send = createMessageClient(browser.runtime);
const store = settingsStore();

function Options() {
  const [view, setView] = useState<ConnectionsView>();
  const [error, setError] = useState('');
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    send('getConnections').then(setView, (e: Error) => setError(e.message));
  }, []);
  // New connections can see other fields: describe again.
  const loadFields = useMemo(
    () => cachedObjectFields(send),
    [view?.salesforce.connected, view?.salesforce.instanceUrl, view?.marketo.configured],
  );

  if (!view) return <p class="muted">{error || 'Loading…'}</p>;
  const steps = setupSteps(view);
  const firstRun = !steps.every((s) => s.done);
  const heading = (index: number, title: string) => (firstRun ? `Step ${index}: ${title}` : title);

  return (
    <>
      <header class="bar">
        <img class="logo" src="/icon/32.png" alt="" width="20" height="20" />
        <h1>Salesforce Sync Status — Options</h1>
        <a href={browser.runtime.getURL('/dashboard.html')}>Dashboard</a>
      </header>
      <main class="options">
        <FirstRunSteps view={view} />
        <section id="salesforce">
          <h2>{heading(1, 'Salesforce')}</h2>
          <SalesforceConnection
            view={view.salesforce}
            oauthRedirectUri={view.oauthRedirectUri}
            send={send}
            access={browserHostAccess}
            onChange={(salesforce) => setView({ ...view, salesforce, lastTest: undefined })}
          />
        </section>
        <section id="marketo">
          <h2>{heading(2, 'Marketo')}</h2>
          <MarketoConnection
            view={view.marketo}
            send={send}
            access={browserHostAccess}
            onChange={(marketo) => setView({ ...view, marketo })}
          />
        </section>
        <section id="test">
          <h2>{heading(3, 'Test connections and first sync')}</h2>
          <ConnectionTest
            send={send}
            canSync={view.salesforce.connected && view.marketo.configured}
            onReport={(lastTest) => setView({ ...view, lastTest })}
            {...(view.lastTest && { report: view.lastTest })}
          />
        </section>
        <section id="sync-runs-in">
          <h2>Sync runs in</h2>
          <SyncRunsIn send={send} access={browserHostAccess} />
        </section>
        <section id="settings">
          <h2>Sync settings</h2>
          <GeneralSettingsForm
            store={store}
            loadFields={loadFields}
            revision={revision}
            loadPairChoices={() => send('getProgramPairChoices')}
            loadEmailFolders={() => send('getEmailFolderChoices')}
          />
        </section>
        <section id="transfer">
          <h2>Copy settings to another browser</h2>
          <SettingsTransfer store={store} onImported={() => setRevision(revision + 1)} />
        </section>
      </main>
    </>
  );
}

render(<Options />, document.getElementById('app')!);
