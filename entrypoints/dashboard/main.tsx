import { render } from 'preact';
import '../../components/styles.css';
import { RecentCycles } from '../../components/RecentCycles';
import { useSettings } from '../../components/useSettings';
import { syncLog } from '../../lib/db/instance';

function Dashboard() {
  const settings = useSettings();
  return (
    <>
      <header class="bar">
        <h1>Sync dashboard</h1>
        <a href={browser.runtime.getURL('/options.html')}>Options</a>
      </header>
      <main>
        <h2>Sync history</h2>
        <RecentCycles db={syncLog} limit={100} personLabel={settings?.personLabel ?? 'Lead'} />
      </main>
    </>
  );
}

render(<Dashboard />, document.getElementById('app')!);
