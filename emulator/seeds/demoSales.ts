// The demo org's sales side beyond what seedDemoActivity built (issue 19): two sales reps who own
// part of the deals, and event registrations of leads and contacts (a second custom object). Run
// last, so the records built before keep the values they had.
import { pick } from '../rng';
import { between, daysAgo, type SeedContext } from './context';

const EVENTS = ['Spring Webinar 2026', 'Analytics Summit', 'Customer Roadshow Berlin', 'Partner Day'];

export function seedDemoSales(ctx: SeedContext, links: { contacts: string[]; liveLeads: string[] }) {
  const { org, rng } = ctx;
  const { store, principals } = org;
  const profileId = store.get(principals.standardUserId)!.ProfileId as string;
  const reps = [
    ['Riley', 'Rep', 'Account Executive', '+1 415 555 0101'],
    ['Morgan', 'Closer', 'Sales Director', '+1 415 555 0102'],
  ].map(([first, last, title, phone]) => {
    const login = `${first!.toLowerCase()}.${last!.toLowerCase()}@emulator.example`;
    return store.insert(
      'User',
      {
        Username: login,
        FirstName: first,
        LastName: last,
        Alias: `${first!.slice(0, 4)}${last!.slice(0, 1)}`.toLowerCase(),
        Email: login,
        IsActive: true,
        TimeZoneSidKey: 'America/Los_Angeles',
        LocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        ProfileId: profileId,
        UserType: 'Standard',
        Title: title,
        Phone: phone,
      },
      principals.adminUserId,
      daysAgo(ctx, 200, 150),
    ).Id as string;
  });
  // A third of the deals move to the reps, as a sales manager reassigns them.
  for (const row of store.table('Opportunity').records.values()) {
    if (row.IsDeleted || rng() >= 0.33) continue;
    store.update(row.Id as string, { OwnerId: pick(rng, reps) }, principals.adminUserId, daysAgo(ctx, 10));
  }
  for (let i = 0; i < 60; i++) {
    const onLead = rng() < 0.5;
    const at = daysAgo(ctx, 45);
    store.insert(
      'Event_Registration__c',
      {
        Name: `REG-${String(i + 1).padStart(4, '0')}`,
        ...(onLead ? { Lead__c: pick(rng, links.liveLeads) } : { Contact__c: pick(rng, links.contacts) }),
        Event_Name__c: pick(rng, EVENTS),
        Event_Date__c: new Date(between(ctx, at, ctx.now)).toISOString().slice(0, 10),
        Attended__c: rng() < 0.6,
        OwnerId: principals.adminUserId,
      },
      principals.adminUserId,
      at,
    );
  }
}
