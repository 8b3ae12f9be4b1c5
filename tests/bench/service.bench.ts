// The service's first-sync figures (issue 21, docs/service.md): a 100,000-lead first sync run by
// the service — a `npm run service -- worker` process taking the org's cycle job from pg-boss, its
// log in PostgreSQL — against the bare script making the same HTTP calls (bareFirstSync.ts, as in
// engine.bench.ts); then 4 such orgs on 2 workers, whose total time is compared with one org's
// time × 4 / 2 (perfect sharing). Each org has its own emulator child process (large seed,
// Marketo limits off: the bench measures the engine and the service, not the rate limiter).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { systemClock } from '../../lib/http/ports';
import { addOrg } from '../../lib/service/addOrg';
import { bossOptions, DEFAULT_TIMING, ensureCycleQueue } from '../../lib/service/cycleQueue';
import { migrateService } from '../../lib/service/migrations';
import { runNow } from '../../lib/service/orgCommands';
import { settingsToExportJson } from '../../lib/settings/transfer';
import { startPostgres } from '../../scripts/postgres';
import { freshDatabase } from '../../scripts/postgres/freshDatabase';
import { spawnWorker } from '../../scripts/service/workerChild';
import { bareFirstSync } from './bareFirstSync';
import { startChildEmulator } from './childEmulator';
import { emulatorClients } from './emulatorClients';
import { leadsOnlySettings } from './leadsOnlySettings';
import { atMost, type BenchRow, info, median } from './table';

const GROUP = 'service';
const PAIRS = 3;
const LEADS = 100_000;
const emulatorArgs = ['--seed', 'large', '--size', String(LEADS), '--no-marketo-limits'];

async function bareMs(): Promise<number> {
  const emu = await startChildEmulator(emulatorArgs);
  try {
    const { salesforce, marketo } = emulatorClients(emu.info, systemClock);
    return (await bareFirstSync({ salesforce, marketo, settings: leadsOnlySettings() })).ms;
  } finally {
    await emu.stop();
  }
}

/**
 * The floor this machine sets for the 4-org ratio: the bare script on 4 emulators in 2 processes at
 * once (bareLane.ts), 2 orgs each one after the other — no engine, no log, no service — total time
 * over its own one org × 4 / 2. On 2 cores the emulators' work shares the cores with the clients',
 * so no client can scale better than this one does (docs/service.md).
 */
async function bareFourOrgsMs(): Promise<number> {
  const emulators = await Promise.all(Array.from({ length: 4 }, () => startChildEmulator(emulatorArgs)));
  const lanes: ChildProcess[] = [];
  try {
    const lines = [0, 1].map((lane) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'tests/bench/bareLane.ts',
          JSON.stringify(emulators.filter((_, i) => i % 2 === lane).map((e) => e.info)),
        ],
        { cwd: resolve(import.meta.dirname, '../..'), stdio: ['pipe', 'pipe', 'inherit'] },
      );
      lanes.push(child);
      return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    });
    const next = async (line: AsyncIterator<string>) => {
      const { value, done } = await line.next();
      if (done) throw new Error('a bare lane exited before it finished');
      return value;
    };
    await Promise.all(lines.map(next)); // both say `ready`
    for (const lane of lanes) lane.stdin!.write('go\n');
    const spans = (await Promise.all(lines.map(next))).map(
      (l) => JSON.parse(l) as { startedAt: number; endedAt: number },
    );
    return Math.max(...spans.map((s) => s.endedAt)) - Math.min(...spans.map((s) => s.startedAt));
  } finally {
    for (const lane of lanes) if (lane.exitCode === null) lane.kill('SIGKILL');
    await Promise.all(emulators.map((e) => e.stop()));
  }
}

/** A worker process (scripts/service/workerChild.ts); resolves `ready` once it says it started. */
function startWorkerProcess(databaseUrl: string, env: Record<string, string>) {
  // The emulators run without Marketo's limits and the bare script's client has them out of the way
  // (emulatorClients.ts): the workers' clients too, so both sides make the same calls unthrottled.
  const worker = spawnWorker({ ...env, DATABASE_URL: databaseUrl, MARKETO_CALLS_PER_20S: '1000000' });
  const ready = new Promise<void>((ok, fail) => {
    const started = () => /worker \S+ started/.test(worker.output.join(''));
    worker.child.stderr!.on('data', () => started() && ok());
    worker.exited.then(({ code }) =>
      fail(new Error(`service worker exited (${code}) before it started:\n${worker.output.join('')}`)),
    );
  });
  const stop = () => {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    return worker.exited;
  };
  return { ready, stop };
}

interface Run {
  org_id: string;
  started_at: Date;
  ended_at: Date | null;
  outcome: string | null;
}

/** First syncs of `orgs` orgs on `workers` workers: each org's job time, and start-to-last-end. */
async function throughService(serverUrl: string, orgs: number, workers: number) {
  const database = await freshDatabase(`bench_service_${orgs}x${workers}`, serverUrl);
  const databaseUrl = database.url;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  await migrateService(pool);
  const boss = new PgBoss(bossOptions(databaseUrl, DEFAULT_TIMING, 'admin'));
  await boss.start();
  await ensureCycleQueue(boss, DEFAULT_TIMING);
  const settingsFile = join(mkdtempSync(join(tmpdir(), 'bench-service-')), 'settings.json');
  writeFileSync(settingsFile, settingsToExportJson(leadsOnlySettings()));
  const emulators = await Promise.all(Array.from({ length: orgs }, () => startChildEmulator(emulatorArgs)));
  const env: Record<string, string> = {};
  const ids = emulators.map((_, i) => `bench-org-${i + 1}`);
  const started: ReturnType<typeof startWorkerProcess>[] = [];
  try {
    for (const [i, emu] of emulators.entries()) {
      env[`BENCH_SF_${i}`] = emu.info.salesforce.sid;
      env[`BENCH_MK_${i}`] = emu.info.marketo.clientSecret;
      Object.assign(process.env, env); // add-org checks that the references resolve here
      await addOrg(pool, boss, {
        id: ids[i]!,
        salesforceUrl: emu.info.salesforce.url,
        salesforceToken: { env: `BENCH_SF_${i}` },
        marketoUrl: emu.info.marketo.url,
        marketoClientId: emu.info.marketo.clientId,
        marketoSecret: { env: `BENCH_MK_${i}` },
        settingsFile,
        intervalMinutes: 60,
      });
    }
    for (let w = 0; w < workers; w++) started.push(startWorkerProcess(databaseUrl, env));
    await Promise.all(started.map((w) => w.ready));
    const t0 = Date.now();
    for (const id of ids) await runNow(pool, boss, id);
    // Each org's first run (its first sync: a cron occurrence due at add-org may be the one).
    for (;;) {
      const { rows } = await pool.query<Run>(
        'SELECT DISTINCT ON (org_id) org_id, started_at, ended_at, outcome FROM service.runs ORDER BY org_id, started_at',
      );
      const failed = rows.find((r) => r.ended_at && r.outcome !== 'Completed');
      if (failed) throw new Error(`${failed.org_id}: first sync ended ${failed.outcome}`);
      if (rows.length === orgs && rows.every((r) => r.ended_at)) {
        const lastEnd = Math.max(...rows.map((r) => r.ended_at!.getTime()));
        return {
          perOrgMs: rows.map((r) => r.ended_at!.getTime() - r.started_at.getTime()),
          totalMs: lastEnd - t0,
        };
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await Promise.all(started.map((w) => w.stop()));
    await boss.stop({ graceful: false }).catch(() => {});
    await pool.end();
    await Promise.all(emulators.map((e) => e.stop()));
    await database.drop();
  }
}

export async function run(): Promise<BenchRow[]> {
  const server = await startPostgres();
  try {
    // This machine's speed drifts by a quarter between runs a minute apart (the emulator's CPU for
    // the same work varies as much): a pair measured back to back, three times, and the median.
    const pairs: { bare: number; one: number }[] = [];
    for (let i = 0; i < PAIRS; i++)
      pairs.push({ bare: await bareMs(), one: (await throughService(server.url, 1, 1)).perOrgMs[0]! });
    const bare = median(pairs.map((p) => p.bare));
    const oneMs = median(pairs.map((p) => p.one));
    const pairRatios = pairs.map((p) => p.one / p.bare);
    const four = await throughService(server.url, 4, 2);
    const bareFour = await bareFourOrgsMs();
    const ms = (n: number) => Math.round(n).toLocaleString('en-US');
    return [
      info(
        GROUP,
        `first sync ${LEADS.toLocaleString('en-US')} leads, bare script (same HTTP calls; median of ${pairs.map((p) => ms(p.bare)).join(', ')} ms)`,
        bare,
        'ms',
      ),
      info(
        GROUP,
        `first sync ${LEADS.toLocaleString('en-US')} leads through the service (job taken → done; median of ${pairs.map((p) => ms(p.one)).join(', ')} ms)`,
        oneMs,
        'ms',
      ),
      atMost(
        GROUP,
        `service first sync / bare script (100,000 leads, PostgreSQL log; median of the pairs ${pairRatios.map((r) => r.toFixed(2)).join(', ')})`,
        median(pairRatios),
        '×',
        1.3,
      ),
      info(
        GROUP,
        `4 orgs × ${LEADS.toLocaleString('en-US')} leads on 2 workers: total (each org ${four.perOrgMs.map(ms).join(', ')} ms)`,
        four.totalMs,
        'ms',
      ),
      atMost(
        GROUP,
        '4 orgs on 2 workers: total time / (one org × 4 / 2)',
        four.totalMs / ((oneMs * 4) / 2),
        '×',
        1.2,
      ),
      info(
        GROUP,
        `the same 4 orgs by the bare script in 2 processes: total ${ms(bareFour)} ms / (its one org × 4 / 2) — this machine's floor for the row above`,
        bareFour / ((bare * 4) / 2),
        '×',
      ),
    ];
  } finally {
    await server.stop();
  }
}
