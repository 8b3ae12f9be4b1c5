import { useEffect, useState } from 'preact/hooks';
import type { SyncSettings } from '../lib/settings/schema';
import type { SettingsStore } from '../lib/settings/store';

export type SettingsState = { settings?: SyncSettings; error?: string };

/**
 * The stored sync settings (parsed by the store's schema), kept current: the options page or a
 * dashboard section may save them while the dashboard is open.
 */
export function useSyncSettings(store: SettingsStore): SettingsState {
  const [state, setState] = useState<SettingsState>({});
  useEffect(() => {
    let current = true;
    store.getSettings().then(
      (settings) => current && setState({ settings }),
      (error: unknown) =>
        current && setState({ error: error instanceof Error ? error.message : String(error) }),
    );
    const stop = store.watchSettings((parsed) =>
      setState(
        parsed.ok ? { settings: parsed.value } : { error: parsed.errors.map((e) => e.message).join('; ') },
      ),
    );
    return () => {
      current = false;
      stop();
    };
  }, [store]);
  return state;
}
