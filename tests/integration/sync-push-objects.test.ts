// Push Updates runs one step per object (issue 15): Lead changes are counted in Push Updates
// Person, contact changes in Push Updates Contact, as Pull Updates does — and the Marketo feed is
// still read once per cycle (the Lead step hands the contacts' changes on, lib/sync/notes.ts).
// Every failure carries its record's name, in the failures the popup lists and the CSV exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFailures } from '../../lib/db/failures';
import { failureCsvRow } from '../../lib/export/failuresCsv';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
let feedCalls = 0;
beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, undefined, (url) => {
    if (new URL(url).pathname === '/rest/v1/activities.json') feedCalls++;
  });
});
afterAll(async () => h.stop());

type Row = Record<string, unknown>;
const persons = () => h.emu.marketo.snapshot().leads as Row[];
const personOf = (sfId: string) =>
  persons().find((p) => p.sfdcLeadIdCustom === sfId || p.sfdcContactIdCustom === sfId)!;
const sf = (id: string) => h.emu.control.sfGet({ id })!;
async function next() {
  h.advance();
  feedCalls = 0;
  return h.cycle();
}
async function failures() {
  const out = [];
  for await (const chunk of listFailures(h.db, {})) out.push(...chunk);
  return out;
}

describe('Push Updates per object', () => {
  const leads: string[] = [];
  const contacts: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++)
      leads.push(
        h.emu.control.sfCreate({
          object: 'Lead',
          fields: { Company: 'Acme', FirstName: `Lea${i}`, LastName: 'Ford' },
        }).id,
      );
    const account = h.emu.control.sfCreate({ object: 'Account', fields: { Name: 'Globex' } }).id;
    for (let i = 0; i < 2; i++)
      contacts.push(
        h.emu.control.sfCreate({
          object: 'Contact',
          fields: { FirstName: `Con${i}`, LastName: 'Roe', AccountId: account },
        }).id,
      );
    const first = await h.cycle();
    expect(first.cycle?.status, h.logs.join('\n')).toBe('Completed');
  });

  it('counts lead changes in the Person step and contact changes in the Contact step, reading the feed once', async () => {
    for (const id of [...leads, ...contacts])
      h.emu.control.mkUpdateLead({ id: personOf(id).id as number, fields: { title: `Title of ${id}` } });
    const report = await next();
    expect(report.cycle?.status, h.logs.join('\n')).toBe('Completed');
    expect(stepOf(report, 'Push Updates', 'Person')).toMatchObject({ updated: 3, failed: 0 });
    expect(stepOf(report, 'Push Updates', 'Contact')).toMatchObject({ updated: 2, failed: 0 });
    for (const id of [...leads, ...contacts]) expect(sf(id).Title).toBe(`Title of ${id}`);
    // One read of the activity feed serves both Push Updates steps and Push New.
    expect(feedCalls).toBe(1);
  });

  it('an idle cycle reads the feed once too', async () => {
    const idle = await next();
    expect(stepOf(idle, 'Push Updates', 'Person')).toMatchObject({ updated: 0, failed: 0 });
    expect(stepOf(idle, 'Push Updates', 'Contact')).toMatchObject({ updated: 0, failed: 0 });
    expect(feedCalls).toBe(1);
  });

  it('names every failed record, of both steps, in the failures list and the CSV', async () => {
    const tooLong = 'x'.repeat(200); // Salesforce's Title holds 128 characters
    const [lead] = leads as [string];
    const [contact] = contacts as [string];
    for (const id of [lead, contact])
      h.emu.control.mkUpdateLead({ id: personOf(id).id as number, fields: { title: tooLong } });
    const report = await next();
    expect(stepOf(report, 'Push Updates', 'Person')).toMatchObject({ failed: 1, updated: 0 });
    expect(stepOf(report, 'Push Updates', 'Contact')).toMatchObject({ failed: 1, updated: 0 });
    const listed = (await failures()).filter((f) => f.operation === 'Push Updates');
    expect(listed.map((f) => [f.objectType, f.sfId, f.name, f.code]).sort()).toEqual(
      [
        ['Contact', contact, 'Con0 Roe', 'STRING_TOO_LONG'],
        ['Person', lead, 'Lea0 Ford', 'STRING_TOO_LONG'],
      ].sort(),
    );
    for (const failure of listed) expect(failureCsvRow(failure)).toContain(failure.name);
  });

  it('a log from before per-object steps (one shared position) loses no contact change', async () => {
    // Before, both objects' pushes kept their place under push:persons only.
    await h.db.cursors.delete('push:contacts');
    const [, contact] = contacts as [string, string];
    h.emu.control.mkUpdateLead({ id: personOf(contact).id as number, fields: { title: 'After upgrade' } });
    const report = await next();
    expect(stepOf(report, 'Push Updates', 'Contact')).toMatchObject({ updated: 1 });
    expect(sf(contact).Title).toBe('After upgrade');
    expect(feedCalls).toBe(1);
  });

  it('with leads not synced, the Contact step reads the feed itself', async () => {
    h.settings.objects.Lead!.enabled = false;
    try {
      const [, contact] = contacts as [string, string];
      h.emu.control.mkUpdateLead({ id: personOf(contact).id as number, fields: { title: 'Contacts only' } });
      const report = await next();
      expect(report.steps.some((s) => s.operation === 'Push Updates' && s.objectType === 'Person')).toBe(
        false,
      );
      expect(stepOf(report, 'Push Updates', 'Contact')).toMatchObject({ updated: 1 });
      expect(sf(contact).Title).toBe('Contacts only');
      expect(feedCalls).toBe(1);
    } finally {
      h.settings.objects.Lead!.enabled = true;
    }
  });
});

describe('a Marketo-side failure of a pull step is named', () => {
  it('Pull Updates names the converted contact whose person Marketo no longer has', async () => {
    const id = h.emu.control.sfCreate({
      object: 'Lead',
      fields: { Company: 'Initech', FirstName: 'Gone', LastName: 'Person' },
    }).id;
    await next();
    // The person disappears in Marketo: the contact's takeover of the lead's person is refused.
    h.emu.control.mkDeleteLead({ id: personOf(id).id as number });
    const { contactId } = h.emu.control.convertLead({ leadId: id });
    const report = await next();
    expect(stepOf(report, 'Pull Updates', 'Contact').failed).toBe(1);
    const listed = (await failures()).filter((f) => f.operation === 'Pull Updates');
    expect(listed).toEqual([expect.objectContaining({ sfId: contactId, name: 'Gone Person' })]);
  });
});
