// Two workers (child processes) and three orgs on 1-minute cron schedules, each org with its own
// emulator: every org's cycles run on schedule (one per minute, started within seconds of the org's
// own second in the minute: pg-boss's cron pass runs every few seconds), never two at once for one org (the stately
// queue per org; checked on the service's run rows and on each org's own log), and the work is
// spread over both workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CYCLE_QUEUE, cronOffset } from '../../lib/service/cycleQueue';
import { type ServiceWorld, startServiceWorld, until } from '../support/serviceWorld';

const ORGS = ['alpha', 'beta', 'gamma'];
let world: ServiceWorld;

beforeAll(async () => {
  world = await startServiceWorld('svc_sched');
  for (const id of ORGS) {
    const { emu } = await world.addEmulatedOrg(id);
    for (let i = 0; i < 40; i++)
      emu.control.sfCreate({ object: 'Lead', fields: { Company: `${id} Co`, LastName: `Lead ${i}` } });
  }
}, 60_000);
afterAll(async () => world?.stop(), 60_000);

const overlaps = (spans: { start: number; end: number }[]) =>
  spans.sort((a, b) => a.start - b.start).some((span, i) => i > 0 && span.start < spans[i - 1]!.end);

describe('service schedule', () => {
  it('runs each org every minute on schedule, never two cycles of one org at once', async () => {
    const started = Date.now();
    const workers = [world.startWorker(), world.startWorker()];
    // Three scheduled cycles of every org, finished. The first comes at once: pg-boss sends a
    // schedule's occurrence while it is less than a minute old, so a new org's first cycle does not
    // wait for the next minute. The others come at the minute boundaries.
    await until(
      'three finished scheduled cycles of every org',
      async () => {
        const runs = (await world.runs()).filter((r) => r.trigger === 'schedule' && r.ended_at);
        return ORGS.every((org) => runs.filter((r) => r.org_id === org).length >= 3) ? true : undefined;
      },
      240_000,
    );
    // Stopped first, so every run row and cycle row is final (SIGTERM: a cycle in flight ends at its
    // next batch boundary, Not Completed, and the worker exits 0).
    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) expect((await w.exited).code).toBe(0);
    const stoppedEarly = (status: string | null, error?: string | null) =>
      status === 'Not Completed' && error === 'Stopped: the worker is shutting down';
    const runs = await world.runs();
    const minutes = Math.floor((Date.now() - started) / 60_000);
    const jobCreated = new Map(
      (
        await world.pool.query<{ id: string; created_on: Date }>(
          'SELECT id::text, created_on FROM pgboss.job WHERE name = $1',
          [CYCLE_QUEUE],
        )
      ).rows.map((j) => [j.id, j.created_on.getTime()]),
    );
    for (const org of ORGS) {
      const mine = runs.filter((r) => r.org_id === org);
      const scheduled = mine.filter((r) => r.trigger === 'schedule');
      // One run per minute since the workers started (cron `S * * * * *`), none skipped.
      expect(scheduled.length).toBeGreaterThanOrEqual(Math.max(3, minutes));
      // Each minute's occurrence is at the org's own second (cycleQueue.ts cronOffset); a run's job
      // was created for the last occurrence before it (a late start still counts for its minute).
      const offsetMs = cronOffset(org, 1).second * 1000;
      const occurrences = scheduled.map((run) => {
        const created = jobCreated.get(run.job_id)!;
        return Math.floor((created - offsetMs) / 60_000) * 60_000 + offsetMs;
      });
      for (const [i, run] of scheduled.entries()) {
        expect(run.ended_at).not.toBeNull();
        // After the first (an occurrence up to a minute old, sent as the org was added): the job
        // sent by the cron pass (every 2 s) within seconds of its occurrence, and started soon.
        if (i === 0) continue;
        expect(jobCreated.get(run.job_id)! - occurrences[i]!).toBeLessThan(10_000);
        // Started soon after — or, when the org's previous cycle was still running (a loaded
        // machine), soon after that one ended (the stately queue holds it; it is not skipped).
        const due = Math.max(occurrences[i]!, scheduled[i - 1]!.ended_at!.getTime());
        expect(run.started_at.getTime() - due).toBeLessThan(20_000);
      }
      // One job per occurrence, none run twice.
      expect(new Set(occurrences).size).toBe(occurrences.length);
      expect(
        overlaps(
          mine.map((r) => ({ start: r.started_at.getTime(), end: (r.ended_at ?? new Date()).getTime() })),
        ),
      ).toBe(false);
      const cycles = await (await world.log(org)).cycles.toArray();
      expect(cycles.length).toBe(mine.filter((r) => r.cycle_id !== null).length);
      expect(overlaps(cycles.map((c) => ({ start: c.startedAt, end: c.endedAt ?? Date.now() })))).toBe(false);
      for (const c of cycles) expect(c.status === 'Completed' || stoppedEarly(c.status, c.error)).toBe(true);
    }
    // The three orgs' cycles went to both workers.
    expect(new Set(runs.map((r) => r.worker_id)).size).toBe(2);
  }, 300_000);
});
