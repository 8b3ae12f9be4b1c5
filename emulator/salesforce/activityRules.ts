// Task and Event rules beyond the schema (api-facts-objects E1, E4 item 9):
// - converting a lead moves its Tasks and Events to the new contact (Salesforce relates "the lead's
//   open and closed activities" to the contact it becomes). Optional (`conversionMovesActivities`,
//   default on): activities the converting user cannot see stay on the lead under Shared
//   Activities (docs/activities.md), which is what turning it off imitates.
import type { SalesforceOrg } from './org';

/** Relates the converted lead's live Tasks and Events to its contact (one save each). */
export function moveActivitiesOnConvert(
  org: SalesforceOrg,
  leadId: string,
  contactId: string,
  actorId: string,
  at: number,
): void {
  if (!org.options.conversionMovesActivities) return;
  for (const object of ['Task', 'Event']) {
    for (const row of org.store.table(object).records.values())
      if (row.WhoId === leadId && row.IsDeleted !== true)
        org.store.update(row.Id as string, { WhoId: contactId }, actorId, at);
  }
}
