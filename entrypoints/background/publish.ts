import type { PlainItem } from '../../components/storage/plainItem';
import { publish } from '../../components/storage/published';
import { serialPublisher } from '../../lib/messaging/popupView';

/**
 * Publishes what `read` answers as `item` in storage.session, in order; a failure is logged.
 * The pages read these views at open instead of waking a stopped worker.
 */
export function publisher<T>(item: PlainItem<T>, read: () => Promise<T>): () => void {
  const write = serialPublisher(read, (value) => publish(item, value));
  return () => void write().catch((error: unknown) => console.warn(`[${item.key}] not published:`, error));
}
