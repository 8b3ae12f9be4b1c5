// The sync state of records (table syncState, Dexie v2): per-field hashes of what was last
// synced, the linked Marketo id, account link. Packed many records per row, newest row wins
// (design §6 write budget): an unchanged record costs no write at all, and a synced batch costs
// exactly one new row. Older rows are never rewritten on the hot path — rewriting them re-indexes
// every id they hold, which in Chromium cost ~9 s per 300-record batch (tests/bench/log.bench.ts).
// An id listed in a row's `sfIds` without an entry is a tombstone (the record's state was dropped).
// Superseded entries stay in their old rows until a compaction (not written yet) folds them away;
// the table grows by one row per batch that changed something.
import type { SyncLogDatabase } from '../db/database';
import type { SyncStateEntry, SyncStateRow } from '../db/syncStateTypes';

/** For each wanted id, the newest row naming it and that row's entry (null: a tombstone). */
function newestOf(
  rows: SyncStateRow[],
  wanted: ReadonlySet<string>,
): Map<string, { row: number; entry: SyncStateEntry | null }> {
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

export async function loadStates(db: SyncLogDatabase, sfIds: readonly string[]) {
  const found = new Map<string, SyncStateEntry>();
  if (sfIds.length === 0) return found;
  const wanted = new Set(sfIds);
  const rows = await db.syncState
    .where('sfIds')
    .anyOf([...wanted])
    .toArray();
  for (const [id, { entry }] of newestOf(rows, wanted)) if (entry) found.set(id, entry);
  return found;
}

/** The Salesforce record linked to each Marketo person we know (current entries only). */
export async function statesByMarketoId(db: SyncLogDatabase, mktoIds: readonly number[]) {
  const found = new Map<number, { sfId: string; entry: SyncStateEntry }>();
  if (mktoIds.length === 0) return found;
  const wanted = new Set(mktoIds);
  const rows = await db.syncState
    .where('mktoIds')
    .anyOf([...wanted])
    .toArray();
  const candidates = new Set<string>();
  for (const row of rows) {
    for (const [sfId, entry] of Object.entries(row.entries)) {
      if (entry.m !== undefined && wanted.has(entry.m)) candidates.add(sfId);
    }
  }
  // An older row may still name a person the record has since been unlinked from.
  for (const [sfId, entry] of await loadStates(db, [...candidates])) {
    if (entry.m !== undefined && wanted.has(entry.m)) found.set(entry.m, { sfId, entry });
  }
  return found;
}

function rowOf(entries: Record<string, SyncStateEntry>, ids: string[], at: number): Omit<SyncStateRow, 'id'> {
  const mktoIds = [...new Set(Object.values(entries).flatMap((e) => (e.m === undefined ? [] : [e.m])))];
  return { at, sfIds: ids, mktoIds, entries };
}

/** Call inside a transaction that includes db.syncState (the batch commit does). */
export async function saveStates(
  db: SyncLogDatabase,
  updates: ReadonlyMap<string, SyncStateEntry | null>,
  at: number,
): Promise<void> {
  if (updates.size === 0) return;
  const entries: Record<string, SyncStateEntry> = {};
  for (const [id, entry] of updates) if (entry) entries[id] = entry;
  await db.syncState.add(rowOf(entries, [...updates.keys()], at));
}

/** Every current state entry of one Salesforce object, newest rows first, a page at a time. */
export async function* allStates(
  db: SyncLogDatabase,
  sobject: string,
  rowsPerPage = 50,
): AsyncGenerator<[string, SyncStateEntry][]> {
  // Newest first: the first row that names an id decides it; later (older) mentions are stale.
  const decided = new Set<string>();
  let before = Number.POSITIVE_INFINITY;
  for (;;) {
    const rows = await db.syncState.where(':id').below(before).reverse().limit(rowsPerPage).toArray();
    if (rows.length === 0) return;
    before = rows[rows.length - 1]!.id;
    const page: [string, SyncStateEntry][] = [];
    for (const row of rows) {
      for (const id of row.sfIds) {
        if (decided.has(id)) continue;
        decided.add(id);
        const entry = row.entries[id];
        if (entry && entry.o === sobject) page.push([id, entry]);
      }
    }
    if (page.length) yield page;
  }
}
