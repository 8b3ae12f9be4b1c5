// The contact role lists of a role pull's read, written when the read ends (roleIndex.ts keeps
// them meanwhile; docs/objects.md "Contact role lists"). While they are owed the log says so:
// ROLE_LISTS_OWED holds the pull's position when they started to be owed ('' before its first
// commit), set with the first batch whose lists wait and cleared with the last lists written. A
// worker that died in between (kill -9, a closed browser) left committed roles out of their
// contacts' lists: the next read starts from that position again, even when the change probe says
// nothing changed, and puts the roles the log agrees on back into their lists.
import type { SyncState } from '../../../db/syncStateTypes';
import type { StepContext } from '../../context';
import { formatPullCursor, type PullPosition, parsePullCursor, readCursor } from '../../cursors';
import { isAfter } from '../programs/pullPosition';
import type { WrittenBatch } from './objectPull';
import type { IndexedRole, RoleIndex } from './roleIndex';

export const ROLE_LISTS_OWED = 'lists-owed:OpportunityContactRole';

export interface ListedRole {
  roleId: string;
  contactId: string;
  entry: IndexedRole;
}

export class DeferredRoleLists {
  /** ROLE_LISTS_OWED's value for this read, once the read started. */
  private from: string | undefined;
  /** ROLE_LISTS_OWED is in the log, or goes with the next commit. */
  private owed = false;
  /** This read re-reads rows behind the position, to rebuild lists a dead worker owed. */
  rebuilding = false;

  constructor(
    private readonly ctx: StepContext,
    private readonly index: RoleIndex,
  ) {}

  /** The read starts: lists wait from now on; where to read from (objectPull.ts beforeRead). */
  async beforeRead(position: PullPosition | undefined) {
    const owed = await readCursor(this.ctx.db, ROLE_LISTS_OWED);
    this.index.defer();
    this.owed = owed !== undefined;
    this.rebuilding = owed !== undefined;
    this.from = owed ?? (position ? formatPullCursor(position) : '');
    if (owed === undefined) return { from: position, reread: false };
    const owedFrom = parsePullCursor(owed);
    return { from: owedFrom && position && isAfter(owedFrom, position) ? position : owedFrom, reread: true };
  }

  /** Roles the log agrees on, put back into their contacts' lists (a rebuilding read). */
  async relist(roles: readonly ListedRole[], out: WrittenBatch): Promise<void> {
    await this.index.load(roles.map((r) => r.contactId));
    const changed = new Set<string>();
    for (const r of roles) this.index.put(r.roleId, r.contactId, r.contactId, r.entry, changed);
    this.index.states(changed, out.states);
  }

  /** The first batch whose lists wait says so in the log, in its own commit. */
  markOwed(written: WrittenBatch): void {
    if (this.owed || !this.index.pending) return;
    written.extraCursors = [
      ...(written.extraCursors ?? []),
      { key: ROLE_LISTS_OWED, value: this.from ?? '' },
    ];
    this.owed = true;
  }

  /** The read ended (or failed): the waiting lists, and ROLE_LISTS_OWED cleared with the last. */
  afterRead(): WrittenBatch[] {
    if (!this.owed && !this.index.pending) return [];
    const written: WrittenBatch[] = this.index
      .flush()
      .map((states: Map<string, SyncState | null>) => ({ outcomes: [], states }));
    if (written.length === 0) written.push({ outcomes: [], states: new Map() });
    written.at(-1)!.extraCursors = [{ key: ROLE_LISTS_OWED, value: null }];
    this.owed = false;
    this.rebuilding = false;
    return written;
  }
}
