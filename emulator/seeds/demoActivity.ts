// The demo org's deals, campaigns, activities, templates and custom-object rows, linked to
// the accounts, contacts and leads seedDemo built.
import { pick } from '../rng';
import { TASK_STATUSES } from '../salesforce/schema/activities';
import { PRODUCT_INTERESTS } from '../salesforce/schema/leadContact';
import { OPPORTUNITY_STAGES } from '../salesforce/schema/sales';
import type { SfInput } from '../salesforce/store';
import { daysAgo, type SeedContext } from './context';
import { seedDemoCampaigns } from './demoCampaigns';

const SIZES = {
  opportunities: 120,
  campaigns: 8,
  members: 400,
  tasks: 300,
  events: 80,
  templates: 12,
  subscriptions: 150,
};

export interface DemoLinks {
  accounts: string[];
  contacts: string[];
  liveLeads: string[];
  insert: (object: string, fields: SfInput, at: number) => string;
  owner: () => string;
}

/** Returns the campaign ids (seedDemoProgramMembers links the first ones to programs). */
export function seedDemoActivity(ctx: SeedContext, links: DemoLinks): string[] {
  const { rng } = ctx;
  const { store } = ctx.org;
  const { accounts, contacts, liveLeads, insert, owner } = links;
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

  const campaigns = seedDemoCampaigns(ctx, { contacts, liveLeads, insert, owner }, SIZES);

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
    const subject = pick(rng, ['Discovery call', 'Demo', 'QBR']);
    insert(
      'Event',
      {
        Subject: subject,
        // From the subject, not the PRNG: the records seeded after these keep their values.
        Type: subject === 'Discovery call' ? 'Call' : 'Meeting',
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
  return campaigns;
}
