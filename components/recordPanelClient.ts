import { createMessageClient } from '../lib/messaging/client';

// The record panel's one way to the background. Content scripts import the messaging client
// directly (not lib/messaging's index) so zod stays out of their bundle; they have no access to
// extension storage (components/storage/access.ts), so everything goes through here.
export const sendPanelMessage = createMessageClient(browser.runtime);
