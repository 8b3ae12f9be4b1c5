// The log the engine's integration tests write: the Dexie log in fake-indexeddb, or — with
// SYNC_LOG=postgres (the `integration-pg` Vitest project) — the PostgreSQL log in the database
// DATABASE_URL names. One suite, two logs (docs/log-port.md): a test opens its log here by name,
// and opening the same name again is a second worker on the same log.
import { Pool } from 'pg';
import { SyncLogDatabase } from '../../lib/db/database';
import type { LogDatabase } from '../../lib/db/logPort';
import { dropPostgresLog, openPostgresLog } from '../../lib/db/pg';

export const TEST_LOG_KIND: 'dexie' | 'postgres' = process.env.SYNC_LOG === 'postgres' ? 'postgres' : 'dexie';

let pool: Pool | undefined;

function sharedPool(): Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('SYNC_LOG=postgres needs DATABASE_URL (the integration-pg project sets it)');
  pool ??= new Pool({ connectionString: url, max: 6 });
  return pool;
}

/** Opens the log named name (a second open of one name is another worker on the same log). */
export async function openTestLog(name: string): Promise<LogDatabase> {
  if (TEST_LOG_KIND === 'postgres') return openPostgresLog(sharedPool(), name);
  return new SyncLogDatabase(name);
}

/** Closes one worker's handle on a log (the log stays for the others). */
export function closeTestLog(db: LogDatabase): void {
  if (db instanceof SyncLogDatabase) db.close();
}

/** Ends a log a test is done with: closed, and in PostgreSQL dropped with its rows. */
export async function dropTestLog(db: LogDatabase): Promise<void> {
  if (db instanceof SyncLogDatabase) db.close();
  else await dropPostgresLog(sharedPool(), db.name);
}
