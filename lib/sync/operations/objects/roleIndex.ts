// A contact's opportunity roles as the log knows them (issue 19): the record panel lists them on the
// contact's page within 150 ms, so from the log, not a query. Kept as one state per contact,
// `roles-of:<contactId>`, listing each role's opportunity, label and primary flag, as one list
// field (lib/sync/listState.ts). The role pull keeps the contacts it touched in memory for the
// whole step. During its read the changed lists wait there and are written when the read ends
// (docs/objects.md "Contact role lists"): rewriting a contact's whole list with every batch that
// touched one of its roles wrote each list about as many times as it has roles (a first sync of
// 100,000 roles: ~95,000 list states, a third of the role pull's log time).
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

/** Lists per commit when deferred lists are written (a 5,000-list row is ~2 MB of JSON). */
const LISTS_PER_COMMIT = 2000;

export class RoleIndex {
  private readonly byContact = new Map<string, Map<string, string>>();
  private deferred = false;
  private readonly dirty = new Set<string>();

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
    // Another batch's load may have brought a list in meanwhile, and changed it: that one stays.
    for (const id of missing)
      if (!this.byContact.has(id)) this.byContact.set(id, listEntries(states.get(rolesOfKey(id))));
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

  /** From now on, changed lists wait for flush() instead of going with each batch. */
  defer(): void {
    this.deferred = true;
  }

  /** Whether lists changed that flush() has not given out yet. */
  get pending(): boolean {
    return this.dirty.size > 0;
  }

  /** The states of the changed lists, to commit with the batch (or later, when deferred). */
  states(changed: Iterable<string>, into: Map<string, SyncState | null>): void {
    for (const id of changed) {
      if (this.deferred) this.dirty.add(id);
      else into.set(rolesOfKey(id), this.stateOf(id));
    }
  }

  /** The deferred lists' states, a commit's worth each; lists change with their batches again. */
  flush(): Map<string, SyncState | null>[] {
    const out: Map<string, SyncState | null>[] = [];
    for (const id of this.dirty) {
      if (!out.length || out.at(-1)!.size >= LISTS_PER_COMMIT) out.push(new Map());
      out.at(-1)!.set(rolesOfKey(id), this.stateOf(id));
    }
    this.dirty.clear();
    this.deferred = false;
    return out;
  }

  private stateOf(contactId: string): SyncState | null {
    return listState('ContactRoles', this.byContact.get(contactId) ?? new Map());
  }
}
