// The status API with what it needs: a pool, an admin pg-boss (Sync now and Pause write jobs and
// schedules; it runs no cron and supervises nothing), the org logs opened once each.
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import type { LogDatabase } from '../db/logPort';
import { bossOptions, DEFAULT_TIMING, ensureCycleQueue } from './cycleQueue';
import { migrateService } from './migrations';
import { OrgClientCache } from './orgClients';
import { orgLogCache } from './orgLog';
import { createStatusServer, listen } from './statusServer';

export interface StatusService {
  url: string;
  stop(): Promise<void>;
}

export async function startStatusService(options: {
  databaseUrl: string;
  host: string;
  port: number;
  openLog(pool: pg.Pool, orgId: string): Promise<LogDatabase>;
  log?: (line: string) => void;
}): Promise<StatusService> {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 4,
    application_name: 'sync-service-status',
  });
  await migrateService(pool);
  const boss = new PgBoss(bossOptions(options.databaseUrl, DEFAULT_TIMING, 'admin'));
  boss.on('error', (error: Error) => options.log?.(`pg-boss: ${error.message}`));
  await boss.start();
  await ensureCycleQueue(boss, DEFAULT_TIMING);
  const openLog = orgLogCache(pool, options.openLog);
  const server = createStatusServer({
    pool,
    boss,
    clients: new OrgClientCache(),
    openLog,
    ...(options.log && { log: options.log }),
  });
  const url = await listen(server, options.host, options.port);
  return {
    url,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await boss.stop({ graceful: false });
      await pool.end();
    },
  };
}
