// One place for a record's current state (issue 14): where each part of it lives and which rule
// wins. The parts, read by lib/db/recordStatus.ts in one transaction:
// - the newest batch rows that name the record (recordEvents, `*sfIds`): its latest outcomes;
// - its flags row (records): failures awaiting retry with the fields they owe, and the state of
//   records whose batch rows retention pruned — a batch row newer than the flags row wins, an
//   older one is already folded in (failures are written to both in the same transaction);
// - its sync state: the newest batch row holding it under its state key, else the newest archive
//   row (syncState table) — a batch row always beats the archive, which only receives older states;
// - the live pending check (pendingCheck.ts): the record's Salesforce values now vs the hashes.
// Storage keeps the sync state in one-letter keys (SyncStateEntry, packed per batch); lib/db
// converts at its boundary, so everything here reads SyncState's readable names.
import { applyOutcome } from '../db/recordFlags';
import type { RecordStatus } from '../db/recordStatus';
import type { RecordFlagsRow, RecordState } from '../db/types';
import type { PendingCheck } from './pendingCheck';

/**
 * The logged state: the flags row with the record's batch rows newer than it folded on, oldest
 * first, by the same rule the batch commit applies (recordFlags.applyOutcome).
 */
export function loggedFlags(status: Pick<RecordStatus, 'flags' | 'events'>): RecordFlagsRow | undefined {
  let flags = status.flags;
  for (const event of [...status.events].reverse()) {
    if (!flags || event.at > flags.updatedAt) flags = applyOutcome(flags, event, event);
  }
  return flags;
}

/** What decides the state shown: the logged state, the sync state, the live check. */
export interface ShownStateInput {
  logged: RecordState | 'unknown';
  excludedReason?: string;
  /** Lead or Contact: a record the sync links to a Marketo person. */
  person: boolean;
  /** A Marketo person is linked (in the log or the sync state). */
  linked: boolean;
  /** The record has a sync state (it was synced at least once). */
  everSynced: boolean;
  /** The live check; undefined while it is still running. */
  live?: PendingCheck;
  /** A one-record cycle for it is running or queued. */
  syncing?: 'running' | 'queued';
}

export interface ShownState {
  state: RecordState | 'unknown';
  excludedReason?: string;
  /** Mapped fields changed in Salesforce since they were last synced. */
  pendingFields?: string[];
  /** Why the live check could not say (or 'checking': it has not answered yet). */
  pendingUnknown?: string;
}

/** Marks a state sent before the live check finished. */
export const PENDING_CHECKING = 'checking';

const NOT_LINKED_FROM: readonly (RecordState | 'unknown')[] = ['unknown', 'synced', 'skipped', 'pending'];

/**
 * Which rule wins, in order:
 * 1. a Sync now under way, or a final state (deleted, converted): the logged state, nothing more;
 * 2. the live check says the filter field is checked now: excluded;
 * 3. logged excluded, but the filter is cleared now: pending (the next cycle syncs it);
 * 4. changed since the last sync: pending — except a failure, which stays failed (its error is what
 *    the admin must act on) and lists the changes;
 * 5. a person with no Marketo person linked, and nothing worse to say: not-linked.
 */
export function shownState(input: ShownStateInput): ShownState {
  const shown: ShownState = {
    state: input.logged,
    ...(input.excludedReason !== undefined && { excludedReason: input.excludedReason }),
  };
  if (input.syncing || input.logged === 'deleted' || input.logged === 'converted') return shown;
  const live = input.live;
  if (!live) shown.pendingUnknown = PENDING_CHECKING;
  else if (live.kind === 'unknown') shown.pendingUnknown = live.reason;
  else if (live.kind === 'checked') {
    if (live.excludedBy) {
      if (shown.state !== 'excluded') {
        shown.state = 'excluded';
        shown.excludedReason = `${live.excludedBy} is checked`;
      }
      return shown;
    }
    if (shown.state === 'excluded') {
      shown.state = 'pending';
      shown.pendingFields = live.changed;
    } else if (input.everSynced && live.changed.length > 0) {
      shown.pendingFields = live.changed;
      if (shown.state === 'synced' || shown.state === 'skipped') shown.state = 'pending';
    }
  }
  if (input.person && !input.linked && NOT_LINKED_FROM.includes(shown.state)) shown.state = 'not-linked';
  return shown;
}
