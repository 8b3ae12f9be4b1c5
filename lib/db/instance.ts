import { SyncLogDatabase } from './database';

/** The one log database of the extension's origin, shared by the worker and the extension pages. */
export const syncLog = new SyncLogDatabase();
