import type { ProgramPair } from '../../lib/settings/schema';

// Campaign ⇄ program pairs as the campaign tests and the campaigns bench set them up.

/** A Marketo Webinar channel's progression statuses, as the emulator seeds them. */
export const WEBINAR_STATUSES = [
  'Not in Program',
  'Invited',
  'Registered',
  'No Show',
  'Attended',
  'Attended On-demand',
];

/** The usual mapping of a new campaign's two statuses onto a webinar's. */
const SENT_RESPONDED = [
  { salesforceStatus: 'Sent', marketoStatus: 'Invited' },
  { salesforceStatus: 'Responded', marketoStatus: 'Attended' },
];

/**
 * A both-ways pair of a campaign with the default statuses (Sent, Responded) and a webinar program,
 * Sent → Invited and Responded → Attended; `overrides` changes any of it.
 */
export function webinarPair(
  campaign: { id: string; name: string },
  program: { id: number; name: string },
  overrides: Partial<ProgramPair> = {},
): ProgramPair {
  return {
    campaignId: campaign.id,
    campaignName: campaign.name,
    programId: program.id,
    programName: program.name,
    direction: 'both',
    campaignStatuses: ['Sent', 'Responded'],
    programStatuses: WEBINAR_STATUSES,
    statusMap: SENT_RESPONDED,
    ...overrides,
  };
}
