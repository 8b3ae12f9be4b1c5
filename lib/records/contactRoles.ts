// The Opportunity roles section of the record panel on Contact pages (issue 19): the contact's
// opportunity roles as the sync wrote them to Marketo, from the log alone (the contact's
// `roles-of:` list, lib/sync/operations/objects/roleIndex.ts) with each opportunity's name as its
// last outcome named it.
import type { LogDatabase } from '../db/logPort';
import { knownNames } from '../db/recordStatus';
import { loadStates } from '../db/syncState';
import type { OpportunityRoleView } from '../messaging/views';
import { decodeRoles, rolesOfKey } from '../sync/operations/objects/roleIndex';

export async function contactRolesView(db: LogDatabase, contactId: string): Promise<OpportunityRoleView[]> {
  const key = rolesOfKey(contactId);
  const roles = decodeRoles((await loadStates(db, [key])).get(key));
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
