// Suggested campaign ⇄ program pairs for the options page (issue 17: "suggestions by name and
// channel"), and a new pair built from a chosen campaign and program. Pure: the choices come from
// the background (lib/connections/programPairChoices.ts).
import type { CampaignChoice, ProgramChoice } from '../messaging/programPairViews';
import { NOT_IN_PROGRAM, type ProgramPair } from './schema';

/** Names compared without case, punctuation or spacing: "Spring Webinar – 2026" = "spring webinar 2026". */
const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Campaign types Salesforce offers, and the Marketo channels that mean the same. */
const TYPE_CHANNELS: Record<string, RegExp> = {
  Webinar: /webinar/i,
  Conference: /trade ?show|event|conference/i,
  'Trade Show': /trade ?show|event/i,
  Email: /email|newsletter|blast/i,
  Advertisement: /ad|paid/i,
};

/**
 * Pairs to propose for campaigns and programs not yet paired: a program Marketo already links to
 * the campaign (sfdcId), else the same name, else — only when it is the one candidate — a program
 * whose channel fits the campaign's type and whose name contains the campaign's.
 */
export function suggestPairs(
  campaigns: readonly CampaignChoice[],
  programs: readonly ProgramChoice[],
  existing: readonly Pick<ProgramPair, 'campaignId' | 'programId'>[],
): { campaign: CampaignChoice; program: ProgramChoice; why: string }[] {
  const takenCampaigns = new Set(existing.map((p) => p.campaignId.slice(0, 15)));
  const takenPrograms = new Set(existing.map((p) => p.programId));
  const out: { campaign: CampaignChoice; program: ProgramChoice; why: string }[] = [];
  for (const campaign of campaigns) {
    if (takenCampaigns.has(campaign.id.slice(0, 15))) continue;
    const free = programs.filter((p) => !takenPrograms.has(p.id));
    const linked = free.find((p) => p.sfdcId?.slice(0, 15) === campaign.id.slice(0, 15));
    const named = free.find((p) => key(p.name) === key(campaign.name));
    const fits = TYPE_CHANNELS[campaign.type ?? ''];
    const byChannel = fits
      ? free.filter((p) => fits.test(p.channel) && key(p.name).includes(key(campaign.name)))
      : [];
    const [program, why] = linked
      ? [linked, 'Marketo links this program to the campaign']
      : named
        ? [named, 'same name']
        : byChannel.length === 1
          ? [byChannel[0]!, `channel ${byChannel[0]!.channel} fits type ${campaign.type}`]
          : [undefined, ''];
    if (!program) continue;
    takenPrograms.add(program.id);
    out.push({ campaign, program, why });
  }
  return out;
}

/** A new pair with both sides' statuses; each status maps to the same label where the other side has it. */
export function newPair(campaign: CampaignChoice, program: ProgramChoice): ProgramPair {
  return {
    campaignId: campaign.id,
    campaignName: campaign.name.slice(0, 80),
    programId: program.id,
    programName: program.name.slice(0, 255),
    direction: 'both',
    campaignStatuses: campaign.statuses,
    programStatuses: program.statuses,
    statusMap: [],
  };
}

/** Campaign statuses that map to no program status (neither mapped nor the same label). */
export function unmappedStatuses(pair: ProgramPair): string[] {
  return pair.campaignStatuses.filter(
    (label) =>
      !pair.statusMap.some((m) => m.salesforceStatus === label) &&
      (!pair.programStatuses.includes(label) || label === NOT_IN_PROGRAM),
  );
}
