// Sync Schema + Pull Updates against the emulator's demo org: the first full sync, skipped
// unchanged records, exclusions, incremental edits, the idle cycle's API calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ seed: 'demo' });
});
afterAll(async () => h.stop());

const sfRows = (object: string) => h.emu.control.snapshot().salesforce[object] ?? [];
const mkLeads = () => h.emu.marketo.snapshot().leads as Record<string, unknown>[];

describe('first full sync', () => {
  it('pulls every lead, contact and account; excludes the filtered ones', async () => {
    // A formula field in the mapping: Sync Schema must flag it (and leave it out of the sync).
    h.settings.objects.Lead!.fields.push({
      salesforceField: 'Email_Domain__c',
      marketoField: 'website',
      direction: 'pull',
    });
    const report = await h.cycle();
    expect(report.cycle?.status, h.logs.join('\n')).toBe('Completed');
    const lead = stepOf(report, 'Pull Updates', 'Person');
    const liveLeads = sfRows('Lead').filter((r) => !r.IsDeleted && !r.IsConverted);
    const excluded = liveLeads.filter((r) => r.Do_Not_Sync_to_Marketo__c === true).length;
    expect(lead.excluded).toBe(excluded);
    expect(lead.new + lead.updated + lead.failed + lead.excluded).toBe(liveLeads.length);
    expect(lead.failed).toBe(0);
    const contact = stepOf(report, 'Pull Updates', 'Contact');
    expect(contact.new + contact.updated).toBeGreaterThan(0);
    expect(stepOf(report, 'Pull Updates', 'Account').new).toBe(
      sfRows('Account').filter((r) => !r.IsDeleted).length,
    );
    expect(h.logs.some((l) => l.includes('Sync Schema Lead.Email_Domain__c'))).toBe(true);
  });

  it('gives every synced lead a Marketo person with the lead’s values', async () => {
    const persons = new Map(mkLeads().map((p) => [p.sfdcLeadIdCustom, p]));
    const live = sfRows('Lead').filter(
      (r) => !r.IsDeleted && !r.IsConverted && r.Do_Not_Sync_to_Marketo__c !== true,
    );
    for (const lead of live.slice(0, 200)) {
      const person = persons.get(lead.Id);
      expect(person, String(lead.Id)).toBeDefined();
      expect(person!.lastName).toBe(lead.LastName);
      expect(person!.email ?? null).toBe(lead.Email ?? null);
    }
  });

  it('skips every record when nothing changed (lookback re-reads are skipped by the hash)', async () => {
    h.emu.control.sfUpdate({ id: String(sfRows('Lead')[0]!.Id), fields: {} });
    h.advance();
    const report = await h.cycle();
    const lead = stepOf(report, 'Pull Updates', 'Person');
    expect(lead.new + lead.updated + lead.failed).toBe(0);
  });

  it('logs the fields a first sync wrote without the empty ones, and a later clearing with its empty value', async () => {
    const lead = sfRows('Lead').find(
      (r) =>
        !r.IsDeleted &&
        !r.IsConverted &&
        r.Do_Not_Sync_to_Marketo__c !== true &&
        r.Title &&
        r.MobilePhone == null,
    )!;
    const id = String(lead.Id);
    const first = (await getRecordStatus(h.db, id)).events.find((e) => e.operation === 'Pull Updates')!;
    const written = new Map(first.changes!.map((c) => [c.field, c.new]));
    expect(written.get('LastName')).toBe(lead.LastName);
    expect(written.get('Title')).toBe(lead.Title);
    expect(written.has('MobilePhone')).toBe(false);
    expect([...written.values()]).not.toContain(null);

    h.emu.control.sfUpdate({ id, fields: { Title: null } });
    h.advance();
    await h.cycle();
    const [latest] = (await getRecordStatus(h.db, id)).events;
    expect(latest).toMatchObject({ operation: 'Pull Updates', outcome: 'updated' });
    expect(latest!.changes).toEqual([{ field: 'Title', old: null, new: null }]);
  });
});
