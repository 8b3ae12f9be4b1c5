import { useLayoutEffect, useState } from 'preact/hooks';
import {
  parseViewConnections,
  parseViewSettings,
  VIEW_STORAGE_KEYS,
  type ViewConnections,
  type ViewParsed,
  type ViewSettings,
} from '../../components/viewSettings';

export interface StoredView {
  settings?: ViewParsed<ViewSettings>;
  connections?: ViewParsed<ViewConnections>;
}

const keys = Object.values(VIEW_STORAGE_KEYS);
/** Started when the popup's script runs, not after its first render: the table waits for it. */
let firstRead: Promise<Record<string, unknown>> | undefined = browser.storage.local.get(keys);

/** The settings and connections the popup shows, re-read when the options page saves them. */
export function useStoredView(): StoredView {
  const [view, setView] = useState<StoredView>({});
  // A layout effect: a passive one would start reading only after the first (empty) frame.
  useLayoutEffect(() => {
    const read = () => {
      const pending = firstRead ?? browser.storage.local.get(keys);
      firstRead = undefined;
      return pending.then(
        (stored) =>
          setView({
            settings: parseViewSettings(stored[VIEW_STORAGE_KEYS.settings]),
            connections: parseViewConnections(stored[VIEW_STORAGE_KEYS.connections]),
          }),
        (error: unknown) => {
          const failed = { ok: false as const, error: `Could not read the settings: ${String(error)}` };
          setView({ settings: failed, connections: failed });
        },
      );
    };
    void read();
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && keys.some((k) => k in changes)) void read();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  return view;
}
