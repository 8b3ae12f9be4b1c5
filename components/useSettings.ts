import { useEffect, useState } from 'preact/hooks';
import type { SyncSettings } from '../lib/settings/schema';
import { settingsStore } from '../lib/settings/store';

/** The current sync settings, kept up to date when the options page saves new ones. */
export function useSettings(): SyncSettings | undefined {
  const [settings, setSettings] = useState<SyncSettings>();
  useEffect(() => {
    const store = settingsStore();
    store.getSettings().then(setSettings, () => undefined);
    return store.watchSettings((parsed) => parsed.ok && setSettings(parsed.value));
  }, []);
  return settings;
}
