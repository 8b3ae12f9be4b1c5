// What the fleet bench (service-fleet.bench.ts) reads off a window of the service's history: for
// every org, the occurrences its cron schedule had in the window, and for each the run pg-boss's job
// for it started. A run is matched to its occurrence through its job: pg-boss creates the job when
// its cron pass finds the occurrence due (within the 60 s an occurrence stays due), so the job
// belongs to the last occurrence at or before its creation — a cycle that starts late is still
// counted against the minute it was scheduled for, not the next one.
import type pg from 'pg';
import { cronOffset } from '../../lib/service/cycleQueue';

export interface FleetRun {
  orgId: string;
  jobCreated: Date;
  started: Date;
  ended: Date | null;
  outcome: string | null;
}

export interface FleetWindow {
  scheduled: number;
  /** Occurrences whose cycle started (once each, a retry not counted again). */
  run: number;
  /** Start − scheduled time of each occurrence that ran, ms. */
  delaysMs: number[];
  /** The two parts of each delay: pg-boss's cron (occurrence → job created), the pickup (→ start). */
  cronLagMs: number[];
  pickupMs: number[];
  /** Duration of each of those cycles, ms (unfinished ones left out). */
  durationsMs: number[];
  /** Runs whose outcome is not Completed, by outcome. */
  outcomes: Map<string, number>;
}

export async function fleetRuns(pool: pg.Pool): Promise<FleetRun[]> {
  const { rows } = await pool.query<{
    org_id: string;
    created_on: Date;
    started_at: Date;
    ended_at: Date | null;
    outcome: string | null;
  }>(
    `SELECT r.org_id, j.created_on, r.started_at, r.ended_at, r.outcome
     FROM service.runs r JOIN pgboss.job j ON j.id::text = r.job_id
     WHERE r.trigger = 'schedule' ORDER BY r.started_at`,
  );
  return rows.map((r) => ({
    orgId: r.org_id,
    jobCreated: r.created_on,
    started: r.started_at,
    ended: r.ended_at,
    outcome: r.outcome,
  }));
}

/** The org's occurrences in [from, to): every `interval` minutes at its minute and second offset. */
export function occurrences(orgId: string, intervalMinutes: number, from: number, to: number): number[] {
  const { minute, second } = cronOffset(orgId, intervalMinutes);
  const out: number[] = [];
  const hour = Math.floor(from / 3_600_000) * 3_600_000;
  for (let t = hour; t < to; t += 3_600_000)
    for (let m = minute; m < 60; m += intervalMinutes) {
      const at = t + m * 60_000 + second * 1000;
      if (at >= from && at < to) out.push(at);
    }
  return out;
}

export function measureWindow(
  orgs: readonly string[],
  intervalMinutes: number,
  runs: readonly FleetRun[],
  from: number,
  to: number,
): FleetWindow {
  const byOrg = new Map<string, FleetRun[]>();
  for (const r of runs) byOrg.set(r.orgId, [...(byOrg.get(r.orgId) ?? []), r]);
  const out: FleetWindow = {
    scheduled: 0,
    run: 0,
    delaysMs: [],
    cronLagMs: [],
    pickupMs: [],
    durationsMs: [],
    outcomes: new Map(),
  };
  for (const org of orgs) {
    const due = occurrences(org, intervalMinutes, from - 3_600_000, to);
    for (const at of due.filter((t) => t >= from)) {
      out.scheduled += 1;
      // The job of this occurrence: created at or after it, before the next one.
      const next = at + intervalMinutes * 60_000;
      const mine = (byOrg.get(org) ?? []).filter(
        (r) => r.jobCreated.getTime() >= at && r.jobCreated.getTime() < next,
      );
      const first = mine[0];
      if (!first) continue;
      out.run += 1;
      out.delaysMs.push(first.started.getTime() - at);
      out.cronLagMs.push(first.jobCreated.getTime() - at);
      out.pickupMs.push(first.started.getTime() - first.jobCreated.getTime());
      const last = mine.at(-1)!;
      if (last.ended) out.durationsMs.push(last.ended.getTime() - first.started.getTime());
      for (const r of mine)
        if (r.outcome !== 'Completed')
          out.outcomes.set(r.outcome ?? 'unfinished', (out.outcomes.get(r.outcome ?? 'unfinished') ?? 0) + 1);
    }
  }
  return out;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
