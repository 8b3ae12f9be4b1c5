import { createMessageRouter, type MessageRouter } from '../../lib/messaging/router';

/** The one router of the worker: every feature registers its messages on it. */
export function setupMessaging(): MessageRouter {
  return createMessageRouter(browser.runtime, {
    onRefused: (reason) => console.warn('Refused a message:', reason),
  });
}
