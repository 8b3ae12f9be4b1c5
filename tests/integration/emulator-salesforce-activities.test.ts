// Task and Event over real HTTP (api-facts-objects E1, E4 item 9; docs/activities.md): describe
// (WhoId to Lead or Contact, WhatId, Type, Status, dates), SOQL by WhoId and Subject, whole-second
// SystemModstamp shared by a bulk load, the updated/ and deleted/ feeds, a WhoId that is not a
// person refused, lead conversion moving the lead's activities to the contact (or not, when the
// org keeps them on the lead), and the demo seed's activities on synced persons.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type SfTestClient, sfClient } from '../../emulator/testing';

type Rows<T> = { totalSize: number; records: T[] };
const T0 = Date.parse('2026-06-01T12:00:30Z');
const iso = (ms: number) => new Date(ms).toISOString();

let emu: Emulator;
let sf: SfTestClient;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty', now: () => T0 });
  sf = sfClient(emu.info);
});
beforeEach(() => {
  emu.control.setTime({ at: T0 });
  emu.control.reset({ seed: 'empty' });
});
afterAll(() => emu.stop());

const create = (object: string, fields: Record<string, unknown>) =>
  emu.control.sfCreate({ object, fields }).id;

describe('describe', () => {
  it('has the fields the sync reads, WhoId pointing at leads and contacts', async () => {
    for (const object of ['Task', 'Event']) {
      const res = await sf.get<{ replicateable: boolean; fields: { name: string; referenceTo: string[] }[] }>(
        `sobjects/${object}/describe`,
      );
      expect(res.status).toBe(200);
      expect(res.body.replicateable).toBe(true);
      const names = res.body.fields.map((f) => f.name);
      expect(names).toEqual(
        expect.arrayContaining(['WhoId', 'WhatId', 'Type', 'Subject', 'ActivityDate', 'SystemModstamp']),
      );
      expect(res.body.fields.find((f) => f.name === 'WhoId')!.referenceTo.sort()).toEqual([
        'Contact',
        'Lead',
      ]);
    }
    const task = await sf.get<{ fields: { name: string }[] }>('sobjects/Task/describe');
    expect(task.body.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Status', 'Priority']));
    const event = await sf.get<{ fields: { name: string }[] }>('sobjects/Event/describe');
    expect(event.body.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['StartDateTime', 'EndDateTime', 'Location']),
    );
  });
});

describe('rows', () => {
  it('reads Tasks by WhoId and Subject; a bulk load shares one SystemModstamp second', async () => {
    const lead = create('Lead', { LastName: 'Lee', Company: 'Acme' });
    const contact = create('Contact', { LastName: 'Cole' });
    const { tasks, events } = emu.control.sfSeedActivities({
      tasks: 500,
      events: 20,
      whoIds: [lead, contact],
    });
    expect(tasks).toHaveLength(500);
    const res = await sf.query<Rows<{ Id: string; SystemModstamp: string; WhoId: string }>>(
      `SELECT Id, WhoId, SystemModstamp FROM Task WHERE WhoId = '${lead}' AND Subject LIKE 'Call 1%' ORDER BY SystemModstamp, Id`,
    );
    expect(res.body.totalSize).toBe(56); // Call 1, 10–19, 100–199 on the lead (odd positions 0, 2…)
    expect(new Set(res.body.records.map((r) => r.SystemModstamp)).size).toBe(1);
    expect(res.body.records[0]!.SystemModstamp).toBe('2026-06-01T12:00:30.000+0000');
    const ev = await sf.query<Rows<{ Type: string; StartDateTime: string }>>(
      `SELECT Type, StartDateTime FROM Event WHERE Id = '${events[0]}'`,
    );
    expect(ev.body.records[0]).toMatchObject({
      Type: 'Meeting',
      StartDateTime: '2026-06-02T12:00:30.000+0000',
    });
  });

  it('refuses a WhoId that is not a lead or contact', async () => {
    const account = create('Account', { Name: 'Acme' });
    const res = await sf.request<{ errorCode: string }[]>('POST', 'sobjects/Task', {
      Subject: 'x',
      WhoId: account,
    });
    expect(res.status).toBe(400);
    expect(res.body[0]!.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('lists changed and deleted Tasks in the updated/ and deleted/ feeds', async () => {
    const lead = create('Lead', { LastName: 'Lee', Company: 'Acme' });
    const task = create('Task', { Subject: 'Call', WhoId: lead, Type: 'Call' });
    emu.control.advanceTime({ ms: 3 * 60_000 });
    const before = `start=${encodeURIComponent(iso(T0 - 60_000))}&end=${encodeURIComponent(iso(T0 + 3 * 60_000))}`;
    const updated = await sf.get<{ ids: string[] }>(`sobjects/Task/updated/?${before}`);
    expect(updated.body.ids).toEqual([task]);
    emu.control.sfDelete({ id: task });
    emu.control.advanceTime({ ms: 3 * 60_000 });
    const range = `start=${encodeURIComponent(iso(T0 - 60_000))}&end=${encodeURIComponent(iso(T0 + 6 * 60_000))}`;
    const deleted = await sf.get<{ deletedRecords: { id: string }[] }>(`sobjects/Task/deleted/?${range}`);
    expect(deleted.body.deletedRecords.map((d) => d.id)).toEqual([task]);
    const all = await sf.query<Rows<{ IsDeleted: boolean }>>(
      `SELECT IsDeleted FROM Task WHERE Id = '${task}'`,
      {
        all: true,
      },
    );
    expect(all.body.records[0]!.IsDeleted).toBe(true);
  });
});

describe('lead conversion', () => {
  it("moves the lead's Tasks and Events to the contact, saving each", async () => {
    const lead = create('Lead', { LastName: 'Lee', Company: 'Acme' });
    const task = create('Task', { Subject: 'Call', WhoId: lead });
    const event = create('Event', {
      Subject: 'Demo',
      WhoId: lead,
      StartDateTime: iso(T0),
      EndDateTime: iso(T0 + 3_600_000),
    });
    emu.control.advanceTime({ ms: 5_000 });
    const { contactId } = emu.control.convertLead({ leadId: lead });
    for (const id of [task, event]) {
      const row = emu.control.sfGet({ id })!;
      expect(row.WhoId).toBe(contactId);
      expect(row.SystemModstamp).toBe('2026-06-01T12:00:35.000+0000');
    }
  });

  it('leaves them on the lead in an org that does not move them', async () => {
    const other = await startEmulator({ seed: 'empty', salesforce: { conversionMovesActivities: false } });
    try {
      const lead = other.control.sfCreate({ object: 'Lead', fields: { LastName: 'L', Company: 'A' } }).id;
      const task = other.control.sfCreate({ object: 'Task', fields: { Subject: 'Call', WhoId: lead } }).id;
      other.control.convertLead({ leadId: lead });
      expect(other.control.sfGet({ id: task })!.WhoId).toBe(lead);
    } finally {
      await other.stop();
    }
  });
});

describe('demo seed', () => {
  it('has Tasks and Events with a Type on leads and contacts Marketo knows', () => {
    emu.control.reset({ seed: 'demo' });
    const snap = emu.control.snapshot();
    const linked = new Set<unknown>(
      snap.marketo.leads.flatMap((l) => {
        const lead = l as Record<string, unknown>;
        return [lead.sfdcLeadId, lead.sfdcContactId].filter((v) => typeof v === 'string');
      }),
    );
    for (const object of ['Task', 'Event']) {
      const rows = snap.salesforce[object]!.filter((r) => r.IsDeleted === false);
      expect(rows.length).toBeGreaterThan(50);
      expect(rows.every((r) => typeof r.Type === 'string')).toBe(true);
      expect(rows.filter((r) => linked.has(r.WhoId)).length).toBeGreaterThan(rows.length / 2);
    }
    const events = snap.salesforce.Event!;
    expect(events.some((e) => e.Type === 'Meeting')).toBe(true);
  });
});
