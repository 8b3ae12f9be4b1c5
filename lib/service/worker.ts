// A service worker: one pg-boss instance that takes org-cycle jobs one at a time and runs them
// (orgCycle.ts). Nothing is kept on the machine: orgs, schedules, jobs and every org's log are in
// PostgreSQL, so workers can run anywhere that reaches it. Graceful stop (SIGTERM): stop fetching,
// let the engine end the cycle at the next batch boundary (CycleBudget.shouldStop), wait for it,
// release the liveness lock; a cycle still running after the grace period is failed back to pg-boss
// (it retries elsewhere) and its lease taken over as the lock goes with this process.
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import type { LogDatabase } from '../db/logPort';
import {
  bossOptions,
  CYCLE_QUEUE,
  cycleJobSchema,
  DEFAULT_TIMING,
  ensureCycleQueue,
  type QueueTiming,
  requestCycle,
} from './cycleQueue';
import { holdWorkerLock, ownerAliveCheck } from './liveness';
import { migrateService } from './migrations';
import { type ClientRuntime, OrgClientCache } from './orgClients';
import { runOrgCycle } from './orgCycle';
import { orgLogCache } from './orgLog';

export interface WorkerOptions {
  databaseUrl: string;
  openLog(pool: pg.Pool, orgId: string): Promise<LogDatabase>;
  timing?: QueueTiming;
  /** The clock and request timeout of the engine and the org clients (orgClients.ts). */
  runtime?: ClientRuntime;
  /** Cycles (of different orgs) this worker runs at once (default 2; WORK_DEFAULTS). */
  concurrency?: number;
  /** How long a graceful stop waits for the cycle in flight (ms). */
  graceMs?: number;
  log?: (line: string) => void;
}

export interface ServiceWorker {
  id: string;
  /** Graceful: resolves once the cycle in flight ended and everything is closed. */
  stop(): Promise<void>;
}

/**
 * How a worker takes jobs. Each of its `localConcurrency` pollers takes one job at a time and, after
 * it, waits out the rest of its polling interval before fetching again even when jobs are waiting
 * (pg-boss's loop) — a fixed cost per cycle that capped a worker at one cycle a second: 2 workers
 * ran 535 of 1,000 idle one-minute cycles of 200 orgs (fleet bench, docs/service.md). Two pollers
 * at 0.5 s give a worker four fetches a second, and let the I/O waits of two cycles overlap. Two
 * also keeps large orgs shared fairly: a worker never holds more than two of them.
 */
const WORK_DEFAULTS = { batchSize: 1, pollingIntervalSeconds: 0.5, localConcurrency: 2 };

export async function startWorker(options: WorkerOptions): Promise<ServiceWorker> {
  const timing = options.timing ?? DEFAULT_TIMING;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 6,
    application_name: 'sync-service-log',
  });
  await migrateService(pool);
  const liveness = await holdWorkerLock(options.databaseUrl);
  const boss = new PgBoss(bossOptions(options.databaseUrl, timing, 'worker'));
  boss.on('error', (error: Error) => log(`pg-boss: ${error.message}`));
  await boss.start();
  await ensureCycleQueue(boss, timing);
  const openLog = orgLogCache(pool, options.openLog);
  let stopping = false;
  const deps = {
    pool,
    openLog,
    clients: new OrgClientCache(options.runtime),
    ...(options.runtime?.clock && { clock: options.runtime.clock }),
    owner: liveness.id,
    ownerAlive: ownerAliveCheck(pool),
    stopping: () => stopping,
    requestResume: (orgId: string) => requestCycle(boss, orgId, 'resume'),
    log,
  };
  const work = { ...WORK_DEFAULTS, ...(options.concurrency && { localConcurrency: options.concurrency }) };
  await boss.work(CYCLE_QUEUE, work, async ([job]) => {
    if (!job) return;
    const data = cycleJobSchema.parse(job.data);
    log(`${data.orgId}: job ${job.id} (${data.trigger}) taken by ${liveness.id}`);
    return runOrgCycle(deps, data, job.id);
  });
  log(`worker ${liveness.id} started`);
  return {
    id: liveness.id,
    async stop() {
      stopping = true;
      await boss.stop({ graceful: true, timeout: options.graceMs ?? 120_000 });
      await liveness.release();
      await pool.end();
      log(`worker ${liveness.id} stopped`);
    },
  };
}
