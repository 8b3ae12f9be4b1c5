// Update Activities at scale and after stops (issue 20, docs/activities.md): 3,000 Tasks and 300
// Events logged in ONE SystemModstamp second; workers killed while the activity type is made (its
// create carried out, the answer lost), then two new workers racing for the next cycle; workers
// killed in the middle of an add call (carried out, never logged) and right after a batch's commit;
// an answer lost with the worker alive. Afterwards each activity type exists once and every Task
// and Event is in Marketo exactly once, logged New exactly once.
//
// A "killed" worker is an engine on its own connection to the log that closes at the kill point, so
// nothing after it reaches the log or the APIs (a request already sent still lands), as in
// sync-resume.test.ts; its cycle stays In Process and its lease is left to expire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import { runDyingCycle } from '../support/dyingWorkerLog';
import { type SyncHarness, startSyncHarness } from './sync-harness';

const T0 = Date.parse('2026-03-02T09:00:00.400Z');
const TASKS = 3000;
const EVENTS = 300;
let h: SyncHarness;
let cut: ((url: string, method: string) => void) | undefined;
let persons: string[] = [];

const isAdd = (url: string, method: string) => method === 'POST' && url.includes('/activities/external.json');
const isTypeCreate = (url: string, method: string) =>
  method === 'POST' && url.includes('/activities/external/type.json');

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty', now: () => T0 }, undefined, (url, init) =>
    cut?.(url, init?.method ?? 'GET'),
  );
  const leads = Array.from(
    { length: 150 },
    (_, i) =>
      h.emu.control.sfCreate({
        object: 'Lead',
        fields: { LastName: `L${i}`, Company: 'Acme', Email: `l${i}@acme.example` },
      }).id,
  );
  const contacts = Array.from(
    { length: 50 },
    (_, i) =>
      h.emu.control.sfCreate({ object: 'Contact', fields: { LastName: `C${i}`, Email: `c${i}@x.example` } })
        .id,
  );
  persons = [...leads, ...contacts];
  expect((await h.cycle()).cycle?.status).toBe('Completed');
  h.advance();
  h.settings.objects.Task!.enabled = true;
  h.settings.objects.Event!.enabled = true;
}, 120_000);
afterAll(async () => h?.stop());

/** Runs one cycle on a fresh worker that dies at the `at`-th matching request, or after `afterCommits` commits. */
function runDying(owner: string, plan: { at?: number; isWrite?: typeof isAdd; afterCommits?: number }) {
  return runDyingCycle({
    logName: h.db.name,
    owner,
    plan: { atWrite: plan.at, isWrite: plan.isWrite, afterCommits: plan.afterCommits },
    ofStep: (row) => row.operation === 'Update Activities',
    engineOn: (db) => h.engineOn(db, owner),
    setCut: (next) => {
      cut = next;
    },
  });
}

const activitiesOf = (apiName: string) => h.emu.control.mkCustomActivities({ apiName });
const perRecord = (apiName: string) => {
  const count = new Map<string, number>();
  for (const a of activitiesOf(apiName)) {
    const id = String(a.attributes['Salesforce Id']);
    count.set(id, (count.get(id) ?? 0) + 1);
  }
  return count;
};

/** How many times the log says each record was sent (outcome new) by Update Activities. */
async function loggedNew(): Promise<Map<string, number>> {
  const steps = await h.db.steps.filter((s) => s.operation === 'Update Activities').toArray();
  const count = new Map<string, number>();
  for (const step of steps) {
    const rows = await h.db.recordEvents
      .where('[stepId+id]')
      .between([step.id, -Infinity], [step.id, Infinity])
      .toArray();
    for (const o of rows.flatMap((r) => rowOutcomes(r)))
      if (o.outcome === 'new') count.set(o.sfId, (count.get(o.sfId) ?? 0) + 1);
  }
  return count;
}

describe('Update Activities, stopped anywhere, at scale', () => {
  it('makes each activity type once: a worker killed in the create, then two workers racing', async () => {
    h.emu.control.sfSeedActivities({ tasks: 30, events: 10, whoIds: persons });
    expect(await runDying('dies-creating-the-type', { at: 1, isWrite: isTypeCreate })).toBe(true);
    // The create was carried out; its answer never logged. A draft without attributes is left.
    expect(h.emu.control.mkActivityTypes()).toEqual([
      expect.objectContaining({ apiName: 'sfSyncStatusTask', status: 'draft', attributes: [] }),
    ]);
    h.advance(); // past the dead worker's lease, as the next alarm would be
    const [a, b] = await Promise.all([
      h.newEngine('restarted-1').runCycle({ trigger: 'schedule' }),
      h.newEngine('restarted-2').runCycle({ trigger: 'schedule' }),
    ]);
    expect([a.cycle, b.cycle].filter(Boolean)).toHaveLength(1); // the lease lets one run
    const types = h.emu.control.mkActivityTypes();
    expect(types.map((t) => t.apiName).sort()).toEqual(['sfSyncStatusEvent', 'sfSyncStatusTask']);
    expect(types.every((t) => t.status === 'approved' && t.attributes.length === 7)).toBe(true);
  });

  it('adds every Task and Event once after kills mid-call and after a commit, and an answer lost', async () => {
    // The first test's 30 Tasks and 10 Events are sent; these come in one second on top.
    h.advance();
    const { tasks, events } = h.emu.control.sfSeedActivities({
      tasks: TASKS,
      events: EVENTS,
      whoIds: persons,
    });
    h.advance();
    expect(await runDying('dies-mid-add', { at: 2, isWrite: isAdd })).toBe(true);
    h.advance();
    expect(await runDying('dies-after-a-commit', { afterCommits: 2 })).toBe(true);
    h.advance();
    h.emu.control.injectFault({
      side: 'marketo',
      kind: 'dropAfter',
      route: '/rest/v1/activities/external.json',
      times: 1,
    });
    const lost = await h.cycle();
    expect(
      lost.steps.find((s) => s.operation === 'Update Activities' && s.status === 'Failed'),
    ).toBeDefined();
    for (let i = 0; i < 5; i++) {
      h.advance();
      const report = await h.cycle();
      if (report.cycle?.status === 'Completed' && report.steps.every((s) => s.new === 0)) break;
    }
    const taskCounts = perRecord('sfSyncStatusTask');
    const eventCounts = perRecord('sfSyncStatusEvent');
    expect(taskCounts.size).toBe(TASKS + 30);
    expect([...taskCounts.values()].every((n) => n === 1)).toBe(true);
    for (const id of tasks) expect(taskCounts.get(id)).toBe(1);
    expect(eventCounts.size).toBe(EVENTS + 10);
    expect([...eventCounts.values()].every((n) => n === 1)).toBe(true);
    for (const id of events) expect(eventCounts.get(id)).toBe(1);
    const logged = await loggedNew();
    expect(logged.size).toBe(TASKS + EVENTS + 40);
    expect([...logged.values()].every((n) => n === 1)).toBe(true);
    expect(h.emu.control.mkActivityTypes()).toHaveLength(2);
  }, 120_000);

  it('sends one Updated activity per Task after 3,000 changes in one second, killed mid-add', async () => {
    const sent = [...perRecord('sfSyncStatusTask').keys()];
    const changed = sent.filter((id) => h.emu.control.sfGet({ id })?.Status !== 'Completed');
    expect(changed.length).toBeGreaterThan(1500);
    h.advance();
    for (const id of sent) h.emu.control.sfUpdate({ id, fields: { Status: 'Completed' } });
    h.advance(2 * 60_000);
    expect(await runDying('dies-mid-update', { at: 3, isWrite: isAdd })).toBe(true);
    for (let i = 0; i < 4; i++) {
      h.advance();
      const report = await h.cycle();
      if (report.cycle?.status === 'Completed' && report.steps.every((s) => s.updated === 0)) break;
    }
    const updates = new Map<string, number>();
    for (const a of activitiesOf('sfSyncStatusTask'))
      if (a.attributes.Change === 'Updated') {
        const id = String(a.attributes['Salesforce Id']);
        updates.set(id, (updates.get(id) ?? 0) + 1);
        expect(a.attributes.Status).toBe('Completed');
      }
    expect(updates.size).toBe(changed.length);
    expect([...updates.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
