// Toward agency scale (issue 21): 200 emulated orgs, each its own Salesforce + Marketo emulator
// (fleetEmulators.ts, one child process), added with the service's add-org code on 1-minute cron
// and run by 2 worker processes (`npm run service -- worker`, the real ones: real clock, real
// pg-boss cron). Once every org had its first sync, 5 minutes of idle cycles are measured: cycles
// run vs scheduled (≥ 0.99) and the p95 delay from an occurrence's scheduled time to its cycle's
// start (≤ 5 s), read from service.runs and pg-boss's jobs (fleetMeasure.ts). Where the time goes
// is reported beside: each process's CPU over the window and the idle cycle's duration.
// FLEET_PROFILE_DIR=/tmp/x writes the workers' CPU profiles there (node --cpu-prof, on exit);
// FLEET_ORGS and FLEET_WINDOW_MINUTES shrink the run for a look.
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import type { EmulatorInfo } from '../../emulator/index';
import { addOrg } from '../../lib/service/addOrg';
import { bossOptions, DEFAULT_TIMING, ensureCycleQueue } from '../../lib/service/cycleQueue';
import { migrateService } from '../../lib/service/migrations';
import { freshDatabase } from '../../scripts/postgres/freshDatabase';
import { startPostgres } from '../../scripts/postgres/index';
import { spawnWorker } from '../../scripts/service/workerChild';
import { fleetRuns, measureWindow, percentile } from './fleetMeasure';
import { cpuByPid, cpuSince, postgresPids, startFleetEmulators } from './fleetProcesses';
import { atLeast, atMost, type BenchRow, info, median } from './table';

const GROUP = 'service';
const ORGS = Number(process.env.FLEET_ORGS ?? 200);
const WORKERS = 2;
const WINDOW_MS = Number(process.env.FLEET_WINDOW_MINUTES ?? 5) * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => process.stderr.write(`fleet: ${line}\n`);

const orgId = (i: number) => `fleet-${String(i + 1).padStart(3, '0')}`;

async function addFleet(pool: pg.Pool, url: string, infos: EmulatorInfo[]): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  const boss = new PgBoss(bossOptions(url, DEFAULT_TIMING, 'admin'));
  await boss.start();
  try {
    await ensureCycleQueue(boss, DEFAULT_TIMING);
    for (const [i, emu] of infos.entries()) {
      const key = String(i + 1).padStart(3, '0');
      env[`FLEET_SF_${key}`] = emu.salesforce.sid;
      env[`FLEET_MK_${key}`] = emu.marketo.clientSecret;
      Object.assign(process.env, env); // add-org checks that each reference resolves here
      await addOrg(pool, boss, {
        id: orgId(i),
        salesforceUrl: emu.salesforce.url,
        salesforceToken: { env: `FLEET_SF_${key}` },
        marketoUrl: emu.marketo.url,
        marketoClientId: emu.marketo.clientId,
        marketoSecret: { env: `FLEET_MK_${key}` },
        intervalMinutes: 1,
      });
    }
  } finally {
    await boss.stop({ graceful: false });
  }
  return env;
}

/** Waits until every org has had a completed cycle: its first sync, from its first cron tick. */
async function untilFirstSyncs(
  pool: pg.Pool,
  workers: ReturnType<typeof spawnWorker>[],
  deadlineMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const dead = workers.find((w) => w.child.exitCode !== null || w.child.signalCode !== null);
    if (dead) throw new Error(`a worker ended: ${dead.output.join('').slice(-2000)}`);
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(DISTINCT org_id)::int AS n FROM service.runs WHERE outcome = 'Completed'",
    );
    if (rows[0]!.n >= ORGS) return Date.now() - started;
    if (Date.now() - started > deadlineMs)
      throw new Error(`only ${rows[0]!.n} of ${ORGS} orgs had a first sync after ${deadlineMs} ms`);
    await sleep(2_000);
  }
}

export async function run(): Promise<BenchRow[]> {
  const server = await startPostgres();
  const database = await freshDatabase('fleet', server.url);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const emulators = await startFleetEmulators(ORGS);
  const workers: ReturnType<typeof spawnWorker>[] = [];
  try {
    await migrateService(pool);
    const t = Date.now();
    const env = await addFleet(pool, database.url, emulators.infos);
    say(`${ORGS} orgs added in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const profile = process.env.FLEET_PROFILE_DIR;
    for (let i = 0; i < WORKERS; i++)
      workers.push(
        spawnWorker(
          { ...env, DATABASE_URL: database.url },
          undefined,
          profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
        ),
      );
    const firstSyncsMs = await untilFirstSyncs(pool, workers, 10 * 60_000);
    say(`first syncs done in ${(firstSyncsMs / 1000).toFixed(1)} s`);
    // The window starts at the next full minute, after the first syncs' own minute has passed.
    const from = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
    const to = from + WINDOW_MS;
    await sleep(from - Date.now());
    // The processes to account CPU to; PostgreSQL's backends are listed again at the end (pools
    // may have opened connections meanwhile).
    const pids = async () => ({
      workers: workers.map((w) => w.child.pid!),
      emulators: [emulators.pid],
      postgres: await postgresPids(server.pid, pool),
    });
    const reading = async () =>
      Object.fromEntries(Object.entries(await pids()).map(([k, v]) => [k, cpuByPid(v)])) as Record<
        'workers' | 'emulators' | 'postgres',
        Map<number, number>
      >;
    const cpuBefore = await reading();
    say(`measuring ${new Date(from).toISOString()} – ${new Date(to).toISOString()}`);
    await sleep(to - Date.now());
    const cpuAfter = await reading();
    const cpu = {
      workers: cpuSince(cpuBefore.workers, cpuAfter.workers),
      emulators: cpuSince(cpuBefore.emulators, cpuAfter.emulators),
      postgres: cpuSince(cpuBefore.postgres, cpuAfter.postgres),
    };
    // The window's last occurrences may start up to a minute late: wait for them before reading.
    await sleep(60_000);
    const orgs = Array.from({ length: ORGS }, (_, i) => orgId(i));
    const m = measureWindow(orgs, 1, await fleetRuns(pool), from, to);
    const failed = [...m.outcomes].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
    say(`scheduled ${m.scheduled}, run ${m.run}; not Completed: ${failed}`);
    const windowS = WINDOW_MS / 1000;
    const minutes = WINDOW_MS / 60_000;
    return [
      atLeast(
        GROUP,
        `fleet: ${ORGS} emulated orgs, 1-minute cron, ${WORKERS} workers, ${minutes} min: cycles run / scheduled (${m.run} / ${m.scheduled})`,
        m.scheduled ? m.run / m.scheduled : 0,
        '',
        0.99,
      ),
      atMost(
        GROUP,
        'fleet: p95 delay from scheduled time to cycle start',
        percentile(m.delaysMs, 95) / 1000,
        's',
        5,
      ),
      info(GROUP, 'fleet: median delay from scheduled time to cycle start', median(m.delaysMs) / 1000, 's'),
      info(
        GROUP,
        "fleet: p95 of the delay's first part, occurrence → job (pg-boss cron)",
        percentile(m.cronLagMs, 95) / 1000,
        's',
      ),
      info(
        GROUP,
        "fleet: p95 of the delay's second part, job → cycle start (workers)",
        percentile(m.pickupMs, 95) / 1000,
        's',
      ),
      info(GROUP, 'fleet: idle cycle duration (start to end), median', median(m.durationsMs), 'ms'),
      info(GROUP, 'fleet: idle cycle duration, p95', percentile(m.durationsMs, 95), 'ms'),
      info(
        GROUP,
        `fleet: cycles not Completed in the window (${failed})`,
        [...m.outcomes.values()].reduce((a, b) => a + b, 0),
        'runs',
      ),
      info(
        GROUP,
        'fleet: CPU of the 2 workers over the window, share of one core',
        cpu.workers / windowS,
        '',
      ),
      info(GROUP, 'fleet: CPU of PostgreSQL over the window, share of one core', cpu.postgres / windowS, ''),
      info(
        GROUP,
        `fleet: CPU of the ${ORGS} emulators over the window, share of one core`,
        cpu.emulators / windowS,
        '',
      ),
      info(
        GROUP,
        `fleet: first sync of all ${ORGS} orgs (from the first cron ticks)`,
        firstSyncsMs / 1000,
        's',
      ),
    ];
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await emulators.stop();
    await pool.end();
    await database.drop().catch(() => {});
    await server.stop();
  }
}
