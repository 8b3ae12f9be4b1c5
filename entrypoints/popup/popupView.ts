import { useEffect, useState } from 'preact/hooks';
import { createMessageClient } from '../../lib/messaging/client';
import type { PopupView } from '../../lib/messaging/views';
import { STORAGE_KEYS } from '../../lib/settings/keys';

export const send = createMessageClient(browser.runtime);

export type PopupViewAnswer = { kind: 'ok'; view: PopupView } | { kind: 'error'; message: string };

/** The background parses the stored settings with zod and answers what the popup shows. */
export const askPopupView = (): Promise<PopupViewAnswer> =>
  send('getPopupView').then(
    (view) => ({ kind: 'ok', view }),
    (error: unknown) => ({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );

// storage.onChanged names keys without WXT's `local:` prefix.
const WATCHED = [STORAGE_KEYS.settings, STORAGE_KEYS.connections].map((key) => key.replace(/^local:/, ''));

/** How soon a popup whose background did not answer asks again. */
const RETRY_MS = 5000;

/** The popup's view, asked again when the options page saves settings or connections. */
export function usePopupView(first: PopupViewAnswer): PopupViewAnswer {
  const [answer, setAnswer] = useState(first);
  const failed = answer.kind === 'error';
  useEffect(() => {
    if (!failed) return;
    const timer = setTimeout(() => void askPopupView().then(setAnswer), RETRY_MS);
    return () => clearTimeout(timer);
  }, [answer]);
  useEffect(() => {
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && WATCHED.some((key) => key in changes)) void askPopupView().then(setAnswer);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  return answer;
}
