// The `large` org: N leads (default 100,000) spread over the last 25 days, each linked to a
// Marketo person. Built straight into the store (no per-record API checks) so 100k leads take
// a second or two. With `members` N, the first N leads are members of one campaign, "Large
// Campaign" (statuses Sent and Responded, all at Sent), for the campaign ⇄ program benches. With
// `opportunities` N, largeSales.ts adds N opportunities with two contact roles each.
import { type SeedPerson, seedMarketo } from '../marketo';
import { pick } from '../rng';
import { LEAD_SOURCES, PRODUCT_INTERESTS } from '../salesforce/schema/leadContact';
import { countRecords, daysAgo, type SeedContext, type SeedSummary } from './context';
import { seedLargeSales } from './largeSales';
import { leadFields, linkedLeadPerson, person } from './people';

export function seedLarge(ctx: SeedContext, size: number, members = 0, opportunities = 0): SeedSummary {
  const { org, rng } = ctx;
  const owners = [org.principals.adminUserId, org.principals.standardUserId];
  const stamps = Array.from({ length: size }, () => daysAgo(ctx, 25)).sort((a, b) => a - b);
  const persons: SeedPerson[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const p = person(rng, i);
    const row = org.store.insert(
      'Lead',
      {
        ...leadFields(p),
        LeadSource: pick(rng, LEAD_SOURCES),
        Status: 'Open - Not Contacted',
        Product_Interest__c: pick(rng, PRODUCT_INTERESTS),
        External_Id__c: `BULK-${i + 1}`,
        OwnerId: pick(rng, owners),
      },
      pick(rng, owners),
      stamps[i],
    );
    persons[i] = linkedLeadPerson(row.Id as string, p);
  }
  seedMarketo(ctx.marketoStore, persons, rng);
  if (members > 0) seedLargeCampaign(ctx, persons.slice(0, members));
  if (opportunities > 0) seedLargeSales(ctx, opportunities);
  return { seed: 'large', salesforce: countRecords(ctx), marketoPersons: size };
}

function seedLargeCampaign(ctx: SeedContext, leads: SeedPerson[]) {
  const { store, principals } = ctx.org;
  const owner = principals.adminUserId;
  const at = daysAgo(ctx, 25);
  const campaign = store.insert(
    'Campaign',
    { Name: 'Large Campaign', Type: 'Webinar', OwnerId: owner },
    owner,
    at,
  );
  store.insert(
    'CampaignMemberStatus',
    { CampaignId: campaign.Id, Label: 'Sent', SortOrder: 1, IsDefault: true, HasResponded: false },
    owner,
    at,
  );
  store.insert(
    'CampaignMemberStatus',
    { CampaignId: campaign.Id, Label: 'Responded', SortOrder: 2, IsDefault: false, HasResponded: true },
    owner,
    at,
  );
  for (const lead of leads)
    store.insert(
      'CampaignMember',
      { CampaignId: campaign.Id, LeadId: lead.sfId, Status: 'Sent', HasResponded: false },
      owner,
      at,
    );
}
