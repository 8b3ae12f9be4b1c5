import { useEffect, useState } from 'preact/hooks';
import { createMessageClient } from '../lib/messaging/client';
import { POPUP_VIEW_KEY, SYNC_STATE_KEY } from '../lib/messaging/popupView';
import type { PopupView, SyncStateView } from '../lib/messaging/views';

// What the background publishes in storage.session for the extension's pages (the popup and the
// dashboard): the view of the zod-parsed settings and the sync state. Only the worker writes
// these keys, so the pages read them without zod.

export const send = createMessageClient(browser.runtime);

export type PopupViewAnswer = { kind: 'ok'; view: PopupView } | { kind: 'error'; message: string };

/** The background parses the stored settings with zod and answers what the popup shows. */
export const askPopupView = (): Promise<PopupViewAnswer> =>
  send('getPopupView').then(
    (view) => ({ kind: 'ok', view }),
    (error: unknown) => ({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );

/** What the popup opens with: the published view, and the sync state when one was published. */
export interface FirstPopupState {
  view: PopupViewAnswer;
  syncState?: SyncStateView;
}

/**
 * The view the background published in storage.session (see POPUP_VIEW_KEY: only the worker
 * writes it, from the zod-parsed settings), so that opening the popup does not wait for a stopped
 * worker to start; asked for when none was published yet. The sync state it last published
 * (SYNC_STATE_KEY) comes with the same read, so the header is whole at the first paint; the
 * popup still asks the worker for the current one at once.
 */
export async function firstPopupState(): Promise<FirstPopupState> {
  const published = (await browser.storage.session
    .get([POPUP_VIEW_KEY, SYNC_STATE_KEY])
    .catch(() => ({}))) as {
    [POPUP_VIEW_KEY]?: PopupView;
    [SYNC_STATE_KEY]?: SyncStateView;
  };
  const view = published[POPUP_VIEW_KEY];
  const syncState = published[SYNC_STATE_KEY];
  return {
    view: view ? { kind: 'ok', view } : await askPopupView(),
    ...(syncState && { syncState }),
  };
}

/** How soon a popup whose background did not answer asks again. */
const RETRY_MS = 5000;

/** The popup's view, updated when the background publishes a new one (settings saved). */
export function usePopupView(first: PopupViewAnswer): PopupViewAnswer {
  const [answer, setAnswer] = useState(first);
  const failed = answer.kind === 'error';
  useEffect(() => {
    if (!failed) return;
    const timer = setTimeout(() => void askPopupView().then(setAnswer), RETRY_MS);
    return () => clearTimeout(timer);
  }, [answer]);
  useEffect(
    () =>
      watchPublished<PopupView>(POPUP_VIEW_KEY, (view) => {
        if (view) setAnswer({ kind: 'ok', view });
        else void askPopupView().then(setAnswer);
      }),
    [],
  );
  return answer;
}

/**
 * Calls `onChange` with each new value the background publishes under `key` (undefined when it is
 * removed); returns the unsubscribe.
 */
export function watchPublished<T>(key: string, onChange: (value: T | undefined) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'session' && key in changes) onChange(changes[key]?.newValue as T | undefined);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
