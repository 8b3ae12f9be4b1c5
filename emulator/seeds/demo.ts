// The `demo` org: a few thousand linked records with the awkward cases the sync must handle —
// leads failing the state validation rule, leads excluded by Do_Not_Sync_to_Marketo__c,
// converted leads, deleted leads — and Marketo persons linked to most leads and contacts.
import { type SeedPerson, seedMarketo } from '../marketo';
import { pick } from '../rng';
import { convertLead } from '../salesforce/convert';
import { TASK_STATUSES } from '../salesforce/schema/activities';
import { LEAD_SOURCES, LEAD_STATUSES, PRODUCT_INTERESTS } from '../salesforce/schema/leadContact';
import { ACCOUNT_TYPES, OPPORTUNITY_STAGES } from '../salesforce/schema/sales';
import { between, countRecords, daysAgo, type SeedContext, type SeedSummary } from './context';
import { COMPANIES } from './names';
import { domainOf, person, stateCode } from './people';

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
  const insert = (object: string, fields: Record<string, string | number | boolean | null>, at: number) => {
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
        Lead_Score__c: p.Lead_Score__c,
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
        leadScore: p.Lead_Score__c,
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
        FirstName: p.FirstName,
        LastName: p.LastName,
        Email: p.Email,
        Title: p.Title,
        Phone: p.Phone,
        Company: p.Company,
        City: p.City,
        State: state,
        Country: p.Country,
        Industry: p.Industry,
        LeadSource: pick(rng, LEAD_SOURCES),
        Status: pick(rng, LEAD_STATUSES.slice(0, 2)),
        Rating: pick(rng, ['Hot', 'Warm', 'Cold']),
        Lead_Score__c: p.Lead_Score__c,
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
    if (!excluded && rng() < 0.85)
      persons.push({
        sfId: id,
        sfType: 'Lead',
        email: p.Email,
        firstName: p.FirstName,
        lastName: p.LastName,
        company: p.Company,
        title: p.Title,
        phone: p.Phone,
        state,
        leadScore: p.Lead_Score__c,
      });
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

  const opportunities: string[] = [];
  for (let i = 0; i < SIZES.opportunities; i++) {
    const accountId = pick(rng, accounts);
    const at = daysAgo(ctx, 60);
    opportunities.push(
      insert(
        'Opportunity',
        {
          Name: `${store.get(accountId)!.Name} - ${pick(rng, ['Expansion', 'New Logo', 'Renewal'])}`,
          AccountId: accountId,
          StageName: pick(rng, OPPORTUNITY_STAGES),
          CloseDate: new Date(at + 45 * 86_400_000).toISOString().slice(0, 10),
          Amount: 1000 * (5 + Math.floor(rng() * 200)),
          OwnerId: owner(),
        },
        at,
      ),
    );
  }
  for (const oppId of opportunities) {
    const accountId = store.get(oppId)!.AccountId;
    const candidates = contacts.filter((c) => store.get(c)!.AccountId === accountId).slice(0, 2);
    for (const [n, contactId] of candidates.entries()) {
      insert(
        'OpportunityContactRole',
        {
          OpportunityId: oppId,
          ContactId: contactId,
          Role: n === 0 ? 'Decision Maker' : 'Influencer',
          IsPrimary: n === 0,
        },
        daysAgo(ctx, 30),
      );
    }
  }

  const campaigns: string[] = [];
  for (let i = 0; i < SIZES.campaigns; i++) {
    const at = daysAgo(ctx, 90, 10);
    const id = insert(
      'Campaign',
      {
        Name: `${pick(rng, ['Q3', 'Q4', 'Spring', 'Autumn'])} ${pick(rng, ['Webinar', 'Roadshow', 'Newsletter', 'Trade Show'])} ${i + 1}`,
        Type: pick(rng, ['Webinar', 'Email', 'Conference']),
        Status: pick(rng, ['Planned', 'In Progress', 'Completed']),
        IsActive: rng() < 0.7,
        StartDate: new Date(at).toISOString().slice(0, 10),
        OwnerId: owner(),
      },
      at,
    );
    campaigns.push(id);
    insert(
      'CampaignMemberStatus',
      { CampaignId: id, Label: 'Sent', SortOrder: 1, IsDefault: true, HasResponded: false },
      at,
    );
    insert(
      'CampaignMemberStatus',
      { CampaignId: id, Label: 'Responded', SortOrder: 2, IsDefault: false, HasResponded: true },
      at,
    );
  }
  const liveLeads = leads.filter((id) => !store.get(id)!.IsDeleted && !store.get(id)!.IsConverted);
  for (let i = 0; i < SIZES.members; i++) {
    const useLead = rng() < 0.5;
    insert(
      'CampaignMember',
      {
        CampaignId: pick(rng, campaigns),
        LeadId: useLead ? pick(rng, liveLeads) : null,
        ContactId: useLead ? null : pick(rng, contacts),
        Status: rng() < 0.3 ? 'Responded' : 'Sent',
      },
      daysAgo(ctx, 30),
    );
  }

  for (let i = 0; i < SIZES.tasks; i++) {
    const who = rng() < 0.5 ? pick(rng, liveLeads) : pick(rng, contacts);
    insert(
      'Task',
      {
        Subject: pick(rng, [
          'Call back',
          'Send pricing',
          'Follow up on demo',
          'Email: Webinar invite',
          'Clicked link in email',
        ]),
        Status: pick(rng, TASK_STATUSES),
        Priority: pick(rng, ['High', 'Normal', 'Low']),
        WhoId: who,
        ActivityDate: new Date(daysAgo(ctx, 20)).toISOString().slice(0, 10),
        Type: pick(rng, ['Call', 'Email', 'Other']),
        TaskSubtype: 'Task',
        OwnerId: owner(),
      },
      daysAgo(ctx, 40),
    );
  }
  for (let i = 0; i < SIZES.events; i++) {
    const start = daysAgo(ctx, 20);
    insert(
      'Event',
      {
        Subject: pick(rng, ['Discovery call', 'Demo', 'QBR']),
        StartDateTime: start,
        EndDateTime: start + 3_600_000,
        ActivityDateTime: start,
        ActivityDate: new Date(start).toISOString().slice(0, 10),
        DurationInMinutes: 60,
        WhoId: pick(rng, contacts),
        OwnerId: owner(),
      },
      daysAgo(ctx, 40),
    );
  }
  for (let i = 0; i < SIZES.templates; i++) {
    insert(
      'EmailTemplate',
      {
        Name: `Nurture step ${i + 1}`,
        DeveloperName: `Nurture_Step_${i + 1}`,
        Subject: `Step ${i + 1}: getting more from your data`,
        Body: 'Hi {!Contact.FirstName}, …',
        TemplateType: 'text',
        IsActive: true,
        OwnerId: owner(),
      },
      daysAgo(ctx, 90),
    );
  }
  for (let i = 0; i < SIZES.subscriptions; i++) {
    insert(
      'Subscription__c',
      {
        Name: `SUB-${String(i + 1).padStart(5, '0')}`,
        Contact__c: pick(rng, contacts),
        Product__c: pick(rng, PRODUCT_INTERESTS),
        Status__c: pick(rng, ['Trial', 'Active', 'Cancelled']),
        Start_Date__c: new Date(daysAgo(ctx, 200)).toISOString().slice(0, 10),
        Seats__c: 1 + Math.floor(rng() * 50),
        OwnerId: owner(),
      },
      daysAgo(ctx, 60),
    );
  }

  seedMarketo(ctx.marketoStore, persons, rng);
  return { seed: 'demo', salesforce: countRecords(ctx), marketoPersons: persons.length };
}
