import { render } from 'preact';
import '../../components/styles.css';
import { RecentCycles } from '../../components/RecentCycles';
import { useSettings } from '../../components/useSettings';
import { syncLog } from '../../lib/db/instance';

function Popup() {
  const settings = useSettings();
  return (
    <div style={{ width: '780px', maxHeight: '600px' }}>
      <header class="bar">
        <h1>Salesforce Sync Status</h1>
        <a href={browser.runtime.getURL('/dashboard.html')} target="_blank" rel="noreferrer">
          Dashboard
        </a>
        <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
          Options
        </a>
      </header>
      <main>
        <RecentCycles db={syncLog} limit={10} personLabel={settings?.personLabel ?? 'Lead'} />
      </main>
    </div>
  );
}

render(<Popup />, document.getElementById('app')!);
