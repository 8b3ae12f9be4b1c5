import { toId18 } from '../salesforce/ids';
import { rowOutcomes, rowStates } from './eventRowBody';
import type { LogDatabase } from './logPort';
import { withChanges } from './packedChanges';
import { stateOf } from './packedStates';
import { type SyncState, stateKey, toSyncState } from './syncStateTypes';
import type { ObjectType, Operation, PackedOutcome, RecordEventRow, RecordFlagsRow } from './types';

/** One record's outcome in one batch, with the batch row's metadata. */
export interface RecordEventView extends PackedOutcome {
  eventId: number;
  at: number;
  cycleId: number;
  stepId: number;
  operation: Operation;
  objectType: ObjectType;
}

export interface RecordStatus {
  /** The 18-character id the lookup used. */
  sfId: string;
  /** The flags row: retry bookkeeping of failures, and state folded in from pruned events. */
  flags?: RecordFlagsRow;
  /** This record's events, newest first. The first one, when newer than `flags`, is its state. */
  events: RecordEventView[];
  /** Its current sync state (lib/db/syncState.ts), when it has one: read with the same rows. */
  syncState?: SyncState;
}

/**
 * What the record panel shows: the newest packed batch rows that changed this record (through
 * the `*sfIds` multi-entry index under both of its keys, newest row first; no scan) unpacked to its own
 * outcomes, plus its flags row. Accepts a 15- or 18-character id.
 */
export async function getRecordStatus(
  db: LogDatabase,
  id: string,
  options: { limit?: number } = {},
): Promise<RecordStatus> {
  const sfId = toId18(id);
  const limit = options.limit ?? 20;
  const newest = (key: string) => db.recordEvents.where('sfIds').equals(key).reverse().limit(limit).toArray();
  const [plain, withState, flags, archived] = await db.transaction(
    'r',
    ['recordEvents', 'records', 'syncState'],
    () =>
      Promise.all([
        newest(sfId),
        newest(stateKey(sfId)),
        db.records.get(sfId),
        db.syncState.where('sfIds').equals(sfId).reverse().limit(1).toArray(),
      ]),
  );
  // A row lists the record under one of its two keys, never both: merge the two newest-first lists.
  const rows = [...plain, ...withState].sort((a, b) => b.id - a.id);
  const events = rows.flatMap((row) => unpack(row, sfId)).slice(0, limit);
  // The newest row under the state key decides the state; without one, the newest archive row.
  const archivedEntry = archived[0]?.entries[sfId];
  const syncState = withState.length
    ? (stateOf(rowStates(withState[0]), sfId) ?? undefined)
    : archivedEntry && toSyncState(archivedEntry);
  return { sfId, ...(flags && { flags }), events, ...(syncState && { syncState }) };
}

/** The outcomes of one record in a batch row, newest first (a batch may hold a record twice). */
function unpack(row: RecordEventRow, sfId: string): RecordEventView[] {
  const views: RecordEventView[] = [];
  for (const outcome of rowOutcomes(row)) {
    // A skip is shown only when it says why (a change below its threshold); others tell nothing.
    if (outcome.sfId !== sfId || (outcome.outcome === 'skipped' && outcome.reason === undefined)) continue;
    views.unshift({
      ...withChanges(outcome),
      eventId: row.id,
      at: row.at,
      cycleId: row.cycleId,
      stepId: row.stepId,
      operation: row.operation,
      objectType: row.objectType,
    });
  }
  return views;
}

/**
 * The names the log knows for these records (flags row, else their newest outcome that carried
 * one), for outcomes written where the step has no Salesforce row to name them by (Push Updates
 * reads Marketo's feed; a delete or an account link has only ids). A few reads per record: meant
 * for failures, which are few, so that the panel, the popup and the CSV name every failed record.
 */
export async function knownNames(db: LogDatabase, sfIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!sfIds.length) return names;
  await db.transaction('r', ['recordEvents', 'records'], async () => {
    const flags = await db.records.bulkGet(sfIds.map(toId18));
    await Promise.all(
      sfIds.map(async (given, i) => {
        const sfId = toId18(given);
        const flagged = flags[i]?.name;
        if (flagged) return void names.set(given, flagged);
        const newest = (key: string) =>
          db.recordEvents.where('sfIds').equals(key).reverse().limit(10).toArray();
        const rows = (await Promise.all([newest(sfId), newest(stateKey(sfId))])).flat();
        const named = rows
          .sort((a, b) => b.id - a.id)
          .flatMap((row) => rowOutcomes(row))
          .find((o) => o.sfId === sfId && o.name);
        if (named?.name) names.set(given, named.name);
      }),
    );
  });
  return names;
}
