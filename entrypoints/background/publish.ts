import { serialPublisher } from '../../lib/messaging/popupView';

/**
 * Publishes what `read` answers under `key` in storage.session, in order; a failure is logged.
 * The pages read these views at open instead of waking a stopped worker.
 */
export function publisher<T>(key: string, read: () => Promise<T>): () => void {
  const publish = serialPublisher(read, (value) => browser.storage.session.set({ [key]: value }));
  return () => void publish().catch((error: unknown) => console.warn(`[${key}] not published:`, error));
}
