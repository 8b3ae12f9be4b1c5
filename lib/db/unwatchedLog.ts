// The Dexie log for a process no page watches: the Node runners (`npm run sync`, the benches).
// Dexie's Observability and Cache middlewares exist for liveQuery: Observability records every
// index key a write touches (~3 µs per `*sfIds` entry in Node, more than fake-indexeddb's own
// index write; tests/bench/opportunities.bench.ts). The extension keeps them: its popup and
// dashboard follow the log through liveQuery (components/logSource.ts). Its own module, so that
// the extension's bundles do not carry it.
import { SyncLogDatabase } from './database';

export function unwatchedSyncLog(name: string): SyncLogDatabase {
  const db = new SyncLogDatabase(name);
  db.unuse({ stack: 'dbcore', name: 'Observability' });
  db.unuse({ stack: 'dbcore', name: 'Cache' });
  return db;
}
