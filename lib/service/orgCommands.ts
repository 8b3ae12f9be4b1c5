// pause, resume, run, set-settings and list-orgs: shared by the admin command line
// (scripts/service.ts) and the status API's POST routes (statusServer.ts), so both refuse the same
// things in the same words. Pause, resume and set-settings change the org and its pg-boss schedule
// in one transaction.
import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';
import type { SyncRequestResult } from '../messaging/views';
import type { SyncSettings } from '../settings/schema';
import { AdminInputError } from './addOrg';
import { requestCycle, scheduleOrg, unscheduleOrg } from './cycleQueue';
import { orgIdSchema } from './orgConfig';
import { findOrg, listOrgs, setOrgPaused, setOrgSettings } from './orgStore';
import { withTransaction } from './transaction';

export class UnknownOrgError extends AdminInputError {
  override name = 'UnknownOrgError';
  constructor(id: string) {
    super(`unknown org ${id} (list-orgs shows the orgs there are)`);
  }
}

function checkedId(id: string): string {
  const parsed = orgIdSchema.safeParse(id);
  if (!parsed.success)
    throw new AdminInputError(`org id ${JSON.stringify(id)}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export async function setPaused(pool: Pool, boss: PgBoss, id: string, paused: boolean): Promise<void> {
  const orgId = checkedId(id);
  await withTransaction(pool, async (client, db) => {
    const org = await findOrg(client, orgId);
    if (!org) throw new UnknownOrgError(orgId);
    await setOrgPaused(client, orgId, paused);
    if (paused) await unscheduleOrg(boss, orgId, { db });
    else await scheduleOrg(boss, org, { db });
  });
}

/**
 * New settings for an org (the options page's export, already validated): its workers sync with
 * them from their next cycle on, which reads the org afresh. A new interval moves the cron
 * schedule in the same transaction (a paused org has none until resumed).
 */
export async function setSettings(
  pool: Pool,
  boss: PgBoss,
  id: string,
  settings: SyncSettings,
): Promise<void> {
  const orgId = checkedId(id);
  await withTransaction(pool, async (client, db) => {
    const org = await findOrg(client, orgId);
    if (!org) throw new UnknownOrgError(orgId);
    await setOrgSettings(client, org, settings);
    if (settings.intervalMinutes !== org.intervalMinutes && !org.paused)
      await scheduleOrg(boss, { id: orgId, intervalMinutes: settings.intervalMinutes }, { db });
  });
}

/** A cycle now, as a job (any worker takes it); refused while paused, as the popup's Sync now is. */
export async function runNow(pool: Pool, boss: PgBoss, id: string): Promise<SyncRequestResult> {
  const orgId = checkedId(id);
  const org = await findOrg(pool, orgId);
  if (!org) throw new UnknownOrgError(orgId);
  if (org.paused)
    return { status: 'refused', reason: 'paused', message: `org ${orgId} is paused: resume it first` };
  const jobId = await requestCycle(boss, orgId, 'manual');
  // The stately queue keeps one waiting job per org: one already waiting will run the cycle.
  return jobId ? { status: 'started' } : { status: 'queued' };
}

export interface OrgListing {
  id: string;
  name: string;
  intervalMinutes: number;
  paused: boolean;
  salesforceUrl: string;
  marketoUrl: string;
  lastRun?: { startedAt: string; endedAt: string | null; outcome: string | null; worker: string };
}

export async function listOrgSummaries(pool: Pool): Promise<OrgListing[]> {
  const orgs = await listOrgs(pool);
  const { rows } = await pool.query<{
    org_id: string;
    started_at: Date;
    ended_at: Date | null;
    outcome: string | null;
    worker_id: string;
  }>(
    `SELECT DISTINCT ON (org_id) org_id, started_at, ended_at, outcome, worker_id
     FROM service.runs ORDER BY org_id, started_at DESC`,
  );
  const last = new Map(rows.map((r) => [r.org_id, r]));
  return orgs.map((org) => {
    const run = last.get(org.id);
    return {
      id: org.id,
      name: org.name,
      intervalMinutes: org.intervalMinutes,
      paused: org.paused,
      salesforceUrl: org.salesforce.instanceUrl,
      marketoUrl: org.marketo.restUrl,
      ...(run && {
        lastRun: {
          startedAt: run.started_at.toISOString(),
          endedAt: run.ended_at?.toISOString() ?? null,
          outcome: run.outcome,
          worker: run.worker_id,
        },
      }),
    };
  });
}
