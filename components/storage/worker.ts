import { storage } from 'wxt/utils/storage';

// The worker's own storage items (only the background reads or writes them). Both are read as
// `unknown` and parsed with zod where they are used: a value of an older shape reads as absent.

/**
 * The last "Test connection" report (no secrets in it), so the options page shows it after a
 * reload and the popup, the panel and the badge know the Salesforce user's time zone. Read by
 * lib/connections (status, handlers) and lib/records/userTimeZone.ts.
 */
export const connectionTestItem = storage.defineItem<unknown>('local:connectionTest');

/**
 * Cycle ends a full IndexedDB could not take (lib/sync/unwrittenEnds.ts). storage.session has its
 * own small quota, which the log does not share, and is cleared with the browser session.
 */
export const unwrittenCycleEndsItem = storage.defineItem<unknown>('session:unwrittenCycleEnds');
