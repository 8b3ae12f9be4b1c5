// The org's log. TEMPORARY (until lib/db/pg lands): the Dexie log over fake-indexeddb, in memory
// and per process — enough to develop a single worker against; replaced by openPostgresLog.
import 'fake-indexeddb/auto';
import type { Pool } from 'pg';
import { SyncLogDatabase } from '../db/database';
import type { LogDatabase } from '../db/logPort';

export async function openOrgLog(_pool: Pool, orgId: string): Promise<LogDatabase> {
  return new SyncLogDatabase(`org-${orgId}`);
}
