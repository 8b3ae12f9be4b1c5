// The `demo` org: a few thousand linked records with the awkward cases the sync must handle —
// leads failing the state validation rule, leads excluded by Do_Not_Sync_to_Marketo__c,
// converted leads, deleted leads — and Marketo persons linked to most leads and contacts.
import { type SeedPerson, seedMarketo } from '../marketo';
import { pick } from '../rng';
import { convertLead } from '../salesforce/convert';
import { LEAD_SOURCES, LEAD_STATUSES, PRODUCT_INTERESTS } from '../salesforce/schema/leadContact';
import { ACCOUNT_TYPES } from '../salesforce/schema/sales';
import type { SfInput } from '../salesforce/store';
import { between, countRecords, daysAgo, type SeedContext, type SeedSummary } from './context';
import { seedDemoActivity } from './demoActivity';
import { seedDemoProgramMembers } from './demoCampaigns';
import { seedDemoEmails } from './demoEmails';
import { seedDemoSales } from './demoSales';
import { COMPANIES } from './names';
import { domainOf, leadFields, linkedLeadPerson, person, stateCode } from './people';

const SIZES = {
  accounts: 60,
  contacts: 900,
  leads: 2000,
  opportunities: 120,
  campaigns: 8,
  members: 400,
  tasks: 300,
  events: 80,
  templates: 12,
  subscriptions: 150,
};

export function seedDemo(ctx: SeedContext): SeedSummary {
  const { org, rng } = ctx;
  const { store } = org;
  const owners = [org.principals.adminUserId, org.principals.standardUserId];
  const owner = () => pick(rng, owners);
  const insert = (object: string, fields: SfInput, at: number) => {
    const row = store.insert(object, fields, owner(), at);
    // Half the rows were edited again later, so SystemModstamp spreads over the last weeks.
    if (rng() < 0.5) store.update(row.Id as string, {}, owner(), between(ctx, at, ctx.now));
    return row.Id as string;
  };

  const accounts: string[] = [];
  for (let i = 0; i < SIZES.accounts; i++) {
    const name = i < COMPANIES.length ? COMPANIES[i]! : `${pick(rng, COMPANIES)} ${i}`;
    const p = person(rng, i, name);
    accounts.push(
      insert(
        'Account',
        {
          Name: name,
          Type: pick(rng, ACCOUNT_TYPES),
          Industry: p.Industry,
          Website: `https://www.${domainOf(name)}`,
          Phone: p.Phone,
          BillingCity: p.City,
          BillingState: p.State,
          BillingCountry: p.Country,
          NumberOfEmployees: 10 + Math.floor(rng() * 5000),
          OwnerId: owner(),
        },
        daysAgo(ctx, 120, 30),
      ),
    );
  }

  const persons: SeedPerson[] = [];
  const contacts: string[] = [];
  for (let i = 0; i < SIZES.contacts; i++) {
    const accountId = pick(rng, accounts);
    const account = store.get(accountId)!;
    const p = person(rng, i, account.Name as string);
    const excluded = rng() < 0.05;
    const id = insert(
      'Contact',
      {
        AccountId: accountId,
        FirstName: p.FirstName,
        LastName: p.LastName,
        Email: p.Email,
        Title: p.Title,
        Phone: p.Phone,
        MailingCity: p.City,
        MailingState: p.State,
        MailingCountry: p.Country,
        LeadSource: pick(rng, LEAD_SOURCES),
        Do_Not_Sync_to_Marketo__c: excluded,
        Product_Interest__c: pick(rng, PRODUCT_INTERESTS),
        Internal_Notes__c: 'Met at the spring roadshow',
        Territory__c: 'EMEA',
        OwnerId: owner(),
      },
      daysAgo(ctx, 90),
    );
    contacts.push(id);
    if (!excluded && rng() < 0.85)
      persons.push({
        sfId: id,
        sfType: 'Contact',
        sfAccountId: accountId,
        email: p.Email,
        firstName: p.FirstName,
        lastName: p.LastName,
        company: p.Company,
        title: p.Title,
        phone: p.Phone,
        state: p.State,
        leadScore: p.mkto71_Lead_Score__c,
      });
  }

  const leads: string[] = [];
  for (let i = 0; i < SIZES.leads; i++) {
    const p = person(rng, 10_000 + i);
    const roll = rng();
    // ~5% carry a two-letter state: they were loaded before the validation rule existed, and
    // any update (from the sync too) fails with FIELD_CUSTOM_VALIDATION_EXCEPTION.
    const state = roll < 0.05 ? stateCode(p.State) : p.State;
    const excluded = roll >= 0.05 && roll < 0.11;
    const id = insert(
      'Lead',
      {
        ...leadFields(p, state),
        LeadSource: pick(rng, LEAD_SOURCES),
        Status: pick(rng, LEAD_STATUSES.slice(0, 2)),
        Rating: pick(rng, ['Hot', 'Warm', 'Cold']),
        mkto71_Lead_Score__c: p.mkto71_Lead_Score__c,
        Do_Not_Sync_to_Marketo__c: excluded,
        Product_Interest__c: pick(rng, PRODUCT_INTERESTS),
        Internal_Notes__c: 'Asked for a callback',
        Territory__c: pick(rng, ['EMEA', 'NA', 'APAC']),
        External_Id__c: `WEB-${100000 + i}`,
        OwnerId: owner(),
      },
      daysAgo(ctx, 60),
    );
    leads.push(id);
    if (!excluded && rng() < 0.85) persons.push(linkedLeadPerson(id, p, state));
  }
  for (const id of leads) {
    const roll = rng();
    const row = store.get(id)!;
    if (roll < 0.04)
      convertLead(
        org,
        { leadId: id, createOpportunity: rng() < 0.5 },
        owner(),
        between(ctx, row.CreatedDate as number, ctx.now),
      );
    else if (roll < 0.07) store.softDelete(id, owner(), daysAgo(ctx, 12));
  }

  const liveLeads = leads.filter((id) => !store.get(id)!.IsDeleted && !store.get(id)!.IsConverted);
  const campaigns = seedDemoActivity(ctx, { accounts, contacts, liveLeads, insert, owner });
  seedMarketo(ctx.marketoStore, persons, rng);
  seedDemoProgramMembers(ctx, campaigns);
  seedDemoSales(ctx, { contacts, liveLeads });
  seedDemoEmails(ctx);
  return { seed: 'demo', salesforce: countRecords(ctx), marketoPersons: persons.length };
}
