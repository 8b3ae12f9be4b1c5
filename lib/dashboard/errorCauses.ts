// Errors by cause (dashboard section 3, docs/dashboard-errors.md): the failed outcomes in the log
// (the failures table, which retention keeps to its window) grouped by cause — the Salesforce
// object, the error code and the fields it names — with each cause's affected records. Reads only
// the compact column-wise failure rows and the `state` index's keys, never a batch row or a flags
// row: 100,000 failures group in well under the 500 ms target (tests/bench/dashboard-errors.bench.ts).
import type { SyncLogDatabase } from '../db/database';
import type { FailureRow, ObjectType, Operation } from '../db/types';
import { salesforceObjectOf } from '../export/recordUrl';

/** What makes two failures the same cause. `fields` is the error's fields joined with "; " ('' for none). */
export interface CauseKey {
  sobject: string;
  code: string;
  fields: string;
}

/** One record a cause affected, as of its newest failure with that cause. */
export interface AffectedRecord {
  sfId: string;
  name?: string;
  mktoId?: number;
  /** The dashboard's object type of the failing step ("Person" for leads and contacts). */
  objectType: ObjectType;
  operation: Operation;
  at: number;
  attempts: number;
  message: string;
  /** The record is still failing, and its newest failure in that operation is this cause. */
  failingNow: boolean;
}

export interface ErrorCause extends CauseKey {
  /** `sobject|code|fields`: the card's key, and what "Retry these now" and the export name. */
  key: string;
  /** The newest failure's message. */
  message: string;
  /** Failed outcomes with this cause in the log's window. */
  failures: number;
  /** Its records, newest failure first. */
  records: AffectedRecord[];
  /** How many of them are still failing with it. */
  failingNow: number;
  operations: Operation[];
  firstAt: number;
  lastAt: number;
}

export const causeKey = (k: CauseKey): string => `${k.sobject}|${k.code}|${k.fields}`;

/** The cause key from its text form (a message's request), or undefined when malformed. */
export function parseCauseKey(key: string): CauseKey | undefined {
  const parts = key.split('|');
  if (parts.length !== 3 || !parts[0] || !parts[1]) return undefined;
  return { sobject: parts[0], code: parts[1], fields: parts[2]! };
}

/** The object a failure belongs to: its Salesforce object by id prefix, else the step's object type. */
const sobjectOf = (objectType: ObjectType, sfId: string) =>
  salesforceObjectOf(objectType, sfId) ?? objectType;

/**
 * Groups failure rows by cause. `failing` holds the records whose flags say failed (the `state`
 * index): a record counts as failing now with a cause when it is failing and its newest failure in
 * that operation had this cause (a success in that operation would have cleared it; a newer failure
 * with another cause replaced it). Causes come out with the most records failing now first.
 */
export function groupFailures(rows: readonly FailureRow[], failing: ReadonlySet<string>): ErrorCause[] {
  const causes = new Map<string, ErrorCause & { seen: Map<string, AffectedRecord> }>();
  /** Newest cause per record and operation: `sfId|operation` → cause key. */
  const newest = new Map<string, string>();
  const ordered = [...rows].sort((a, b) => b.id - a.id);
  for (const row of ordered) {
    for (let i = 0; i < row.sfIds.length; i++) {
      const sfId = row.sfIds[i]!;
      const sobject = sobjectOf(row.objectType, sfId);
      const code = row.codes[i]!;
      const fields = row.fields[i] ?? '';
      const key = `${sobject}|${code}|${fields}`;
      let cause = causes.get(key);
      if (!cause) {
        cause = {
          key,
          sobject,
          code,
          fields,
          message: row.messages[i]!,
          failures: 0,
          records: [],
          failingNow: 0,
          operations: [],
          firstAt: row.at,
          lastAt: row.at,
          seen: new Map(),
        };
        causes.set(key, cause);
      }
      cause.failures++;
      cause.firstAt = row.at;
      if (!cause.operations.includes(row.operation)) cause.operations.push(row.operation);
      const slot = `${sfId}|${row.operation}`;
      const isNewest = !newest.has(slot);
      if (isNewest) newest.set(slot, key);
      const known = cause.seen.get(sfId);
      const failingNow = isNewest && failing.has(sfId);
      if (known) {
        if (failingNow && !known.failingNow) {
          known.failingNow = true;
          cause.failingNow++;
        }
        continue;
      }
      const name = row.names[i];
      const mktoId = row.mktoIds[i];
      const record: AffectedRecord = {
        sfId,
        objectType: row.objectType,
        operation: row.operation,
        at: row.at,
        attempts: row.attempts[i]!,
        message: row.messages[i]!,
        failingNow,
        ...(name != null && { name }),
        ...(mktoId != null && { mktoId }),
      };
      cause.seen.set(sfId, record);
      cause.records.push(record);
      if (failingNow) cause.failingNow++;
    }
  }
  return [...causes.values()]
    .map(({ seen: _seen, ...cause }) => cause)
    .sort(
      (a, b) => b.failingNow - a.failingNow || b.records.length - a.records.length || b.lastAt - a.lastAt,
    );
}

/** The log's failures grouped by cause (a live query's body on the dashboard). */
export async function errorCauses(db: SyncLogDatabase): Promise<ErrorCause[]> {
  const [rows, failing] = await db.transaction('r', [db.failures, db.records], () =>
    Promise.all([db.failures.toArray(), db.records.where('state').equals('failed').primaryKeys()]),
  );
  return groupFailures(rows, new Set(failing));
}
