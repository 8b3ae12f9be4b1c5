// The org cycles as pg-boss jobs (docs/service.md): one queue, one job per cycle, keyed by org.
// - Policy `stately` with singletonKey = org id: per org at most one job active and one waiting, so
//   two workers never run the same org at once, and cron ticks that come while a long cycle runs
//   collapse into one follow-up instead of piling up (pg-boss refuses the extra ones).
// - heartbeatSeconds: a worker killed with kill -9 stops touching its job; the next monitor pass
//   (supervise/monitor interval) puts the job back to `retry` and another worker fetches it.
// - retryLimit/retryBackoff: a failed cycle (or one that could not start) is tried again later.

import type { ConstructorOptions, Db, PgBoss } from 'pg-boss';
import { z } from 'zod';

export const CYCLE_QUEUE = 'org-cycle';

export const cycleJobSchema = z.strictObject({
  orgId: z.string(),
  trigger: z.enum(['schedule', 'manual', 'resume']),
});
export type CycleJob = z.infer<typeof cycleJobSchema>;

export interface QueueTiming {
  /** Seconds without a heartbeat after which an active job is taken back (pg-boss minimum 10). */
  heartbeatSeconds: number;
  /** How often pg-boss's monitor looks for jobs whose worker stopped beating. */
  monitorSeconds: number;
  /**
   * Seconds between cron passes (pg-boss default 30; 1–45). A pass files the occurrences come due
   * since the last one; pg-boss's forwarder then creates their jobs at its next poll (half this,
   * at least 1 s). So a cycle starts up to about 1.5 × this after its scheduled second: 3 s here
   * (the fleet bench's 200 one-minute orgs measured p95 delay, docs/service.md).
   */
  cronSeconds: number;
  /** First retry delay of a failed cycle, doubled each time (pg-boss backoff with jitter). */
  retryDelaySeconds: number;
}

export const DEFAULT_TIMING: QueueTiming = {
  heartbeatSeconds: 10,
  monitorSeconds: 5,
  cronSeconds: 2,
  retryDelaySeconds: 5,
};

export function bossOptions(
  databaseUrl: string,
  timing: QueueTiming,
  role: 'worker' | 'admin',
): ConstructorOptions {
  const worker = role === 'worker';
  return {
    connectionString: databaseUrl,
    max: worker ? 4 : 2,
    application_name: `sync-service-${role}`,
    // Admin commands only write jobs and schedules: no cron passes, no supervision of their own.
    schedule: worker,
    supervise: worker,
    superviseIntervalSeconds: timing.monitorSeconds,
    monitorIntervalSeconds: timing.monitorSeconds,
    cronMonitorIntervalSeconds: timing.cronSeconds,
    cronWorkerIntervalSeconds: Math.max(1, Math.floor(timing.cronSeconds / 2)),
    instanceName: `sync-service-${role}`,
  };
}

/** Creates the queue on first use; its options are the service's, whoever created it. */
export async function ensureCycleQueue(boss: PgBoss, timing: QueueTiming): Promise<void> {
  if (await boss.getQueue(CYCLE_QUEUE)) return;
  await boss.createQueue(CYCLE_QUEUE, {
    policy: 'stately',
    heartbeatSeconds: timing.heartbeatSeconds,
    // A first sync of a large org may run for hours; the heartbeat, not this, detects dead workers.
    expireInSeconds: 23 * 3600,
    retryLimit: 5,
    retryDelay: timing.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: 15 * 60,
    deleteAfterSeconds: 7 * 24 * 3600,
  });
}

/**
 * Where in its interval an org's cycles start: a minute offset (for intervals above one minute) and
 * a second within the minute, both from a hash of its id, so that many orgs on one interval spread
 * over the interval instead of all starting in the same second (200 one-minute orgs would otherwise
 * queue 200 jobs at each full minute and wait for each other; docs/service.md).
 */
export function cronOffset(orgId: string, intervalMinutes: number): { minute: number; second: number } {
  let hash = 0;
  for (const c of orgId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  // Ids that differ in their last character (acme-1, acme-2…) differ by a few units here: mixed
  // (a 32-bit finaliser) before taking the second, so that they land on different seconds.
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x7feb352d);
  mixed = Math.imul(mixed ^ (mixed >>> 15), 0x846ca68b);
  return { minute: hash % intervalMinutes, second: ((mixed ^ (mixed >>> 16)) >>> 0) % 60 };
}

/**
 * The org's cron expression (six fields, the first the second; pg-boss reads it with cron-parser):
 * every `interval` minutes at its offsets (cronOffset). An interval that does not divide 60
 * restarts at each hour.
 */
export function cronFor(orgId: string, intervalMinutes: number): string {
  const { minute, second } = cronOffset(orgId, intervalMinutes);
  const minutes =
    intervalMinutes === 1 ? '*' : intervalMinutes >= 60 ? `${minute}` : `${minute}-59/${intervalMinutes}`;
  return `${second} ${minutes} * * * *`;
}

/** Runs the statements on the caller's transaction (pg-boss's `db` option), so they commit with it. */
export type InTransaction = { db?: Db };

export async function scheduleOrg(
  boss: PgBoss,
  org: { id: string; intervalMinutes: number },
  tx: InTransaction = {},
): Promise<void> {
  const job: CycleJob = { orgId: org.id, trigger: 'schedule' };
  await boss.schedule(CYCLE_QUEUE, cronFor(org.id, org.intervalMinutes), job, {
    key: org.id,
    singletonKey: org.id,
    ...tx,
  });
}

export async function unscheduleOrg(boss: PgBoss, orgId: string, tx: InTransaction = {}): Promise<void> {
  await boss.unschedule(CYCLE_QUEUE, orgId, tx);
}

/** Queues a cycle now; null when one is already waiting for this org (the stately policy). */
export async function requestCycle(
  boss: PgBoss,
  orgId: string,
  trigger: CycleJob['trigger'],
  tx: InTransaction = {},
): Promise<string | null> {
  const job: CycleJob = { orgId, trigger };
  return boss.send(CYCLE_QUEUE, job, { singletonKey: orgId, ...tx });
}
