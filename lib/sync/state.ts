// The sync state of records (table syncState, Dexie v2): per-field hashes of what was last
// synced, the linked Marketo id, account link. Packed many records per row (design §6 write
// budget): an unchanged record costs no write at all, a synced batch costs one new row plus a
// rewrite of the older rows its records move out of, so each record lives in exactly one row.
import type { SyncLogDatabase } from '../db/database';
import type { SyncStateEntry, SyncStateRow } from '../db/syncStateTypes';

export async function loadStates(db: SyncLogDatabase, sfIds: readonly string[]) {
  const found = new Map<string, SyncStateEntry>();
  if (sfIds.length === 0) return found;
  const wanted = new Set(sfIds);
  const rows = await db.syncState
    .where('sfIds')
    .anyOf([...wanted])
    .toArray();
  for (const row of rows) {
    for (const id of row.sfIds) if (wanted.has(id) && row.entries[id]) found.set(id, row.entries[id]);
  }
  return found;
}

/** The Salesforce record linked to each Marketo person we know. */
export async function statesByMarketoId(db: SyncLogDatabase, mktoIds: readonly number[]) {
  const found = new Map<number, { sfId: string; entry: SyncStateEntry }>();
  if (mktoIds.length === 0) return found;
  const wanted = new Set(mktoIds);
  const rows = await db.syncState
    .where('mktoIds')
    .anyOf([...wanted])
    .toArray();
  for (const row of rows) {
    for (const [sfId, entry] of Object.entries(row.entries)) {
      if (entry.m !== undefined && wanted.has(entry.m)) found.set(entry.m, { sfId, entry });
    }
  }
  return found;
}

function rowOf(entries: Record<string, SyncStateEntry>, at: number): Omit<SyncStateRow, 'id'> {
  const sfIds = Object.keys(entries);
  const mktoIds = [
    ...new Set(sfIds.flatMap((id) => (entries[id]!.m === undefined ? [] : [entries[id]!.m!]))),
  ];
  return { at, sfIds, mktoIds, entries };
}

/** Call inside a transaction that includes db.syncState (the batch commit does). */
export async function saveStates(
  db: SyncLogDatabase,
  updates: ReadonlyMap<string, SyncStateEntry | null>,
  at: number,
): Promise<void> {
  const ids = [...updates.keys()];
  const old = await db.syncState.where('sfIds').anyOf(ids).toArray();
  const seen = new Set<number>();
  for (const row of old) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    const entries = { ...row.entries };
    for (const id of ids) delete entries[id];
    if (Object.keys(entries).length === 0) await db.syncState.delete(row.id);
    else await db.syncState.put({ id: row.id, ...rowOf(entries, row.at) });
  }
  const fresh: Record<string, SyncStateEntry> = {};
  for (const [id, entry] of updates) if (entry) fresh[id] = entry;
  if (Object.keys(fresh).length > 0) await db.syncState.add(rowOf(fresh, at));
}

/** Every state entry of one Salesforce object, a row at a time (key-based paging, no cursor walk). */
export async function* allStates(
  db: SyncLogDatabase,
  sobject: string,
  rowsPerPage = 50,
): AsyncGenerator<[string, SyncStateEntry][]> {
  let after = 0;
  for (;;) {
    const rows = await db.syncState.where(':id').above(after).limit(rowsPerPage).toArray();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    const page = rows.flatMap((row) => Object.entries(row.entries).filter(([, e]) => e.o === sobject));
    if (page.length) yield page;
  }
}
