// A lead converted into a new contact that is deleted before the next cycle (found by the long
// property run, seed 20261206): Pull Deletes has no person to delete for a contact it never synced,
// so Pull Conversions must not relink the lead's person to the deleted contact; it deletes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' });
});
afterAll(async () => h.stop());

const persons = () => h.emu.marketo.snapshot().leads as Record<string, unknown>[];

describe('a converted lead whose new contact is deleted before the next cycle', () => {
  it('leaves no person linked to the deleted contact', async () => {
    const lead = h.emu.control.sfCreate({
      object: 'Lead',
      fields: { Company: 'Gone Inc', LastName: 'Converted', Email: 'gone@example.com' },
    }).id;
    await h.cycle();
    const person = persons().find((p) => p.sfdcLeadIdCustom === lead)!;
    expect(person).toBeDefined();
    h.advance(60_000);
    const { contactId } = h.emu.control.convertLead({ leadId: lead }) as { contactId: string };
    h.emu.control.sfDelete({ id: contactId });
    h.advance(5 * 60_000);
    const report = await h.cycle();
    expect(report.cycle?.status).toBe('Completed');
    expect(stepOf(report, 'Pull Conversions', 'Person').deleted).toBe(1);
    expect(persons().filter((p) => p.sfdcContactIdCustom === contactId)).toEqual([]);
    expect(persons().some((p) => p.id === person.id)).toBe(false);
    h.advance(5 * 60_000);
    const again = await h.cycle();
    expect(again.cycle?.status).toBe('Completed');
    expect(persons().filter((p) => p.sfdcContactIdCustom === contactId)).toEqual([]);
  });
});
