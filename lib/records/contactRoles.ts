// The Opportunity roles section of the record panel on Contact pages (issue 19): the contact's
// opportunity roles as the sync wrote them to Marketo, from the log alone (the contact's
// `roles-of:` list, lib/sync/operations/objects/roleIndex.ts) with each opportunity's name as its
// last outcome named it.
import type { LogDatabase } from '../db/logPort';
import { knownNames } from '../db/recordStatus';
import { loadStates } from '../db/syncState';
import type { OpportunityRoleView } from '../messaging/views';
import { toId18 } from '../salesforce/ids';
import { decodeRoles, rolesOfKey } from '../sync/operations/objects/roleIndex';

export async function contactRolesView(db: LogDatabase, recordId: string): Promise<OpportunityRoleView[]> {
  // The page's id may be the 15-character one; the log keeps the API's 18-character ids.
  const contactId = toId18(recordId);
  const key = rolesOfKey(contactId);
  const listed = decodeRoles((await loadStates(db, [key])).get(key));
  if (listed.size === 0) return [];
  // A role is shown only while its own state still puts it on this contact: a list written at the
  // end of a read can trail a role moved, deleted or refused since (roleIndex.ts).
  const states = await loadStates(db, [...listed.keys()]);
  const roles = new Map(
    [...listed].filter(([roleId]) => states.get(roleId)?.hashes['@contact'] === contactId),
  );
  if (roles.size === 0) return [];
  const names = await knownNames(
    db,
    [...roles.values()].map((r) => r.opportunityId),
  );
  return [...roles].map(([roleId, r]) => ({
    roleId,
    opportunityId: r.opportunityId,
    ...(names.get(r.opportunityId) && { opportunityName: names.get(r.opportunityId)! }),
    role: r.role,
    primary: r.primary,
  }));
}
