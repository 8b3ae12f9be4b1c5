import { orgPageOrigins } from '../../lib/messaging/contentScriptScope';
import { createMessageRouter, type MessageRouter } from '../../lib/messaging/router';
import type { WorkerClients } from './clients';

/**
 * The one router of the worker: every feature registers its messages on it. Content scripts are
 * answered on the connected org's pages only (lib/messaging/contentScriptScope.ts).
 */
export function setupMessaging({ store }: WorkerClients): MessageRouter {
  return createMessageRouter(browser.runtime, {
    onRefused: (reason) => console.warn('Refused a message:', reason),
    orgOrigins: async () => orgPageOrigins((await store.getConnections()).salesforce.instanceUrl),
  });
}
