// Row types of the sync engine's own tables (Dexie version 2, see database.ts), and the index key of
// a record's state in a batch row.

/**
 * What one record looked like when it was last synced, as the engine and the panel read it. Field
 * values are never kept, only short hashes of them (lib/sync/hash.ts). Stored with one-letter keys
 * (SyncStateEntry) because it is stored for every synced record; lib/db converts at its boundary
 * (toSyncState / toStoredEntry), so no code outside the storage layer sees those keys.
 */
export interface SyncState {
  /** Salesforce object: 'Lead' | 'Contact' | 'Account'. */
  sobject: string;
  /** Per Salesforce field (API name): hash of the value both sides agreed on last time. */
  hashes: Record<string, string>;
  /** The linked Marketo person (Lead/Contact); absent for accounts and unlinked records. */
  marketoId?: number;
  /** The Marketo id this link is indexed under (`*mktoIds`); set by writeBatch, kept by the engine. */
  indexedMarketoId?: number;
  /** Contact: its AccountId when last synced (Update FKs compares against it). */
  accountId?: string | null;
  /** Excluded by the sync filter field when last seen: nothing is written for it either way. */
  excluded?: boolean;
  /** A push to Salesforce failed and awaits a retry (a later pull must not make us forget it). */
  pushOwed?: boolean;
  /** Lead: converted into this contact (Pull Conversions done). */
  convertedTo?: string;
  /** Fields a refused write still owes, per direction: field → hash of the value owed (owedFields.ts). */
  owed?: OwedByDirection;
  /**
   * Per Salesforce field with a change threshold (settings changeThresholds, lib/sync/thresholds.ts):
   * the number last synced. `hashes` cannot say how far a value moved; this can, so changes below
   * the threshold add up until they reach it. Absent for fields without a threshold.
   */
  syncedNumbers?: Record<string, number>;
}

/** A stored entry (archive rows, and the rarer parts of packed batch-row states) read with readable names. */
export function toSyncState(entry: SyncStateEntry): SyncState {
  const state: SyncState = { sobject: entry.o, hashes: entry.f };
  if (entry.m !== undefined) state.marketoId = entry.m;
  if (entry.k !== undefined) state.indexedMarketoId = entry.k;
  if (entry.a !== undefined) state.accountId = entry.a;
  if (entry.x !== undefined) state.excluded = entry.x;
  if (entry.p !== undefined) state.pushOwed = entry.p;
  if (entry.c !== undefined) state.convertedTo = entry.c;
  if (entry.w !== undefined) state.owed = entry.w;
  if (entry.n !== undefined) state.syncedNumbers = entry.n;
  return state;
}

/** A state as stored (one-letter keys). */
export function toStoredEntry(state: SyncState): SyncStateEntry {
  const entry: SyncStateEntry = { o: state.sobject, f: state.hashes };
  if (state.marketoId !== undefined) entry.m = state.marketoId;
  if (state.indexedMarketoId !== undefined) entry.k = state.indexedMarketoId;
  if (state.accountId !== undefined) entry.a = state.accountId;
  if (state.excluded !== undefined) entry.x = state.excluded;
  if (state.pushOwed !== undefined) entry.p = state.pushOwed;
  if (state.convertedTo !== undefined) entry.c = state.convertedTo;
  if (state.owed !== undefined) entry.w = state.owed;
  if (state.syncedNumbers !== undefined) entry.n = state.syncedNumbers;
  return entry;
}

/** The stored form of SyncState (storage layer only): short keys, as archive rows hold them. */
export interface SyncStateEntry {
  /** Salesforce object: 'Lead' | 'Contact' | 'Account'. */
  o: string;
  /** Per Salesforce field (API name): hash of the value both sides agreed on last time. */
  f: Record<string, string>;
  /** The linked Marketo person (Lead/Contact); absent for accounts and unlinked records. */
  m?: number;
  /** The Marketo id this link is indexed under (`*mktoIds`); set by writeBatch, kept by the engine. */
  k?: number;
  /** Contact: its AccountId when last synced (Update FKs compares against it). */
  a?: string | null;
  /** Excluded by the sync filter field when last seen: nothing is written for it either way. */
  x?: boolean;
  /** A push to Salesforce failed and awaits a retry (a later pull must not make us forget it). */
  p?: boolean;
  /**
   * Fields a failed write still owes, per direction: Salesforce field → hash of the source value
   * that could not be written (lib/sync/owedFields.ts). Rows written before it have only `p`.
   */
  w?: OwedByDirection;
  /** Lead: converted into this contact (Pull Conversions done). */
  c?: string;
  /** Thresholded fields: Salesforce field → the number last synced. Rows written before it have none. */
  n?: Record<string, number>;
}

/** Owed fields of a record per direction (push: Marketo → Salesforce, pull: the other way). */
export interface OwedByDirection {
  push?: Record<string, string>;
  pull?: Record<string, string>;
}

/** Many records' entries in one row; `sfIds` and `mktoIds` are multi-entry indexes over them. */
export interface SyncStateRow {
  id: number;
  at: number;
  sfIds: string[];
  mktoIds: number[];
  entries: Record<string, SyncStateEntry>;
}

/** A lease: the single-cycle lock that survives a stopped worker (lib/sync/lease.ts). */
export interface LeaseRow {
  name: string;
  owner: string;
  expiresAt: number;
  acquiredAt: number;
}

/**
 * In a recordEvents row's `sfIds`, a record whose sync state the row holds is listed under its state
 * key; a record with only an outcome there under its plain id (lib/db/syncState.ts explains why).
 */
export const stateKey = (sfId: string) => `${sfId}~`;
/** The record of an `sfIds` key (a plain id or a state key). */
export const idOfKey = (key: string) => (key.endsWith('~') ? key.slice(0, -1) : key);
