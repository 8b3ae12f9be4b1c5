// A contact's opportunity roles as the log knows them (issue 19: the record panel lists them on the
// contact's page within 150 ms, so from the log, not a query). Kept as one state per contact,
// `roles-of:<contactId>`, listing each role's opportunity, label and primary flag, written in the
// same transaction as the roles' own outcomes, as one list field (lib/sync/listState.ts). The role
// pull keeps the contacts it touched in memory for the whole step (its commits land behind its
// writes, objectPull.ts), so each commit carries a contact's whole list as it then stands.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { StepContext } from '../../context';
import { listEntries, listState } from '../../listState';

export const rolesOfKey = (contactId: string) => `roles-of:${contactId}`;

export interface IndexedRole {
  opportunityId: string;
  role: string;
  primary: boolean;
}

export const encodeRole = (r: IndexedRole) => `${r.opportunityId}|${r.primary ? 1 : 0}|${r.role}`;

export function decodeRoles(state: SyncState | undefined): Map<string, IndexedRole> {
  const out = new Map<string, IndexedRole>();
  for (const [roleId, text] of listEntries(state)) {
    const [opportunityId, primary, ...role] = text.split('|');
    if (opportunityId) out.set(roleId, { opportunityId, primary: primary === '1', role: role.join('|') });
  }
  return out;
}

export class RoleIndex {
  private readonly byContact = new Map<string, Map<string, string>>();

  constructor(private readonly ctx: StepContext) {}

  /**
   * Reads the lists of these contacts not held yet. `fresh`: the read of a role pull that never
   * committed (objectPull.ts): a list is written only with role states, and before the pull's first
   * commit no role has one (its queue and retries are empty too), so no list exists to read.
   */
  async load(contactIds: Iterable<string>, fresh = false): Promise<void> {
    const missing = [...new Set(contactIds)].filter((id) => id && !this.byContact.has(id));
    const states = fresh
      ? new Map<string, SyncState>()
      : await loadStates(this.ctx.db, missing.map(rolesOfKey));
    for (const id of missing) this.byContact.set(id, listEntries(states.get(rolesOfKey(id))));
  }

  /** Moves a role to `contactId` (or out of the index: undefined), noting which lists changed. */
  put(
    roleId: string,
    from: string | undefined,
    contactId: string | undefined,
    role: IndexedRole | undefined,
    changed: Set<string>,
  ) {
    if (from && from !== contactId && this.byContact.get(from)?.delete(roleId)) changed.add(from);
    if (contactId && role) {
      this.byContact.get(contactId)?.set(roleId, encodeRole(role));
      changed.add(contactId);
    }
  }

  /** The states of the changed lists, to commit with the batch. */
  states(changed: Iterable<string>, into: Map<string, SyncState | null>): void {
    for (const id of changed) {
      const roles = this.byContact.get(id);
      into.set(rolesOfKey(id), listState('ContactRoles', roles ?? new Map()));
    }
  }
}
