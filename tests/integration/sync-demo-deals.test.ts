// The demo between cycles (issue 19): the user edits the demo makes before its later cycles
// (emulator/userEditsDeals.ts) give each opportunity, role, user, account type and custom object
// step work, so the demo's summary.json — its last cycle — shows them with counts, not zeros.
import { describe, expect, it } from 'vitest';
import { demoSyncSettings } from '../../emulator/seeds/demoSettings';
import { simulateUserEdits } from '../../emulator/userEdits';
import { startSyncHarness, stepOf } from './sync-harness';

describe('the demo between cycles', () => {
  it('has deal work in later cycles: each object of issue 19 written, deleted or relinked', async () => {
    const h = await startSyncHarness({ seed: 'demo' });
    try {
      Object.assign(h.settings, demoSyncSettings(h.emu.salesforce, h.emu.marketo.store));
      await h.cycle();
      h.advance();
      await simulateUserEdits(h.emu, 2);
      const second = await h.cycle();
      expect(second.cycle?.status, second.cycle?.error).toBe('Completed');
      const custom = (operation: string, sobject: string) =>
        second.steps.find((s) => s.operation === operation && s.sobject === sobject)!;
      expect(stepOf(second, 'Pull Updates', 'User')).toMatchObject({ updated: 1, failed: 0 });
      expect(stepOf(second, 'Pull Updates', 'Account Type')).toMatchObject({ updated: 1, failed: 0 });
      // The deal moved on and the new one (the lost deal's deletion is Pull Deletes').
      expect(stepOf(second, 'Pull Updates', 'Opportunity')).toMatchObject({ new: 1, updated: 1, failed: 0 });
      // The new deal's primary contact, and the role handed to a colleague.
      expect(stepOf(second, 'Pull Updates', 'Opportunity Contact Role')).toMatchObject({
        new: 1,
        updated: 1,
        failed: 0,
      });
      expect(custom('Pull Updates', 'Subscription__c')).toMatchObject({ new: 1, updated: 1, failed: 0 });
      expect(custom('Pull Updates', 'Event_Registration__c')).toMatchObject({ updated: 1, failed: 0 });
      // The registered lead converted into a contact Marketo has: its registration moved to that person.
      expect(stepOf(second, 'Pull Conversions', 'Person').updated).toBe(1);
      expect(custom('Update FKs', 'Event_Registration__c').updated).toBe(1);
      // Deletions come from the deleted/ feeds, which answer to the minute: those of the last two
      // minutes are read by the next cycle (docs/objects.md "Idle cost").
      const gone = (h.emu.control.snapshot().salesforce.Opportunity ?? []).filter((o) => o.IsDeleted);
      expect(gone).toHaveLength(1);
      const [lost] = gone;
      const lostRoles = h.emu.control
        .mkCrmRecords({ kind: 'opportunityRole' })
        .filter((r) => r.externalOpportunityId === lost?.Id).length;
      h.advance();
      const third = await h.cycle();
      const deleted = (operation: string, objectType: string, sobject?: string) =>
        third.steps.find(
          (s) =>
            s.operation === operation && s.objectType === objectType && (!sobject || s.sobject === sobject),
        )!.deleted;
      expect(deleted('Pull Deletes', 'Opportunity')).toBe(1);
      // The role removed, and the lost deal's own roles with it.
      expect(deleted('Pull Deletes', 'Opportunity Contact Role')).toBe(1 + lostRoles);
      expect(deleted('Pull Deletes', 'Custom Objects', 'Subscription__c')).toBe(1);
    } finally {
      await h.stop();
    }
  }, 120_000);
});
