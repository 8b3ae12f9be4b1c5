import { orgPageOrigins } from '../../lib/messaging/contentScriptScope';
import { createMessageRouter, type MessageRouter } from '../../lib/messaging/router';
import type { WorkerLogSource } from './logSource';

/**
 * The one router of the worker: every feature registers its messages on it. Content scripts are
 * answered on the connected org's pages only (lib/messaging/contentScriptScope.ts): this browser's
 * Salesforce connection, or in service mode the service's org (issue 21).
 */
export function setupMessaging(sources: Pick<WorkerLogSource, 'orgInstanceUrl'>): MessageRouter {
  return createMessageRouter(browser.runtime, {
    onRefused: (reason) => console.warn('Refused a message:', reason),
    orgOrigins: async () => orgPageOrigins(await sources.orgInstanceUrl()),
  });
}
