// One pg-boss job = one cycle of one org (docs/service.md). The engine is the same one the extension
// and `npm run sync` run; only its log (the org's PostgreSQL log) and its clients differ. What the
// job's outcome tells pg-boss:
// - completed: the cycle ran (Completed, or Not Completed by a budget: the next one resumes);
// - thrown: the cycle Failed, could not start, or another live worker holds the org's lease —
//   pg-boss retries it with backoff (cycleQueue.ts);
// - stopped by SIGTERM between batches: completed, and a `resume` job is queued at once so another
//   worker goes on from the last committed batch without waiting for the next cron tick.
import type { Pool } from 'pg';
import type { LogDatabase } from '../db/logPort';
import { type ClockPort, systemClock } from '../http/ports';
import { createSyncEngine } from '../sync';
import { WORKER_STOPPING } from '../sync/budget';
import type { CycleJob } from './cycleQueue';
import type { OrgClientCache } from './orgClients';
import { findOrg } from './orgStore';

export interface OrgCycleDeps {
  pool: Pool;
  openLog(orgId: string): Promise<LogDatabase>;
  clients: OrgClientCache;
  /** The engine's clock (default: the system's; the soak's workers run on simulated time). */
  clock?: ClockPort;
  /** This worker's lease owner name (liveness.ts). */
  owner: string;
  ownerAlive(owner: string): Promise<boolean>;
  /** True once SIGTERM arrived: the engine stops between batches. */
  stopping(): boolean;
  /** Queues the job that resumes an org's cycle a shutdown cut short. */
  requestResume(orgId: string): Promise<unknown>;
  log(line: string): void;
}

export class CycleNotRunError extends Error {
  override name = 'CycleNotRunError';
}

export type CycleOutcome =
  | { kind: 'ran'; cycleId: number; status: string }
  | { kind: 'skipped'; reason: string };

export async function runOrgCycle(deps: OrgCycleDeps, job: CycleJob, jobId: string): Promise<CycleOutcome> {
  const org = await findOrg(deps.pool, job.orgId);
  // The org was removed after the job was queued: nothing to do, nothing to retry.
  if (!org) return { kind: 'skipped', reason: `unknown org ${job.orgId}` };
  // A pause unschedules the org, but a tick already queued may still arrive: it is dropped.
  if (org.paused && job.trigger !== 'manual') return { kind: 'skipped', reason: 'paused' };
  const { rows } = await deps.pool.query<{ id: string }>(
    'INSERT INTO service.runs (org_id, job_id, trigger, worker_id) VALUES ($1, $2, $3, $4) RETURNING id',
    [org.id, jobId, job.trigger, deps.owner],
  );
  const runId = rows[0]!.id;
  const end = (outcome: string, cycleId?: number) =>
    deps.pool.query('UPDATE service.runs SET ended_at = now(), outcome = $2, cycle_id = $3 WHERE id = $1', [
      runId,
      outcome,
      cycleId ?? null,
    ]);
  try {
    const { salesforce, marketo } = deps.clients.get(org);
    const engine = createSyncEngine({
      db: await deps.openLog(org.id),
      salesforce,
      marketo,
      settings: async () => org.settings,
      clock: deps.clock ?? systemClock,
      owner: deps.owner,
      leaseOwnerAlive: deps.ownerAlive,
      log: (line) => deps.log(`${org.id}: ${line}`),
    });
    const report = await engine.runCycle({
      trigger: job.trigger === 'manual' ? 'manual' : 'schedule',
      budget: { shouldStop: deps.stopping },
    });
    const cycle = report.cycle;
    if (!cycle) {
      await end('lease-held');
      throw new CycleNotRunError(`${org.id}: ${report.skippedReason ?? 'the cycle did not run'}`);
    }
    await end(cycle.status, cycle.id);
    deps.log(`${org.id}: cycle ${cycle.id} ${cycle.status}${cycle.error ? ` (${cycle.error})` : ''}`);
    if (cycle.status === 'Failed')
      throw new CycleNotRunError(`${org.id}: cycle ${cycle.id} failed: ${cycle.error}`);
    if (cycle.error === WORKER_STOPPING) await deps.requestResume(org.id);
    return { kind: 'ran', cycleId: cycle.id, status: cycle.status };
  } catch (error) {
    if (!(error instanceof CycleNotRunError)) await end(`error: ${(error as Error).message}`).catch(() => {});
    throw error;
  }
}
