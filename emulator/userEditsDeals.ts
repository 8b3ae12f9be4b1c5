// Deal work between the demo's cycles (issue 19; userEdits.ts calls it): what sales and marketing
// users change in an org whose opportunities, contact roles, users, account types and custom
// objects sync — a deal moves on, a new deal with its primary contact, a role handed to a
// colleague at the same account, a role removed, a lost deal deleted, an account becoming a
// customer, a rep's new title, subscriptions renewed, added and deleted, an attended event, and a
// lead registered for an event converted into an existing contact (its registration follows the
// person: Update FKs). So a later cycle — the demo's summary.json — has work on each of them.
// Deterministic for a given round.
import type { Emulator } from './index';
import { mulberry32 } from './rng';

type Row = Record<string, unknown>;
const EXCLUDED = 'Do_Not_Sync_to_Marketo__c';

export function dealEdits(emulator: Emulator, round: number): number {
  const rng = mulberry32(2000 + round);
  const { store } = emulator.salesforce;
  const c = emulator.control;
  const live = (object: string, where: (r: Row) => boolean = () => true) =>
    [...(store.tables.get(object)?.records.values() ?? [])].filter(
      (r) => !r.IsDeleted && !r.IsConverted && r[EXCLUDED] !== true && where(r),
    );
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(rng() * items.length)];
  const id = (row: Row | undefined) => (row ? String(row.Id) : undefined);
  const day = (days: number) =>
    new Date(emulator.core.clock.now() + days * 86_400_000).toISOString().slice(0, 10);
  let edits = 0;
  const edit = (recordId: string | undefined, fields: Row) => {
    if (!recordId) return;
    c.sfUpdate({ id: recordId, fields });
    edits++;
  };

  const open = live('Opportunity', (o) => !String(o.StageName).startsWith('Closed'));
  const moving = pick(open);
  edit(id(moving), { StageName: 'Negotiation/Review', Amount: Number(moving?.Amount ?? 0) + 5000 });
  const buyer = pick(live('Contact', (r) => typeof r.AccountId === 'string'));
  if (buyer) {
    const account = store.get(String(buyer.AccountId));
    const { id: deal } = c.sfCreate({
      object: 'Opportunity',
      fields: {
        Name: `${account?.Name ?? 'Acme'} - Upsell ${round}`,
        AccountId: buyer.AccountId,
        StageName: 'Prospecting',
        CloseDate: day(60),
        Amount: 12_000,
      },
    });
    c.sfCreate({
      object: 'OpportunityContactRole',
      fields: { OpportunityId: deal, ContactId: buyer.Id, Role: 'Decision Maker', IsPrimary: true },
    });
    edits += 2;
  }
  const contacts = live('Contact');
  const roles = live('OpportunityContactRole', (r) => store.get(String(r.ContactId))?.[EXCLUDED] !== true);
  const handed = pick(
    roles.filter((r) => {
      const account = store.get(String(r.ContactId))?.AccountId;
      return contacts.some((o) => o.AccountId === account && o.Id !== r.ContactId);
    }),
  );
  if (handed) {
    const account = store.get(String(handed.ContactId))?.AccountId;
    edit(id(handed), {
      ContactId: contacts.find((o) => o.AccountId === account && o.Id !== handed.ContactId)?.Id,
    });
  }
  const dropped = pick(roles.filter((r) => r !== handed && r.OpportunityId !== moving?.Id));
  if (dropped) {
    c.sfDelete({ id: String(dropped.Id) });
    edits++;
  }
  const lost = pick(
    open.filter((o) => o !== moving && o.Id !== dropped?.OpportunityId && o.Id !== handed?.OpportunityId),
  );
  if (lost) {
    c.sfDelete({ id: String(lost.Id) });
    edits++;
  }
  const account = pick(live('Account'));
  edit(id(account), {
    Type: account?.Type === 'Customer - Direct' ? 'Customer - Channel' : 'Customer - Direct',
  });
  const rep = pick(live('User', (u) => u.IsActive === true));
  edit(id(rep), {
    Title: `${String(rep?.Title ?? 'Account Executive').replace(/ \(round \d+\)$/, '')} (round ${round})`,
  });

  const subscriptions = live('Subscription__c', (s) => typeof s.Contact__c === 'string');
  const renewed = pick(subscriptions);
  edit(id(renewed), { Status__c: renewed?.Status__c === 'Active' ? 'Cancelled' : 'Active' });
  const cancelled = pick(subscriptions.filter((s) => s !== renewed));
  if (cancelled) {
    c.sfDelete({ id: String(cancelled.Id) });
    edits++;
  }
  if (buyer) {
    c.sfCreate({
      object: 'Subscription__c',
      fields: { Name: `SUB-R${round}`, Contact__c: buyer.Id, Product__c: 'Automation', Status__c: 'Trial' },
    });
    edits++;
  }
  const registrations = live('Event_Registration__c');
  const attended = pick(registrations.filter((r) => typeof r.Contact__c === 'string'));
  edit(id(attended), { Attended__c: attended?.Attended__c !== true });
  // A registered lead converts into a contact that is already in the org (and in Marketo).
  const registered = pick(
    registrations.filter((r) => {
      const lead = typeof r.Lead__c === 'string' ? store.get(r.Lead__c) : undefined;
      return !!lead && !lead.IsDeleted && !lead.IsConverted && lead[EXCLUDED] !== true;
    }),
  );
  const into = pick(contacts.filter((o) => typeof o.AccountId === 'string' && o.Id !== buyer?.Id));
  if (registered && into) {
    c.convertLead({
      leadId: String(registered.Lead__c),
      contactId: String(into.Id),
      accountId: String(into.AccountId),
    });
    edits++;
  }
  return edits;
}
