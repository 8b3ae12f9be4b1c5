// An org's log: the PostgreSQL log (lib/db/pg) named after the org, in the service's database. Its
// schema is created and migrated on open; every worker and the status API open the same one.
import type { Pool } from 'pg';
import type { LogDatabase } from '../db/logPort';
import { openPostgresLog } from '../db/pg';

export function openOrgLog(pool: Pool, orgId: string): Promise<LogDatabase> {
  return openPostgresLog(pool, orgId);
}
