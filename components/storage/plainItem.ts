// A storage item for the bundles with a tight budget: the popup (≤ 50 KB gzipped) and the content
// script (≤ 30 KB gzipped, design §9). WXT's storage module (storage.defineItem) adds ~3 KB gzipped
// to a bundle; these few lines do what those bundles need (read, write, watch one key). The worker
// and the options page, which carry WXT's module anyway, declare theirs with storage.defineItem.

export type StorageArea = 'local' | 'session';

/** A key in one storage area and, for the type checker only, the type of its value. */
export interface PlainItem<T> {
  readonly area: StorageArea;
  readonly key: string;
  readonly value?: T;
}

export const plainItem = <T>(area: StorageArea, key: string): PlainItem<T> => ({ area, key });

/** The stored value, unparsed: the caller parses it (or says why it need not). */
export const readItem = async (item: PlainItem<unknown>): Promise<unknown> =>
  (await browser.storage[item.area].get(item.key))[item.key];

export const writeItem = <T>(item: PlainItem<T>, value: T): Promise<void> =>
  browser.storage[item.area].set({ [item.key]: value });

/** The values of items of one area, read in one storage call ({} when it fails). */
export const readItems = (
  area: StorageArea,
  ...items: PlainItem<unknown>[]
): Promise<Record<string, unknown>> =>
  browser.storage[area].get(items.map((item) => item.key)).catch(() => ({}));

/** Calls `onChange` with each new stored value (undefined when removed); returns the unsubscribe. */
export function watchItem(item: PlainItem<unknown>, onChange: (value: unknown) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === item.area && item.key in changes) onChange(changes[item.key]?.newValue);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
