// The sync state of records: per-field hashes of what was last synced, the linked Marketo id,
// account link (SyncStateEntry). Written with the batch that changes it, inside that batch's
// recordEvents row (`states`), newest row wins (design §6 write budget): an unchanged record costs
// no write at all, and a synced batch costs one row and one `*sfIds` index entry per record — the
// same entry its outcome needs. Older rows are never rewritten on the hot path.
//
// Index keys: in a row's `sfIds`, a record whose state the row holds is listed under its state key
// (id + '~'); a record with only an outcome there is listed under its plain id. So "the newest row
// holding this record's state" is one key-only index read, and a row body is read only for the
// records it decides. Retention moves still-current states of pruned rows into table syncState
// (archive rows, the same newest-row-wins packing; legacy version 2 rows live there too); a state
// in an event row always beats the archive, which only ever receives older states.

import { rowStates } from './eventRowBody';
import type { LogDatabase } from './logPort';
import { type PackedStates, packedEntries, stateAt } from './packedStates';
import {
  idOfKey,
  type SyncState,
  type SyncStateEntry,
  type SyncStateRow,
  stateKey,
  toStoredEntry,
  toSyncState,
} from './syncStateTypes';

/** For each id, the newest event row holding its state (key-only read of `*sfIds`). */
export async function stateRowIds(db: LogDatabase, sfIds: readonly string[]): Promise<Map<string, number>> {
  const newest = new Map<string, number>();
  if (sfIds.length === 0) return newest;
  await db.recordEvents
    .where('sfIds')
    .anyOf([...new Set(sfIds)].map(stateKey))
    .eachKey((key, cursor) => {
      const id = idOfKey(String(key));
      const row = cursor.primaryKey as number;
      if ((newest.get(id) ?? -1) < row) newest.set(id, row);
    });
  return newest;
}

/** Current entries (and tombstones, as null) decided by event rows. */
async function statesInEvents(db: LogDatabase, sfIds: readonly string[]) {
  return statesInRows(db, await stateRowIds(db, sfIds));
}

/** The entries of each id in the event row given for it (its newest row holding a state). */
export async function statesInRows(db: LogDatabase, rowOf: ReadonlyMap<string, number>) {
  const decided = new Map<string, SyncState | null>();
  const rowIds = [...new Set(rowOf.values())];
  const rows = await db.recordEvents.bulkGet(rowIds);
  // A row decides many of the ids: its states are parsed once, each id found through their index.
  const statesOf = new Map<number, { states: PackedStates; index: Map<string, number> }>();
  for (const row of rows) {
    const states = rowStates(row);
    if (row && states) statesOf.set(row.id, { states, index: new Map(states.ids.map((s, i) => [s, i])) });
  }
  for (const [id, rowId] of rowOf) {
    const found = statesOf.get(rowId);
    const i = found?.index.get(id);
    if (found && i !== undefined) decided.set(id, stateAt(found.states, i));
  }
  return decided;
}

/** For each wanted id, the newest archive row naming it and that row's entry (null: a tombstone). */
export function newestOf(rows: SyncStateRow[], wanted: ReadonlySet<string>) {
  const latest = new Map<string, { row: number; entry: SyncStateEntry | null }>();
  for (const row of rows) {
    for (const id of row.sfIds) {
      if (!wanted.has(id)) continue;
      const seen = latest.get(id);
      if (!seen || seen.row < row.id) latest.set(id, { row: row.id, entry: row.entries[id] ?? null });
    }
  }
  return latest;
}

async function statesInArchive(db: LogDatabase, sfIds: readonly string[]) {
  const found = new Map<string, SyncState>();
  if (sfIds.length === 0) return found;
  const wanted = new Set(sfIds);
  const rows = await db.syncState
    .where('sfIds')
    .anyOf([...wanted])
    .toArray();
  for (const [id, { entry }] of newestOf(rows, wanted)) if (entry) found.set(id, toSyncState(entry));
  return found;
}

/** The current sync state of each id that has one. */
export async function loadStates(db: LogDatabase, sfIds: readonly string[]) {
  const found = new Map<string, SyncState>();
  if (sfIds.length === 0) return found;
  const decided = await statesInEvents(db, sfIds);
  for (const [id, entry] of decided) if (entry) found.set(id, entry);
  const rest = sfIds.filter((id) => !decided.has(id));
  for (const [id, entry] of await statesInArchive(db, rest)) found.set(id, entry);
  return found;
}

/** The Salesforce record linked to each Marketo person we know (current entries only). */
export async function statesByMarketoId(db: LogDatabase, mktoIds: readonly number[]) {
  const found = new Map<number, { sfId: string; entry: SyncState }>();
  if (mktoIds.length === 0) return found;
  const wanted = new Set(mktoIds);
  const eventRowIds = await db.recordEvents
    .where('mktoIds')
    .anyOf([...wanted])
    .primaryKeys();
  const [eventRows, archiveRows] = await Promise.all([
    db.recordEvents.bulkGet([...new Set(eventRowIds)]),
    db.syncState
      .where('mktoIds')
      .anyOf([...wanted])
      .toArray(),
  ]);
  const candidates = new Set<string>();
  for (const row of eventRows) {
    const states = rowStates(row);
    states?.m.forEach((m, i) => {
      if (m !== null && wanted.has(m)) candidates.add(states.ids[i]!);
    });
  }
  for (const row of archiveRows) {
    for (const [sfId, entry] of Object.entries(row.entries)) {
      if (entry.m !== undefined && wanted.has(entry.m)) candidates.add(sfId);
    }
  }
  // An older row may still name a person the record has since been unlinked from.
  for (const [sfId, entry] of await loadStates(db, [...candidates])) {
    if (entry.marketoId !== undefined && wanted.has(entry.marketoId))
      found.set(entry.marketoId, { sfId, entry });
  }
  return found;
}

/**
 * Writes one archive row (table syncState; call inside a transaction that includes it). The engine
 * writes states with its batches (lib/db writeBatch); retention carries states over with this.
 */
export async function saveStates(
  db: LogDatabase,
  updates: ReadonlyMap<string, SyncState | null>,
  at: number,
): Promise<void> {
  const stored = new Map<string, SyncStateEntry | null>();
  for (const [id, state] of updates) stored.set(id, state && toStoredEntry(state));
  await saveStoredEntries(db, stored, at);
}

/** saveStates for entries already in their stored form (archive compaction moves them as they are). */
export async function saveStoredEntries(
  db: LogDatabase,
  updates: ReadonlyMap<string, SyncStateEntry | null>,
  at: number,
): Promise<void> {
  if (updates.size === 0) return;
  const entries: Record<string, SyncStateEntry> = {};
  for (const [id, entry] of updates) if (entry) entries[id] = entry;
  const mktoIds = [...new Set(Object.values(entries).flatMap((e) => (e.m === undefined ? [] : [e.m])))];
  await db.syncState.add({ at, sfIds: [...updates.keys()], mktoIds, entries });
}

/** Every current state entry of one Salesforce object, newest rows first, a page at a time. */
export async function* allStates(
  db: LogDatabase,
  sobject: string,
  rowsPerPage = 50,
): AsyncGenerator<[string, SyncState][]> {
  // Newest first: the first row that holds an id decides it; later (older) mentions are stale.
  // Event rows are all newer than the archive's states (see the top of this file).
  const decided = new Set<string>();
  const pageOf = (entries: Iterable<[string, SyncState | null]>) => {
    const page: [string, SyncState][] = [];
    for (const [id, entry] of entries) {
      if (decided.has(id)) continue;
      decided.add(id);
      if (entry && entry.sobject === sobject) page.push([id, entry]);
    }
    return page;
  };
  for (const table of ['recordEvents', 'syncState'] as const) {
    let before = Number.POSITIVE_INFINITY;
    for (;;) {
      const rows = await (table === 'recordEvents' ? db.recordEvents : db.syncState)
        .where(':id')
        .below(before)
        .reverse()
        .limit(rowsPerPage)
        .toArray();
      if (rows.length === 0) break;
      before = rows[rows.length - 1]!.id;
      const page = rows.flatMap((row) =>
        pageOf(
          'entries' in row
            ? row.sfIds.map((id): [string, SyncState | null] => {
                const entry = row.entries[id];
                return [id, entry ? toSyncState(entry) : null];
              })
            : [...packedEntries(rowStates(row))],
        ),
      );
      if (page.length) yield page;
    }
  }
}
