import type { LogDatabase } from './logPort';
import { saveStoredEntries, stateRowIds } from './syncState';
import type { SyncStateEntry } from './syncStateTypes';

// The syncState archive (lib/db/syncState.ts) only grows: retention carries a record's state into
// it, and when the record is synced again its archive entry is dead (a newer row decides) but
// stays. Left alone that is one dead entry per record per retention period, for ever. Compaction
// walks the archive a window of rows at a time (the position is kept in `cursors`, wrapping round
// at the end) and, where enough of a window is dead, keeps what is still current in one new row and
// deletes the window; a mostly live window (records that never change again) is left as it is, so
// live entries are not rewritten over and over.

const POSITION = 'archive:compacted-through';
/** Archive rows looked at per run. */
const ROWS_PER_RUN = 20;
/** Compact only when at least this share of the entries in those rows is dead. */
const MIN_DEAD_SHARE = 0.5;

export interface CompactionResult {
  rowsRead: number;
  rowsDeleted: number;
  entriesKept: number;
  entriesDropped: number;
}

export async function compactArchive(db: LogDatabase, at: number): Promise<CompactionResult> {
  return db.transaction('rw', ['syncState', 'recordEvents', 'cursors'], async () => {
    const after = Number((await db.cursors.get(POSITION))?.value ?? 0);
    const rows = await db.syncState.where(':id').above(after).limit(ROWS_PER_RUN).toArray();
    const last = rows.length === ROWS_PER_RUN ? rows[rows.length - 1]!.id : 0; // 0: wrap round
    await db.cursors.put({ key: POSITION, value: String(last), updatedAt: at });
    const none = { rowsRead: rows.length, rowsDeleted: 0, entriesKept: 0, entriesDropped: 0 };
    if (rows.length < 2) return none;
    const window = new Set(rows.map((r) => r.id));
    const ids = [...new Set(rows.flatMap((r) => r.sfIds))];
    // Every archive row naming each id (key-only), and the ids an event row decides.
    const namedBy = new Map<string, number[]>();
    await db.syncState
      .where('sfIds')
      .anyOf(ids)
      .eachKey((key, cursor) => {
        const list = namedBy.get(String(key));
        if (list) list.push(cursor.primaryKey as number);
        else namedBy.set(String(key), [cursor.primaryKey as number]);
      });
    const decidedByEvents = await stateRowIds(db, ids);
    const keep = new Map<string, SyncStateEntry | null>();
    let entries = 0;
    for (const row of rows) {
      for (const id of row.sfIds) {
        entries++;
        const naming = namedBy.get(id) ?? [];
        if (Math.max(...naming) !== row.id || decidedByEvents.has(id)) continue; // dead: a newer row decides
        const entry = row.entries[id] ?? null;
        // A tombstone matters only while a row outside the window still names the id.
        if (entry === null && naming.every((r) => window.has(r))) continue;
        keep.set(id, entry);
      }
    }
    const dropped = entries - keep.size;
    if (dropped < entries * MIN_DEAD_SHARE) return none;
    await db.syncState.bulkDelete([...window]);
    // The kept entries move to the newest row: each was its id's newest archive entry, so it stays so.
    await saveStoredEntries(db, keep, Math.max(...rows.map((r) => r.at)));
    return {
      rowsRead: rows.length,
      rowsDeleted: rows.length,
      entriesKept: keep.size,
      entriesDropped: dropped,
    };
  });
}
