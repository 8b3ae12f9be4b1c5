import { render } from 'preact';
import '../../components/styles.css';
import { GeneralSettingsForm } from '../../components/GeneralSettingsForm';
import { settingsStore } from '../../lib/settings/store';

function Options() {
  return (
    <>
      <header class="bar">
        <h1>Salesforce Sync Status — Options</h1>
        <a href={browser.runtime.getURL('/dashboard.html')}>Dashboard</a>
      </header>
      <main>
        <h2>Sync settings</h2>
        <GeneralSettingsForm store={settingsStore()} />
      </main>
    </>
  );
}

render(<Options />, document.getElementById('app')!);
