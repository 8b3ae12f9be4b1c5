import type { SendMessage } from '../../lib/messaging/client';
import type { ObjectFieldsView } from '../../lib/messaging/connectionViews';

/** One describe per object per connection state: the mapping editor and the filter field share it. */
export function cachedObjectFields(send: SendMessage): (objectType: string) => Promise<ObjectFieldsView> {
  const cache = new Map<string, Promise<ObjectFieldsView>>();
  return (objectType) => {
    let pending = cache.get(objectType);
    if (!pending) {
      pending = send('getObjectFields', { objectType }).catch(
        (error: Error): ObjectFieldsView => ({
          objectType,
          salesforce: [],
          marketo: [],
          error: error.message,
        }),
      );
      cache.set(objectType, pending);
    }
    return pending;
  };
}
