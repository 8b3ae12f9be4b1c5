// The `large` org's deals (issue 19 bench): N opportunities on N/10 accounts, each account with two
// contacts (linked to Marketo persons), each opportunity with both contacts as its roles — so N
// opportunities bring 2N roles. Built straight into the store like the leads; each thousand rows
// share one SystemModstamp second, as a data import stamps them.
import { type SeedPerson, seedMarketo } from '../marketo';
import { pick } from '../rng';
import { OPPORTUNITY_STAGES } from '../salesforce/schema/sales';
import { daysAgo, type SeedContext } from './context';
import { person } from './people';

export function seedLargeSales(ctx: SeedContext, opportunities: number): void {
  const { org, rng } = ctx;
  const { store, principals } = org;
  const owner = principals.adminUserId;
  const accountCount = Math.max(1, Math.ceil(opportunities / 10));
  let stamp = daysAgo(ctx, 20);
  let inSecond = 0;
  const at = () => {
    if (inSecond++ === 1000) {
      inSecond = 1;
      stamp += 1000;
    }
    return stamp;
  };
  const contacts: [string, string][] = [];
  const persons: SeedPerson[] = [];
  for (let a = 0; a < accountCount; a++) {
    const p = person(rng, 500_000 + a * 2);
    const account = store.insert('Account', { Name: `${p.Company} ${a + 1}`, OwnerId: owner }, owner, at());
    const pair: string[] = [];
    for (let c = 0; c < 2; c++) {
      const q = c === 0 ? p : person(rng, 500_001 + a * 2, p.Company);
      const contact = store.insert(
        'Contact',
        {
          AccountId: account.Id,
          FirstName: q.FirstName,
          LastName: q.LastName,
          Email: q.Email,
          OwnerId: owner,
        },
        owner,
        at(),
      );
      pair.push(contact.Id as string);
      persons.push({
        sfId: contact.Id as string,
        sfType: 'Contact',
        sfAccountId: account.Id as string,
        email: q.Email,
        firstName: q.FirstName,
        lastName: q.LastName,
      });
    }
    contacts.push([pair[0]!, pair[1]!]);
  }
  for (let i = 0; i < opportunities; i++) {
    const a = i % accountCount;
    const accountContacts = contacts[a]!;
    const accountId = store.get(accountContacts[0])!.AccountId;
    const time = at();
    const opp = store.insert(
      'Opportunity',
      {
        Name: `Deal ${i + 1}`,
        AccountId: accountId,
        StageName: pick(rng, OPPORTUNITY_STAGES),
        CloseDate: new Date(time + 30 * 86_400_000).toISOString().slice(0, 10),
        Amount: 1000 * (1 + Math.floor(rng() * 500)),
        OwnerId: owner,
      },
      owner,
      time,
    );
    for (const [n, contactId] of accountContacts.entries()) {
      const fields = { OpportunityId: opp.Id, ContactId: contactId, IsPrimary: n === 0 };
      store.insert(
        'OpportunityContactRole',
        { ...fields, Role: n === 0 ? 'Decision Maker' : 'Evaluator' },
        owner,
        at(),
      );
    }
  }
  seedMarketo(ctx.marketoStore, persons, rng);
}
