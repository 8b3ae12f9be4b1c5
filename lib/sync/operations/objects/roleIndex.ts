// A contact's opportunity roles as the log knows them (issue 19: the record panel lists them on the
// contact's page within 150 ms, so from the log, not a query). Kept as one state per contact,
// `roles-of:<contactId>`, listing each role's opportunity, label and primary flag, written in the
// same transaction as the roles' own outcomes. The list is one hash field (`roles`, JSON pairs of
// role id and entry): a batch row packs its states in columns, one per field name across the batch
// (lib/db/packedStates.ts), so a field per role id made every state of a role batch carry a column
// for each of its ~3,000 roles — 9 MB rows, and the 50,000-opportunity first sync 11 × the bare
// script. Lists written the first way (a field per role) are still read. The role pull keeps the contacts it touched in memory
// for the whole step (its commits land behind its writes, objectPull.ts), so each commit carries a
// contact's whole list as it then stands.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { StepContext } from '../../context';

export const rolesOfKey = (contactId: string) => `roles-of:${contactId}`;

export interface IndexedRole {
  opportunityId: string;
  role: string;
  primary: boolean;
}

export const encodeRole = (r: IndexedRole) => `${r.opportunityId}|${r.primary ? 1 : 0}|${r.role}`;

const LIST_FIELD = 'roles';

/** The list's entries, role id → encoded role, in either stored form. */
function entriesOf(state: SyncState | undefined): [string, string][] {
  const hashes = state?.hashes ?? {};
  const list = hashes[LIST_FIELD];
  if (list === undefined) return Object.entries(hashes);
  try {
    const parsed: unknown = JSON.parse(list);
    return Array.isArray(parsed)
      ? parsed.filter(
          (e): e is [string, string] =>
            Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

export function decodeRoles(state: SyncState | undefined): Map<string, IndexedRole> {
  const out = new Map<string, IndexedRole>();
  for (const [roleId, text] of entriesOf(state)) {
    const [opportunityId, primary, ...role] = text.split('|');
    if (opportunityId) out.set(roleId, { opportunityId, primary: primary === '1', role: role.join('|') });
  }
  return out;
}

export class RoleIndex {
  private readonly byContact = new Map<string, Map<string, string>>();

  constructor(private readonly ctx: StepContext) {}

  /** Reads the lists of these contacts not held yet. */
  async load(contactIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(contactIds)].filter((id) => id && !this.byContact.has(id));
    const states = await loadStates(this.ctx.db, missing.map(rolesOfKey));
    for (const id of missing) this.byContact.set(id, new Map(entriesOf(states.get(rolesOfKey(id)))));
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
      into.set(
        rolesOfKey(id),
        roles?.size
          ? { sobject: 'ContactRoles', hashes: { [LIST_FIELD]: JSON.stringify([...roles]) } }
          : null,
      );
    }
  }
}
