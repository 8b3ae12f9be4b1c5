// The service as the worker tests run it: a database of its own, emulators (one per org) in this
// process on loopback, orgs added with the admin code path, and workers as real child processes
// (`npm run service -- worker`) that a test can SIGKILL or SIGTERM.
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { type Emulator, startEmulator } from '../../emulator/index';
import type { LogDatabase } from '../../lib/db/logPort';
import { openPostgresLog } from '../../lib/db/pg';
import { addOrg } from '../../lib/service/addOrg';
import { bossOptions, DEFAULT_TIMING, ensureCycleQueue } from '../../lib/service/cycleQueue';
import { migrateService } from '../../lib/service/migrations';
import { spawnWorker, type WorkerProcess } from '../../scripts/service/workerChild';
import { type FreshDatabase, freshDatabase } from './postgresUrl';

export type { WorkerProcess };

export interface RunRow {
  org_id: string;
  job_id: string;
  trigger: string;
  worker_id: string;
  started_at: Date;
  ended_at: Date | null;
  outcome: string | null;
  cycle_id: number | null;
}

export interface ServiceWorld {
  database: FreshDatabase;
  pool: pg.Pool;
  boss: PgBoss;
  emulators: Map<string, Emulator>;
  env: Record<string, string>;
  addEmulatedOrg(
    id: string,
    options?: { intervalMinutes?: number; seed?: 'empty' | 'demo'; name?: string; settingsFile?: string },
  ): Promise<{ emu: Emulator; token: string }>;
  startWorker(): WorkerProcess;
  runs(orgId?: string): Promise<RunRow[]>;
  log(orgId: string): Promise<LogDatabase>;
  stop(): Promise<void>;
}

export async function startServiceWorld(prefix: string): Promise<ServiceWorld> {
  const database = await freshDatabase(prefix);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await migrateService(pool);
  const boss = new PgBoss(bossOptions(database.url, DEFAULT_TIMING, 'admin'));
  await boss.start();
  await ensureCycleQueue(boss, DEFAULT_TIMING);
  const emulators = new Map<string, Emulator>();
  const env: Record<string, string> = {};
  const workers: WorkerProcess[] = [];
  const logs = new Map<string, Promise<LogDatabase>>();
  return {
    database,
    pool,
    boss,
    emulators,
    env,
    async addEmulatedOrg(id, options = {}) {
      const emu = await startEmulator({ seed: options.seed ?? 'empty' });
      emulators.set(id, emu);
      const key = id.toUpperCase().replace(/-/g, '_');
      env[`SF_TOKEN_${key}`] = emu.info.salesforce.sid;
      env[`MK_SECRET_${key}`] = emu.info.marketo.clientSecret;
      Object.assign(process.env, env);
      const token = await addOrg(pool, boss, {
        id,
        name: options.name,
        salesforceUrl: emu.info.salesforce.url,
        salesforceToken: { env: `SF_TOKEN_${key}` },
        marketoUrl: emu.info.marketo.url,
        marketoClientId: emu.info.marketo.clientId,
        marketoSecret: { env: `MK_SECRET_${key}` },
        settingsFile: options.settingsFile,
        intervalMinutes: options.intervalMinutes ?? 1,
      });
      return { emu, token };
    },
    startWorker() {
      const worker = spawnWorker({ ...env, DATABASE_URL: database.url });
      workers.push(worker);
      return worker;
    },
    async runs(orgId) {
      const { rows } = await pool.query<RunRow>(
        `SELECT org_id, job_id, trigger, worker_id, started_at, ended_at, outcome, cycle_id FROM service.runs
         WHERE $1::text IS NULL OR org_id = $1 ORDER BY started_at`,
        [orgId ?? null],
      );
      return rows;
    },
    log(orgId) {
      let opened = logs.get(orgId);
      if (!opened) {
        opened = openPostgresLog(pool, orgId);
        logs.set(orgId, opened);
      }
      return opened;
    },
    async stop() {
      for (const w of workers)
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await boss.stop({ graceful: false }).catch(() => {});
      await pool.end();
      await Promise.all([...emulators.values()].map((e) => e.stop()));
      await database.drop();
    },
  };
}

/** The pid in a worker id (`worker:<lock key>:<host>:<pid>`, lib/service/liveness.ts). */
export const pidOf = (workerId: string) => Number(workerId.split(':').at(-1));

export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
