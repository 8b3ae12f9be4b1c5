// Errors by cause (dashboard section 3, docs/dashboard-errors.md): the failed outcomes in the log
// (the failures table, which retention keeps to its window) grouped by cause — the Salesforce
// object, the error code and the fields it names — with each cause's affected records. Reads only
// the compact column-wise failure rows and the `state` index's keys, never a batch row or a flags
// row: 100,000 failures group in well under the 500 ms target (tests/bench/dashboard-errors.bench.ts).
import type { LogDatabase } from '../db/logPort';
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
  /** This cause is the record's newest failure in that operation. */
  latest: boolean;
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
  /** How many of them are still failing with it (0 until withFailing says). */
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
 * Groups failure rows by cause, newest failure first. A record's failure is `latest` when it is the
 * record's newest failure in that operation: a success in that operation would have cleared it
 * (the record is then no longer failing), a newer failure with another cause replaced it. Whether
 * it is failing now comes from the records' flags (withFailing), read apart: the `state` index read
 * costs as much as the failures themselves, so the cards show before it answers.
 */
export function groupFailures(rows: readonly FailureRow[]): ErrorCause[] {
  // Written for 100,000 failures within the dashboard's budget (tests/bench/dashboard-errors.bench.ts):
  // causes are found through nested maps (object, code, fields: no key string built per failure,
  // half the time of one map by joined key), and a record's entry is made once per cause.
  const causes = new Map<string, Map<string, Map<string, ErrorCause>>>();
  const all: ErrorCause[] = [];
  const seen = new Map<ErrorCause, Map<string, AffectedRecord>>();
  /** Per operation, the records whose newest failure in it was seen already. */
  const newest = new Map<Operation, Set<string>>();
  const ordered = [...rows].sort((a, b) => b.id - a.id);
  for (const row of ordered) {
    const { operation, objectType, at } = row;
    const latestOf = newest.get(operation) ?? new Set<string>();
    newest.set(operation, latestOf);
    for (let i = 0; i < row.sfIds.length; i++) {
      const sfId = row.sfIds[i]!;
      const sobject = sobjectOf(objectType, sfId);
      const code = row.codes[i]!;
      const fields = row.fields[i] ?? '';
      const byFields = innerMap(innerMap(causes, sobject), code);
      let cause = byFields.get(fields);
      if (!cause) {
        cause = newCause(`${sobject}|${code}|${fields}`, sobject, code, fields, row.messages[i]!, at);
        byFields.set(fields, cause);
        all.push(cause);
        seen.set(cause, new Map());
      }
      cause.failures++;
      cause.firstAt = at;
      if (!cause.operations.includes(operation)) cause.operations.push(operation);
      const latest = !latestOf.has(sfId);
      if (latest) latestOf.add(sfId);
      const records = seen.get(cause)!;
      const known = records.get(sfId);
      if (known) {
        // An older failure of the record with this cause, newest in another operation.
        if (latest && !known.latest) {
          known.latest = true;
          known.operation = operation;
        }
        continue;
      }
      const record: AffectedRecord = {
        sfId,
        objectType,
        operation,
        at,
        attempts: row.attempts[i]!,
        message: row.messages[i]!,
        latest,
        failingNow: false,
      };
      const name = row.names[i];
      const mktoId = row.mktoIds[i];
      if (name != null) record.name = name;
      if (mktoId != null) record.mktoId = mktoId;
      records.set(sfId, record);
      cause.records.push(record);
    }
  }
  return sortCauses(all);
}

/** The map under `key`, made when there is none. */
function innerMap<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

function newCause(key: string, sobject: string, code: string, fields: string, message: string, at: number) {
  const cause: ErrorCause = {
    key,
    sobject,
    code,
    fields,
    message,
    failures: 0,
    records: [],
    failingNow: 0,
    operations: [],
    firstAt: at,
    lastAt: at,
  };
  return cause;
}

/** Most records failing now first, then the most records, then the newest. */
const sortCauses = (causes: ErrorCause[]) =>
  causes.sort(
    (a, b) =>
      b.failingNow - a.failingNow ||
      b.records.length - a.records.length ||
      b.lastAt - a.lastAt ||
      a.key.localeCompare(b.key),
  );

/**
 * The causes with what is failing now: a record is failing now with a cause when its flags say
 * failed (`failing`, the `state` index) and that cause is its newest failure in that operation.
 */
export function withFailing(causes: readonly ErrorCause[], failing: ReadonlySet<string>): ErrorCause[] {
  return sortCauses(
    causes.map((cause) => {
      let failingNow = 0;
      // Set on the grouped records in place (tens of thousands of copies otherwise); every record
      // is set each time, so a later call with another set leaves no stale flag.
      for (const record of cause.records) {
        record.failingNow = record.latest && failing.has(record.sfId);
        if (record.failingNow) failingNow++;
      }
      return { ...cause, failingNow };
    }),
  );
}

/** The failure rows of the log (retention keeps them to its window). */
export const failureRows = (db: LogDatabase): Promise<FailureRow[]> => db.failures.toArray();

/** The records whose flags say failed (a key-only read of the `state` index). */
export async function failingRecords(db: LogDatabase): Promise<Set<string>> {
  return new Set(await db.records.where('state').equals('failed').primaryKeys());
}

/** The log's failures grouped by cause, with what is failing now (the background's view of them). */
export async function errorCauses(db: LogDatabase): Promise<ErrorCause[]> {
  const [rows, failing] = await db.transaction('r', ['failures', 'records'], () =>
    Promise.all([failureRows(db), failingRecords(db)]),
  );
  return withFailing(groupFailures(rows), failing);
}
