import { useEffect, useState } from 'preact/hooks';
import { createMessageClient } from '../lib/messaging/client';
import { messageOf } from '../lib/messaging/envelope';
import type { PopupView, SyncStateView } from '../lib/messaging/views';
import { popupViewItem, readPublished, watchPublished } from './storage/published';

// How the extension's pages (the popup and the dashboard) open with what the background published
// in storage.session (components/storage/published.ts): the view of the zod-parsed settings and
// the sync state.

export const send = createMessageClient(browser.runtime);

export type PopupViewAnswer = { kind: 'ok'; view: PopupView } | { kind: 'error'; message: string };

/** The background parses the stored settings with zod and answers what the popup shows. */
export const askPopupView = (): Promise<PopupViewAnswer> =>
  send('getPopupView').then(
    (view) => ({ kind: 'ok', view }),
    (error: unknown) => ({ kind: 'error', message: messageOf(error) }),
  );

/** What the popup opens with: the published view, and the sync state when one was published. */
export interface FirstPopupState {
  view: PopupViewAnswer;
  syncState?: SyncStateView;
}

/**
 * The view the background published in storage.session (popupViewItem: only the worker writes
 * it, from the zod-parsed settings), so that opening the popup does not wait for a stopped
 * worker to start; asked for when none was published yet. The sync state it last published
 * (syncStateItem) comes with the same read, so the header is whole at the first paint; the
 * popup still asks the worker for the current one at once.
 */
export async function firstPopupState(): Promise<FirstPopupState> {
  const { view, syncState } = await readPublished();
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
      watchPublished(popupViewItem, (view) => {
        if (view) setAnswer({ kind: 'ok', view });
        else void askPopupView().then(setAnswer);
      }),
    [],
  );
  return answer;
}
