// Workers interrupted in the middle of a batch (two worker processes, one org, 3,000 new leads =
// ten 300-lead batches to Marketo, each made slow by the emulator's latency fault on the lead push):
// - SIGKILL: pg-boss sees the job's heartbeat stop and hands it back; the other worker takes it,
//   takes over the dead worker's lease at once (its advisory lock died with it), and the engine
//   resumes from the last committed batch — every lead ends up in Marketo exactly once.
// - SIGTERM: the worker lets the batches in flight commit, ends the cycle (Not Completed, "Stopped…"),
//   queues its resumption and exits 0; the other worker finishes the sync, again exactly once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { runNow } from '../../lib/service/orgCommands';
import { pidOf, type ServiceWorld, startServiceWorld, until } from '../support/serviceWorld';

const LEADS = 3000;
const PUSH_LATENCY_MS = 1500;
let world: ServiceWorld;
let emu: Emulator;
const leadIds: string[] = [];

beforeEach(async () => {
  world = await startServiceWorld('svc_interrupt');
  // A long interval: only the cycles the test asks for (and their resumptions) run.
  ({ emu } = await world.addEmulatedOrg('acme', { intervalMinutes: 60 }));
  leadIds.length = 0;
  for (let i = 0; i < LEADS; i++)
    leadIds.push(
      emu.control.sfCreate({
        object: 'Lead',
        fields: { Company: 'Acme', LastName: `Lead ${i}`, Email: `lead${i}@acme.example` },
      }).id,
    );
  emu.control.injectFault({
    side: 'marketo',
    kind: 'latency',
    route: '/rest/v1/leads.json',
    method: 'POST',
    latencyMs: PUSH_LATENCY_MS,
  });
}, 60_000);
afterEach(async () => world?.stop(), 60_000);

/** Committed batches of the lead pull so far (one record event row per batch). */
async function committedBatches(): Promise<number> {
  const db = await world.log('acme');
  const step = (await db.steps.toArray()).find(
    (s) => s.operation === 'Pull Updates' && s.objectType === 'Person',
  );
  return step
    ? db.recordEvents.where('[stepId+id]').between([step.id, -Infinity], [step.id, Infinity]).count()
    : 0;
}

/** Marketo persons per Salesforce lead id, through whichever link field the sync writes. */
function personsByLead(): Map<string, number> {
  const out = new Map<string, number>();
  for (const lead of emu.marketo.store.leads.byId.values()) {
    const sfId = (lead.values.sfdcLeadIdCustom ?? lead.values.sfdcLeadId) as string | undefined;
    if (sfId) out.set(sfId, (out.get(sfId) ?? 0) + 1);
  }
  return out;
}

function expectEveryLeadOnce() {
  const persons = personsByLead();
  const counts = leadIds.map((id) => persons.get(id) ?? 0);
  expect(counts.filter((n) => n === 0).length).toBe(0); // lost
  expect(counts.filter((n) => n > 1).length).toBe(0); // duplicated
  expect(emu.marketo.store.leads.size).toBe(LEADS);
}

/** Starts two workers, queues a cycle and waits until `batches` batches of it are committed. */
async function midCycle(batches: number) {
  const workers = [world.startWorker(), world.startWorker()];
  expect(await runNow(world.pool, world.boss, 'acme')).toEqual({ status: 'started' });
  await until(
    'batches committed',
    async () => ((await committedBatches()) >= batches ? true : undefined),
    90_000,
  );
  const running = await until(
    'the running worker',
    async () => (await world.runs('acme')).find((r) => !r.ended_at),
    5_000,
  );
  const victim = workers.find((w) => w.child.pid === pidOf(running.worker_id))!;
  const other = workers.find((w) => w !== victim)!;
  return { victim, other, running };
}

async function finishedRun(afterWorker: string) {
  return until(
    'the other worker to finish the sync',
    async () =>
      (await world.runs('acme')).find(
        (r) => r.worker_id !== afterWorker && r.ended_at && r.outcome === 'Completed',
      ),
    150_000,
  );
}

describe('service workers interrupted mid-batch', () => {
  it('SIGKILL: another worker takes the job over and resumes from the last committed batch', async () => {
    const { victim, running } = await midCycle(2);
    // Mid-batch: a push is in flight for PUSH_LATENCY_MS after each commit.
    await new Promise((r) => setTimeout(r, PUSH_LATENCY_MS / 2));
    const before = await committedBatches();
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    const takeover = await until(
      'the job taken over',
      async () => (await world.runs('acme')).find((r) => r.worker_id !== running.worker_id),
      60_000,
    );
    const takeoverMs = takeover.started_at.getTime() - killedAt;
    console.log(
      `takeover after kill -9: ${takeoverMs} ms (batches committed before: ${before} of ${LEADS / 300})`,
    );
    expect(takeoverMs).toBeLessThan(30_000);
    await finishedRun(running.worker_id);
    expectEveryLeadOnce();
    const db = await world.log('acme');
    const cycles = await db.cycles.toArray();
    // The killed worker's cycle, closed by the taker's recovery; then the resumed one.
    expect(cycles.map((c) => c.status)).toEqual(['Not Completed', 'Completed']);
    expect(cycles[0]!.error).toBe('Interrupted: the worker stopped during this cycle');
    // Resumed, not redone: the second cycle pushed only what the first had not committed. The
    // batches in flight at the kill (the pull keeps two calls in flight, docs/engine-cursors.md) may
    // have reached Marketo uncommitted: redone, they find their persons there (Updated, not New) —
    // at most those two batches.
    const pushed = (await db.steps.toArray()).filter(
      (s) => s.operation === 'Pull Updates' && s.objectType === 'Person',
    );
    expect(pushed[0]!.new).toBeGreaterThanOrEqual(before * 300);
    expect(pushed[1]!.updated).toBeLessThanOrEqual(2 * 300);
    expect(pushed[0]!.new + pushed[1]!.new + pushed[1]!.updated).toBe(LEADS);
  }, 240_000);

  it('SIGTERM: the batches in flight commit, the worker exits 0 and the cycle resumes elsewhere', async () => {
    const { victim, running } = await midCycle(2);
    await new Promise((r) => setTimeout(r, PUSH_LATENCY_MS / 2));
    const before = await committedBatches();
    victim.child.kill('SIGTERM');
    expect(await victim.exited).toEqual({ code: 0, signal: null });
    const db = await world.log('acme');
    // The batches in flight (one or two: the pull keeps two calls in flight) were committed after the
    // signal, and nothing after them.
    const after = (await committedBatches()) - before;
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThanOrEqual(2);
    const first = (await db.cycles.toArray())[0]!;
    expect([first.status, first.error]).toEqual(['Not Completed', 'Stopped: the worker is shutting down']);
    expect(first.reason).toMatch(/shut down between two batches/);
    expect((await world.runs('acme'))[0]).toMatchObject({
      worker_id: running.worker_id,
      outcome: 'Not Completed',
    });
    // Its resumption was queued at once and the other worker took it (no waiting for the hour's tick).
    const resumed = await finishedRun(running.worker_id);
    expect(resumed.trigger).toBe('resume');
    expectEveryLeadOnce();
  }, 240_000);
});
