// The body of a batch row (RecordEventRow): its outcomes and its packed sync states, each kept as
// one JSON text. IndexedDB (and fake-indexeddb in Node, PostgreSQL's v8 rows) structured-clones a
// row on every write and every read: as objects, a 300-opportunity row is ~12,000 values to walk,
// copy and later collect; as two strings it is two copies. Measured on the 50,000-opportunity /
// 100,000-role first sync in Node (tests/bench/opportunities.bench.ts): the log's commits were the
// larger part of the engine's time, and its heap of cloned rows most of the garbage collector's.
// A reader parses only the part it needs (a state lookup never parses outcomes).
//
// Rows written before (log version 3 as first released) hold `outcomes` and `states` as arrays and
// objects; they are read as they are, never rewritten (tests/unit/db-event-row-body.test.ts).
import type { PackedStates } from './packedStates';
import type { PackedOutcome, RecordEventRow } from './types';

/** A row as written before its body became text. */
interface ObjectBodyRow {
  outcomes?: PackedOutcome[];
  states?: PackedStates;
}

type BodyOf = Pick<RecordEventRow, 'outcomesJson' | 'statesJson'>;

/** The text form of a batch's outcomes and states, as a row stores them. */
export function eventRowBody(outcomes: readonly PackedOutcome[], states?: PackedStates): BodyOf {
  return {
    outcomesJson: JSON.stringify(outcomes),
    ...(states && { statesJson: JSON.stringify(states) }),
  };
}

// Each call parses again: callers read a row's part once (the popup bundle counts every byte).

/** The row's outcomes, in the order written. */
export function rowOutcomes(row: Partial<BodyOf>): PackedOutcome[] {
  // A row has one form or the other (`outcomes` was required before).
  return row.outcomesJson ? JSON.parse(row.outcomesJson) : (row as Required<ObjectBodyRow>).outcomes;
}

/** The row's packed sync states, if it holds any. */
export function rowStates(row: Partial<BodyOf> | undefined): PackedStates | undefined {
  return row?.statesJson ? JSON.parse(row.statesJson) : (row as ObjectBodyRow | undefined)?.states;
}
