// Init Link to Program's Marketo half (initLink.ts): the program's members that are not members
// of the campaign join it (campaignWriter.ts), as the pair's direction allows — unless their
// Marketo person is linked to no Salesforce lead or contact (Skipped, saying so), or that person
// is excluded by the sync filter (Excluded, memberRows.ts).
import { statesByMarketoId } from '../../../db/syncState';
import type { PackedOutcome } from '../../../db/types';
import type { StepContext } from '../../context';
import { chunks } from '../common';
import { applyToCampaigns, type MemberChange } from './campaignWriter';
import { exclusionOf } from './memberRows';
import type { Pair } from './pairs';

/** Program members who are not campaign members: added to the campaign, 200 at a time. */
export async function loadMarketoOnly(
  ctx: StepContext,
  pair: Pair,
  inProgram: Map<number, string>,
  seen: Set<number>,
) {
  const only = [...inProgram.entries()].filter(([leadId]) => !seen.has(leadId));
  for (const batch of chunks(only, 200)) {
    const linked = await statesByMarketoId(
      ctx.db,
      batch.map(([leadId]) => leadId),
    );
    const outcomes: PackedOutcome[] = [];
    const changes: MemberChange[] = [];
    for (const [leadId, status] of batch) {
      const person = linked.get(leadId);
      const excluded =
        person && exclusionOf(ctx, undefined, { sobject: person.entry.sobject, state: person.entry });
      if (person && excluded) {
        outcomes.push({ sfId: person.sfId, mktoId: leadId, outcome: 'excluded', reason: excluded });
        continue;
      }
      if (!person) {
        outcomes.push({
          sfId: pair.campaignId,
          mktoId: leadId,
          outcome: 'skipped',
          reason: `Marketo person ${leadId} is not linked to a Salesforce lead or contact: no campaign member for it`,
        });
        continue;
      }
      changes.push({
        pair,
        leadId,
        person: { sfId: person.sfId, sobject: person.entry.sobject },
        marketoStatus: status,
        success: false,
      });
    }
    const written = changes.length
      ? await applyToCampaigns(ctx, changes, 'updated')
      : { outcomes: [], states: new Map() };
    await ctx.commit({ outcomes: [...outcomes, ...written.outcomes], states: written.states });
  }
}
