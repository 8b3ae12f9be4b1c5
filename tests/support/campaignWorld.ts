import { expect } from 'vitest';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import type { PackedOutcome } from '../../lib/db/types';
import type { SyncHarness } from '../integration/sync-harness';
import { webinarPair } from './programPairs';

// Reading and changing both sides of campaign ⇄ program pairs in the emulator, for the campaign
// integration tests (tests/integration/sync-campaigns-*.test.ts).

export function campaignWorld(h: SyncHarness) {
  const create = (object: string, fields: Record<string, unknown>) =>
    h.emu.control.sfCreate({ object, fields }).id;
  const world = {
    create,
    /** A new webinar campaign (Sent → Invited, Responded → Attended) paired with a new program. */
    newPair(name: string) {
      const campaign = create('Campaign', { Name: name });
      const { id: programId } = h.emu.control.mkCreateProgram({ name, type: 'Event', channel: 'Webinar' });
      return { campaign, programId, pair: webinarPair({ id: campaign, name }, { id: programId, name }) };
    },
    lead: (last: string, fields: Record<string, unknown> = {}) =>
      create('Lead', {
        Company: 'Acme',
        LastName: last,
        Email: `${last.toLowerCase()}@example.com`,
        ...fields,
      }),
    /** The Marketo person linked to a Salesforce lead or contact. */
    personOf: (sfId: string) =>
      (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find(
        (p) => p.sfdcLeadIdCustom === sfId || p.sfdcContactIdCustom === sfId,
      )?.id as number,
    /** A program's members: Marketo person id → status. */
    program: (programId: number) => h.emu.control.mkProgramMembers({ programId }),
    /** A campaign's live members: lead or contact id → status. */
    members: (campaignId: string) =>
      Object.fromEntries(
        (h.emu.control.snapshot().salesforce.CampaignMember ?? [])
          .filter((m) => m.CampaignId === campaignId && m.IsDeleted !== true)
          .map((m) => [String(m.ContactId ?? m.LeadId), String(m.Status)]),
      ),
    /** The live CampaignMember row of a person in a campaign. */
    memberRow: (campaignId: string, personId: string) =>
      (h.emu.control.snapshot().salesforce.CampaignMember ?? []).find(
        (m) =>
          m.CampaignId === campaignId && (m.LeadId === personId || m.ContactId === personId) && !m.IsDeleted,
      )!,
    async outcomesOf(stepId: number): Promise<PackedOutcome[]> {
      const rows = await h.db.recordEvents
        .where('[stepId+id]')
        .between([stepId, -Infinity], [stepId, Infinity])
        .toArray();
      return rows.flatMap((r) => rowOutcomes(r));
    },
    /** A cycle a few minutes after the last one, which must complete. */
    async next(request: Parameters<SyncHarness['cycle']>[0] = {}) {
      h.advance();
      const report = await h.cycle(request);
      expect(report.cycle?.status, `${report.cycle?.error} ${h.logs.join('\n')}`).toBe('Completed');
      return report;
    },
  };
  return world;
}
