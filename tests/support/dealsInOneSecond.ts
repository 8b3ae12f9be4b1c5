// Accounts, their contacts, opportunities and contact roles created as an import would: the clock
// does not move, so every row shares one SystemModstamp second (the scale and resume tests of
// issue 19). Opportunity i belongs to account i mod accounts and has a role for each of that
// account's contacts.
import type { Emulator } from '../../emulator/index';
import type { SyncSettings } from '../../lib/settings/schema';

export interface DealsOptions {
  accounts: number;
  contactsPerAccount: number;
  opportunities: number;
  closeDate: string;
  /** The Role of the n-th contact's role on an opportunity. */
  roleOf: (n: number) => string;
}

export interface Deals {
  accounts: string[];
  /** Account by account, contactsPerAccount each. */
  contacts: string[];
  opportunities: string[];
  /** In creation order. */
  roles: string[];
  /** Each contact's roles. */
  rolesOf: Map<string, string[]>;
}

export function createDealsInOneSecond(control: Emulator['control'], options: DealsOptions): Deals {
  const create = (object: string, fields: Record<string, unknown>) => control.sfCreate({ object, fields }).id;
  const per = Array.from({ length: options.contactsPerAccount }, (_, n) => n);
  const accounts = Array.from({ length: options.accounts }, (_, i) =>
    create('Account', { Name: `Account ${i}` }),
  );
  const contacts = accounts.flatMap((account, i) =>
    per.map((n) =>
      create('Contact', { LastName: `C${i}-${n}`, Email: `c${i}-${n}@x.example`, AccountId: account }),
    ),
  );
  const deals: Deals = { accounts, contacts, opportunities: [], roles: [], rolesOf: new Map() };
  for (const c of contacts) deals.rolesOf.set(c, []);
  for (let i = 0; i < options.opportunities; i++) {
    const a = i % accounts.length;
    const opportunity = create('Opportunity', {
      Name: `Deal ${i}`,
      AccountId: accounts[a],
      StageName: 'Prospecting',
      CloseDate: options.closeDate,
    });
    deals.opportunities.push(opportunity);
    for (const n of per) {
      const contact = contacts[a * per.length + n]!;
      const role = create('OpportunityContactRole', {
        OpportunityId: opportunity,
        ContactId: contact,
        Role: options.roleOf(n),
      });
      deals.roles.push(role);
      deals.rolesOf.get(contact)!.push(role);
    }
  }
  return deals;
}

/** The settings these tests sync with: opportunities and their contact roles on. */
export function withDeals(settings: SyncSettings): void {
  for (const o of ['Opportunity', 'OpportunityContactRole'] as const) settings.objects[o]!.enabled = true;
}
