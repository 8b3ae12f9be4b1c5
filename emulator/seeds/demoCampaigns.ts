// The demo org's campaigns, their member statuses and members, and the Marketo programs that
// match the first two of them (same names, statuses named as the program channel's progression
// statuses), so that a campaign ⇄ program pair has members on both sides and one status that
// exists only in Marketo ("Attended On-demand"). The random draws are the ones the demo seed has
// always made (other seeds' figures stay the same); the extra statuses take no draw.

import type { MarketoStore } from '../marketo';
import { pick } from '../rng';
import type { SfInput } from '../salesforce/store';
import { between, daysAgo, type SeedContext } from './context';

interface StatusPlan {
  label: string;
  responded: boolean;
}

/** Campaigns 0 and 1 match Marketo's default programs 1000 and 1001 (emulator/marketo/programStore.ts). */
export const DEMO_PAIRS = [
  {
    name: 'Spring Webinar 2026',
    type: 'Webinar',
    programId: 1000,
    statuses: [
      { label: 'Invited', responded: false },
      { label: 'Attended', responded: true },
      { label: 'Registered', responded: false },
      { label: 'No Show', responded: false },
    ],
  },
  {
    name: 'Monthly Newsletter',
    type: 'Email',
    programId: 1001,
    statuses: [
      { label: 'Member', responded: false },
      { label: 'Engaged', responded: true },
      { label: 'Influenced', responded: false },
    ],
  },
] as const;

const STANDARD: readonly StatusPlan[] = [
  { label: 'Sent', responded: false },
  { label: 'Responded', responded: true },
];

export interface CampaignLinks {
  contacts: string[];
  liveLeads: string[];
  insert: (object: string, fields: SfInput, at: number) => string;
  owner: () => string;
}

export function seedDemoCampaigns(
  ctx: SeedContext,
  links: CampaignLinks,
  sizes: { campaigns: number; members: number },
) {
  const { rng } = ctx;
  const { store } = ctx.org;
  const { contacts, liveLeads, insert, owner } = links;
  const campaigns: { id: string; statuses: readonly StatusPlan[] }[] = [];
  for (let i = 0; i < sizes.campaigns; i++) {
    const at = daysAgo(ctx, 90, 10);
    const pair = DEMO_PAIRS[i];
    const name = `${pick(rng, ['Q3', 'Q4', 'Spring', 'Autumn'])} ${pick(rng, ['Webinar', 'Roadshow', 'Newsletter', 'Trade Show'])} ${i + 1}`;
    const type = pick(rng, ['Webinar', 'Email', 'Conference']);
    const id = insert(
      'Campaign',
      {
        Name: pair?.name ?? name,
        Type: pair?.type ?? type,
        Status: pick(rng, ['Planned', 'In Progress', 'Completed']),
        IsActive: rng() < 0.7,
        StartDate: new Date(at).toISOString().slice(0, 10),
        OwnerId: owner(),
      },
      at,
    );
    const statuses: readonly StatusPlan[] = pair?.statuses ?? STANDARD;
    campaigns.push({ id, statuses });
    statuses.forEach((status, n) => {
      const fields = {
        CampaignId: id,
        Label: status.label,
        SortOrder: n + 1,
        IsDefault: n === 0,
        HasResponded: status.responded,
      };
      if (n < 2) insert('CampaignMemberStatus', fields, at);
      else store.insert('CampaignMemberStatus', fields, owner(), at);
    });
  }
  const taken = new Set<string>();
  for (let i = 0; i < sizes.members; i++) {
    const useLead = rng() < 0.5;
    const campaign = pick(rng, campaigns);
    const person = useLead ? pick(rng, liveLeads) : pick(rng, contacts);
    const status = rng() < 0.3 ? campaign.statuses[1]! : campaign.statuses[0]!;
    const at = daysAgo(ctx, 30);
    // One member per campaign and person (Salesforce refuses a second one). A duplicate draw still
    // takes the draws an insert would, so later records stay as they were.
    if (taken.has(`${campaign.id}|${person}`)) {
      if (rng() < 0.5) between(ctx, at, ctx.now);
      continue;
    }
    taken.add(`${campaign.id}|${person}`);
    insert(
      'CampaignMember',
      {
        CampaignId: campaign.id,
        LeadId: useLead ? person : null,
        ContactId: useLead ? null : person,
        Status: status.label,
        HasResponded: status.responded,
        FirstRespondedDate: status.responded ? new Date(at).toISOString().slice(0, 10) : null,
      },
      at,
    );
  }
  return campaigns.map((c) => c.id);
}

/**
 * Marketo's side of the demo pairs: program members for some persons of each campaign's members
 * (at the same status), and a few persons who are members only in Marketo (one of them at a status
 * Salesforce lacks). Runs after the persons exist in Marketo.
 */
export function seedDemoProgramMembers(ctx: SeedContext, campaignIds: readonly string[]) {
  const { store } = ctx.org;
  const marketo: MarketoStore = ctx.marketoStore;
  const leadIdOf = (sfId: string) => {
    for (const field of ['sfdcLeadId', 'sfdcContactId'])
      for (const id of marketo.leads.find(field, sfId)) return id;
    return undefined;
  };
  DEMO_PAIRS.forEach((pair, i) => {
    const campaignId = campaignIds[i];
    const program = marketo.programs.programs.get(pair.programId);
    if (!campaignId || !program) return;
    const members = marketo.programs.membersOf(program.id);
    const inCampaign = new Set<number>();
    const rows = [...store.table('CampaignMember').records.values()].filter(
      (m) => m.CampaignId === campaignId && !m.IsDeleted,
    );
    rows.forEach((row, n) => {
      const leadId = leadIdOf(String(row.ContactId ?? row.LeadId));
      if (leadId === undefined) return;
      inCampaign.add(leadId);
      // Every other member is already a program member too (the rest arrive with the first sync).
      if (n % 2 === 0) setMember(marketo, program.id, leadId, String(row.Status), ctx.now);
    });
    let extra = 0;
    for (const lead of marketo.leads.byId.values()) {
      if (extra >= 5) break;
      if (inCampaign.has(lead.id) || members.has(lead.id)) continue;
      const status = i === 0 && extra === 0 ? 'Attended On-demand' : pair.statuses[0].label;
      setMember(marketo, program.id, lead.id, status, ctx.now);
      extra++;
    }
  });
}

function setMember(marketo: MarketoStore, programId: number, leadId: number, statusName: string, at: number) {
  const program = marketo.programs.programs.get(programId)!;
  const status = marketo.programs.statusesOf(program).find((s) => s.name === statusName);
  marketo.programs.membersOf(programId).set(leadId, {
    leadId,
    programId,
    statusName,
    reachedSuccess: status?.success ?? false,
    acquiredBy: false,
    membershipDate: at - 86_400_000,
    createdAt: at - 86_400_000,
    updatedAt: at - 86_400_000,
    data: {},
  });
}
