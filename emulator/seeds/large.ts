// The `large` org: N leads (default 100,000) spread over the last 25 days, each linked to a
// Marketo person. Built straight into the store (no per-record API checks) so 100k leads take
// a second or two.
import { type SeedPerson, seedMarketo } from '../marketo';
import { pick } from '../rng';
import { LEAD_SOURCES, PRODUCT_INTERESTS } from '../salesforce/schema/leadContact';
import { countRecords, daysAgo, type SeedContext, type SeedSummary } from './context';
import { leadFields, linkedLeadPerson, person } from './people';

export function seedLarge(ctx: SeedContext, size: number): SeedSummary {
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
  return { seed: 'large', salesforce: countRecords(ctx), marketoPersons: size };
}
