import type { PopupView, SyncStateView } from '../../lib/messaging/views';
import { type PlainItem, plainItem, readItems, watchItem, writeItem } from './plainItem';

// What the worker publishes in storage.session for the extension's pages (the popup and the
// dashboard), declared here once for the writer and the readers. storage.session is open to the
// extension's pages and worker only, never to content scripts, and only the worker writes these
// keys, always from zod-parsed data (the settings store, the log), so the pages read them without
// zod: the popup's budget (≤ 50 KB gzipped, design §9) has no room for zod (~15 KB there).

/**
 * The popup's view of the zod-parsed settings, so that an opening popup reads it (a few ms) instead
 * of waking a stopped worker for it (150–300 ms here).
 */
export const popupViewItem = plainItem<PopupView>('session', 'popupView');

/**
 * The scheduler's state, published whenever a cycle starts or ends or the sync is paused: an open
 * popup's header follows at once.
 */
export const syncStateItem = plainItem<SyncStateView>('session', 'syncState');

export const publish = <T>(item: PlainItem<T>, value: T): Promise<void> => writeItem(item, value);

/** Takes a published view back (the worker, when what it showed no longer holds: a mode switch). */
export const unpublish = (item: PlainItem<unknown>): Promise<void> =>
  browser.storage[item.area].remove(item.key);

/** What the worker last published as the popup view and the sync state (one storage call). */
export async function readPublished(): Promise<{ view?: PopupView; syncState?: SyncStateView }> {
  const stored = await readItems('session', popupViewItem, syncStateItem);
  const view = stored[popupViewItem.key] as PopupView | undefined;
  const syncState = stored[syncStateItem.key] as SyncStateView | undefined;
  return { ...(view && { view }), ...(syncState && { syncState }) };
}

/** Calls `onChange` with each value the worker publishes as `item` (undefined when removed). */
export const watchPublished = <T>(
  item: PlainItem<T>,
  onChange: (value: T | undefined) => void,
): (() => void) => watchItem(item, (value) => onChange(value as T | undefined));
