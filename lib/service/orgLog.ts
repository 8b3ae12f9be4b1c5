// An org's log: the PostgreSQL log (lib/db/pg) named after the org, in the service's database. Its
// schema is created and migrated on open; every worker and the status API open the same one.
import type { Pool } from 'pg';
import type { LogDatabase } from '../db/logPort';
import { openPostgresLog } from '../db/pg';

export function openOrgLog(pool: Pool, orgId: string): Promise<LogDatabase> {
  return openPostgresLog(pool, orgId);
}

/**
 * Each org's log opened once per process (opening migrates its schema), shared by every cycle or
 * request after; a failed open is forgotten so the next one tries again.
 */
export function orgLogCache(
  pool: Pool,
  open: (pool: Pool, orgId: string) => Promise<LogDatabase>,
): (orgId: string) => Promise<LogDatabase> {
  const logs = new Map<string, Promise<LogDatabase>>();
  return (orgId) => {
    let opened = logs.get(orgId);
    if (!opened) {
      opened = open(pool, orgId);
      opened.catch(() => logs.delete(orgId));
      logs.set(orgId, opened);
    }
    return opened;
  };
}
