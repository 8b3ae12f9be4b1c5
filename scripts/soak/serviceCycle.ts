// One soak cycle run by the service (serviceWorld.ts): queued as the org's pg-boss job (what cron
// or `run ORG` queue), taken by whichever worker process fetches it, and waited for until the org
// has no job left — retries of a failed cycle and the resumption of a stopped one included. A
// worker stop drawn for the cycle becomes a signal to the worker process running it, at a random
// moment within the time the last cycle took: SIGKILL (kill -9: pg-boss hands the job to another
// worker once its heartbeat stops) or SIGTERM (the batch in flight commits, the worker queues the
// resumption and exits).
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import type { LogDatabase } from '../../lib/db/logPort';
import { CYCLE_QUEUE, requestCycle } from '../../lib/service/cycleQueue';
import type { CycleReport } from '../../lib/sync';
import type { SoakWorkers } from './serviceWorkers';

/** Longest wait for an org's jobs: a cycle failing 5 times waits 5+10+20+40+80 s between tries. */
const IDLE_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 25;

export interface ServiceCycleDeps {
  orgId: string;
  pool: pg.Pool;
  boss: PgBoss;
  db: LogDatabase;
  workers: SoakWorkers;
  /** The soak's second generator (the first draws the rounds, as in-process). */
  rng: () => number;
  log: (line: string) => void;
}

export interface ServiceCycleOutcome {
  /** The newest cycle once the org is idle; undefined when none started. */
  report: CycleReport;
  /** The signal sent to the worker running the cycle, and when; undefined when it had ended first. */
  stopped?: { signal: 'SIGKILL' | 'SIGTERM'; afterMs: number; worker: string };
  /** Wall time from the request until the org was idle. */
  wallMs: number;
}

interface RunRow {
  id: string;
  worker_id: string;
  started_at: Date;
  ended_at: Date | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runsAfter(deps: ServiceCycleDeps, afterId: string): Promise<RunRow[]> {
  const { rows } = await deps.pool.query<RunRow>(
    'SELECT id, worker_id, started_at, ended_at FROM service.runs WHERE org_id = $1 AND id > $2 ORDER BY id',
    [deps.orgId, afterId],
  );
  return rows;
}

async function busy(deps: ServiceCycleDeps): Promise<boolean> {
  const jobs = await deps.boss.findJobs(CYCLE_QUEUE, { key: deps.orgId });
  return jobs.some((job) => job.state === 'created' || job.state === 'retry' || job.state === 'active');
}

async function untilIdle(deps: ServiceCycleDeps): Promise<void> {
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  while (await busy(deps)) {
    if (Date.now() > deadline)
      throw new Error(`org ${deps.orgId} still has jobs after ${IDLE_TIMEOUT_MS} ms`);
    await sleep(100);
  }
}

/** Sends `signal` to the worker of the first run after `afterId`, `delayMs` after it started. */
async function stopMidCycle(
  deps: ServiceCycleDeps,
  afterId: string,
  signal: 'SIGKILL' | 'SIGTERM',
  delayMs: number,
): Promise<ServiceCycleOutcome['stopped']> {
  let run: RunRow | undefined;
  while (!run) {
    run = (await runsAfter(deps, afterId)).find((r) => r.ended_at === null);
    if (!run && !(await busy(deps))) return undefined;
    if (!run) await sleep(POLL_MS);
  }
  await sleep(Math.max(0, run.started_at.getTime() + delayMs - Date.now()));
  const now = (await runsAfter(deps, afterId)).find((r) => r.id === run.id);
  if (now?.ended_at !== null) return undefined;
  const pid = Number(run.worker_id.split(':').at(-1));
  if (!deps.workers.signal(pid, signal)) return undefined;
  return { signal, afterMs: Date.now() - run.started_at.getTime(), worker: run.worker_id };
}

export async function runServiceCycle(
  deps: ServiceCycleDeps,
  stop: { signal: 'SIGKILL' | 'SIGTERM'; withinMs: number } | undefined,
): Promise<ServiceCycleOutcome> {
  const started = Date.now();
  const { rows } = await deps.pool.query<{ id: string }>(
    'SELECT coalesce(max(id), 0)::text AS id FROM service.runs WHERE org_id = $1',
    [deps.orgId],
  );
  const lastRun = rows[0]!.id;
  const lastCycle = (await deps.db.cycles.orderBy('id').last())?.id ?? 0;
  // null: a job of the org is already waiting (a cron tick, a resumption): that one runs the cycle.
  await requestCycle(deps.boss, deps.orgId, 'schedule');
  const stopped = stop
    ? await stopMidCycle(deps, lastRun, stop.signal, deps.rng() * stop.withinMs)
    : undefined;
  await untilIdle(deps);
  const cycle = await deps.db.cycles.orderBy('id').last();
  const report: CycleReport =
    cycle && cycle.id > lastCycle
      ? { cycle, steps: await deps.db.steps.where('cycleId').equals(cycle.id).toArray() }
      : { cycle: undefined, steps: [], skippedReason: 'no cycle started' };
  return { report, ...(stopped && { stopped }), wallMs: Date.now() - started };
}
