// Update Activities and Pull Updates of Task and Event against the emulator (issue 20,
// docs/activities.md): the activity types made once on first use, selected types only, persons
// excluded or not synced yet, later changes and deletions as further activities, Marketo's
// activity-type limit, and the count invariant on every step (sync-harness.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import { loadStates } from '../../lib/db/syncState';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
afterEach(async () => h?.stop());

const create = (object: string, fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object, fields }).id;
const typeOf = (apiName: string) => h.emu.control.mkActivityTypes().filter((t) => t.apiName === apiName);
const activities = (apiName: string) => h.emu.control.mkCustomActivities({ apiName });
const TASK = 'sfSyncStatusTask';
const EVENT = 'sfSyncStatusEvent';

/** A lead and a contact, both synced; an excluded lead; Tasks and Events of several types on them. */
function world() {
  const lead = create('Lead', { LastName: 'Lee', Company: 'Acme', Email: 'lee@acme.example' });
  const contact = create('Contact', { LastName: 'Cole', Email: 'cole@acme.example' });
  const excluded = create('Lead', {
    LastName: 'Ex',
    Company: 'Acme',
    Email: 'ex@acme.example',
    Do_Not_Sync_to_Marketo__c: true,
  });
  const task = (who: string, Type: string, Subject = `${Type} with ${who}`) =>
    create('Task', { Subject, WhoId: who, Type, Status: 'Not Started', ActivityDate: '2026-06-10' });
  return {
    lead,
    contact,
    excluded,
    call: task(lead, 'Call', 'Intro call'),
    meeting: task(contact, 'Meeting'),
    email: task(lead, 'Email'),
    pushed: task(contact, 'Call', 'Fill Out Form: Demo request [mkto 42]'),
    excludedCall: task(excluded, 'Call'),
    noWho: create('Task', { Subject: 'Orphan', Type: 'Call' }),
    event: create('Event', {
      Subject: 'Demo',
      WhoId: contact,
      Type: 'Meeting',
      StartDateTime: '2026-06-12T15:00:00Z',
      EndDateTime: '2026-06-12T16:00:00Z',
      Location: 'Online',
    }),
    otherEvent: create('Event', {
      Subject: 'Lunch',
      WhoId: lead,
      Type: 'Other',
      StartDateTime: '2026-06-12T12:00:00Z',
      EndDateTime: '2026-06-12T13:00:00Z',
    }),
  };
}

async function start(tweak: (s: SyncHarness['settings']) => void = () => {}) {
  h = await startSyncHarness({ seed: 'empty' }, (s) => {
    s.objects.Task!.enabled = true;
    s.objects.Event!.enabled = true;
    tweak(s);
  });
}

describe('Update Activities', () => {
  beforeEach(() => start());

  it('makes each activity type once, sends the selected types of synced persons, and says why for the rest', async () => {
    const w = world();
    const first = await h.cycle();
    expect(first.cycle?.status).toBe('Completed');
    const tasks = stepOf(first, 'Update Activities', 'Task');
    expect(tasks).toMatchObject({ status: 'Completed', new: 2, excluded: 1, skipped: 3, failed: 0 });
    expect(stepOf(first, 'Update Activities', 'Event')).toMatchObject({ new: 1, skipped: 1 });
    expect(typeOf(TASK)).toEqual([expect.objectContaining({ status: 'approved', name: 'Salesforce Task' })]);
    expect(typeOf(EVENT)).toEqual([
      expect.objectContaining({ status: 'approved', name: 'Salesforce Event' }),
    ]);
    const leadPerson = (await loadStates(h.db, [w.lead])).get(w.lead)!.marketoId;
    const sent = activities(TASK);
    expect(sent).toHaveLength(2);
    expect(sent.find((a) => a.attributes['Salesforce Id'] === w.call)).toMatchObject({
      leadId: leadPerson,
      primaryAttributeValue: 'Intro call',
      attributes: { Change: 'Logged', Type: 'Call', Status: 'Not Started', 'Due Date': '2026-06-10' },
    });
    expect(activities(EVENT)[0]!.attributes).toMatchObject({
      'Salesforce Id': w.event,
      Start: '2026-06-12T15:00:00Z',
      Location: 'Online',
    });
    // The reasons, per record.
    const reasons = await reasonsOf(tasks.id);
    expect(reasons.get(w.email)).toContain('Type (Email) is not among the Task types');
    expect(reasons.get(w.pushed)).toContain('made by the sync');
    expect(reasons.get(w.excludedCall)).toContain('excluded by the sync filter');
    expect(reasons.get(w.noWho)).toContain('not related to a lead or contact');
    // A second cycle sends nothing again and makes no type.
    h.advance();
    const second = await h.cycle();
    expect(activities(TASK)).toHaveLength(2);
    expect(h.emu.control.mkActivityTypes()).toHaveLength(2);
    expect(stepOf(second, 'Update Activities', 'Task').new).toBe(0);
  });

  it('queues an activity whose person is not synced yet and sends it once the person is', async () => {
    h.settings.objects.Lead!.enabled = false;
    const w = world();
    const first = await h.cycle();
    expect(stepOf(first, 'Update Activities', 'Task')).toMatchObject({ new: 1, skipped: 5 });
    expect((await reasonsOf(stepOf(first, 'Update Activities', 'Task').id)).get(w.call)).toMatch(/^Queued/);
    h.settings.objects.Lead!.enabled = true;
    h.advance();
    const second = await h.cycle();
    expect(stepOf(second, 'Update Activities', 'Task').new).toBe(1);
    expect(
      activities(TASK)
        .map((a) => a.attributes['Salesforce Id'])
        .sort(),
    ).toEqual([w.call, w.meeting].sort());
  });

  it('never sends a Task deleted before it was read, nor logs it', async () => {
    const w = world();
    h.emu.control.sfDelete({ id: w.call });
    const report = await h.cycle();
    expect(stepOf(report, 'Update Activities', 'Task').new).toBe(1);
    expect(activities(TASK).map((a) => a.attributes['Salesforce Id'])).toEqual([w.meeting]);
    expect((await reasonsOf(stepOf(report, 'Update Activities', 'Task').id)).has(w.call)).toBe(false);
  });

  it('sends only the types selected in the settings, and nothing while the switch is off', async () => {
    h.settings.objects.Event!.enabled = false;
    h.settings.updateActivities.taskTypes = ['Email'];
    const w = world();
    const report = await h.cycle();
    expect(report.steps.some((s) => s.objectType === 'Event')).toBe(false);
    expect(activities(TASK).map((a) => a.attributes['Salesforce Id'])).toEqual([w.email]);
  });
});

describe('Pull Updates of Task and Event', () => {
  beforeEach(() => start());

  it('sends a change as an Updated activity and a deletion as a Deleted one', async () => {
    const w = world();
    await h.cycle();
    h.advance();
    h.emu.control.sfUpdate({ id: w.call, fields: { Status: 'Completed', Subject: 'Intro call (done)' } });
    h.emu.control.sfUpdate({ id: w.email, fields: { Status: 'Completed' } }); // never sent: not its part
    h.emu.control.sfUpdate({ id: w.event, fields: { Description: 'not a field the activity carries' } });
    h.advance();
    const changed = await h.cycle();
    expect(stepOf(changed, 'Pull Updates', 'Task')).toMatchObject({ updated: 1, new: 0, failed: 0 });
    expect(stepOf(changed, 'Pull Updates', 'Event')).toMatchObject({ updated: 0, skipped: 1 });
    h.advance();
    h.emu.control.sfUpdate({
      id: w.event,
      fields: { Location: 'Room 4', StartDateTime: '2026-06-12T16:00:00Z' },
    });
    h.advance();
    const moved = await h.cycle();
    expect(stepOf(moved, 'Pull Updates', 'Event')).toMatchObject({ updated: 1, failed: 0 });
    expect(activities(EVENT).at(-1)!.attributes).toMatchObject({
      Change: 'Updated',
      Location: 'Room 4',
      Start: '2026-06-12T16:00:00Z',
    });
    const updates = activities(TASK).filter((a) => a.attributes.Change === 'Updated');
    expect(updates).toEqual([
      expect.objectContaining({
        primaryAttributeValue: 'Intro call (done)',
        attributes: expect.objectContaining({ Status: 'Completed', 'Salesforce Id': w.call }),
      }),
    ]);
    expect(stepOf(changed, 'Update Activities', 'Task').new).toBe(0);
    h.advance();
    h.emu.control.sfDelete({ id: w.meeting });
    h.emu.control.sfDelete({ id: w.email });
    h.advance(3 * 60_000);
    const deleted = await h.cycle();
    expect(stepOf(deleted, 'Pull Updates', 'Task')).toMatchObject({ deleted: 1, failed: 0 });
    const gone = activities(TASK).filter((a) => a.attributes.Change === 'Deleted');
    expect(gone.map((a) => a.attributes['Salesforce Id'])).toEqual([w.meeting]);
    expect(gone[0]!.primaryAttributeValue).toBe(`Meeting with ${w.contact}`);
    expect((await loadStates(h.db, [w.meeting])).get(w.meeting)).toBeUndefined();
    // Idle: nothing more.
    h.advance();
    const idle = await h.cycle();
    expect(activities(TASK)).toHaveLength(4);
    expect(activities(EVENT)).toHaveLength(2);
    for (const s of idle.steps.filter((s) => s.objectType === 'Task'))
      expect(s.new + s.updated + s.deleted).toBe(0);
  });

  it('holds a change of an excluded person back, and sends it once the person is back', async () => {
    const w = world();
    await h.cycle();
    h.advance();
    h.emu.control.sfUpdate({ id: w.lead, fields: { Do_Not_Sync_to_Marketo__c: true } });
    h.emu.control.sfUpdate({ id: w.call, fields: { Status: 'Completed' } });
    h.advance();
    const held = await h.cycle();
    expect(stepOf(held, 'Pull Updates', 'Task')).toMatchObject({ excluded: 1, updated: 0 });
    h.emu.control.sfUpdate({ id: w.lead, fields: { Do_Not_Sync_to_Marketo__c: false } });
    h.advance();
    const back = await h.cycle();
    expect(stepOf(back, 'Pull Updates', 'Task').updated).toBe(1);
    expect(activities(TASK).filter((a) => a.attributes.Change === 'Updated')).toHaveLength(1);
  });
});

describe("Marketo's custom activity type limit", () => {
  beforeEach(() => start());

  it('fails the step with the plain reason and a fix, and sends everything once a slot is free', async () => {
    for (let i = 0; i < 10; i++)
      h.emu.control.mkCreateActivityType({ apiName: `admin${i}`, name: `Admin Type ${i}` });
    const w = world();
    const full = await h.cycle();
    const step = stepOf(full, 'Update Activities', 'Task');
    expect(step.status).toBe('Failed');
    expect(step.reason).toContain("Marketo's limit of 10 custom activity types is reached");
    expect(step.reason).toContain('delete a custom activity type you no longer use');
    expect(step.new + step.failed).toBe(0);
    expect(full.cycle?.status).toBe('Failed');
    h.emu.control.sfUpdate({ id: w.call, fields: { Subject: 'Intro call, moved' } });
    h.advance();
    await h.cycle(); // still full
    h.emu.control.mkSetActivityTypeLimit({ limit: 12 });
    h.advance();
    const freed = await h.cycle();
    expect(stepOf(freed, 'Update Activities', 'Task')).toMatchObject({ status: 'Completed', new: 2 });
    expect(
      activities(TASK)
        .map((a) => a.primaryAttributeValue)
        .sort(),
    ).toEqual(['Intro call, moved', `Meeting with ${w.contact}`].sort());
  });
});

async function reasonsOf(stepId: number): Promise<Map<string, string>> {
  const rows = await h.db.recordEvents
    .where('[stepId+id]')
    .between([stepId, -Infinity], [stepId, Infinity])
    .toArray();
  return new Map(
    rows.flatMap((r) => rowOutcomes(r).map((o) => [o.sfId, o.reason ?? ''] as [string, string])),
  );
}
