// The value-fix suggestions of one cause card: the refused values come from the failing records'
// pending Push Updates failures (the values a failed write still owes, issue 14), or from the
// message of a restricted-picklist refusal; the picklist from the describe the sync keeps.
import type { LogDatabase } from '../db/logPort';
import { pendingFailures } from '../db/recordFlags';
import type { ValueRule } from '../settings/schema';
import type { ErrorCause } from './errorCauses';
import { refusedPicklistValue, suggestionsFor, VALUE_CODES, type ValueSuggestion } from './valueSuggestions';

/** Failing records read per card for their refused values: enough to find every common value. */
const RECORDS_READ = 500;

export interface CauseSuggestion extends ValueSuggestion {
  /** A value rule for it exists already (its records are written with it on their next retry). */
  accepted: boolean;
}

/** Whether a value rule could fix this cause: a refused value of one pushed field of a person. */
export function suggestable(cause: ErrorCause): boolean {
  return (
    VALUE_CODES.has(cause.code) &&
    (cause.sobject === 'Lead' || cause.sobject === 'Contact') &&
    cause.fields !== '' &&
    !cause.fields.includes(';') &&
    cause.operations.includes('Push Updates')
  );
}

export async function causeSuggestions(
  db: LogDatabase,
  cause: ErrorCause,
  rules: readonly ValueRule[],
): Promise<CauseSuggestion[]> {
  if (!suggestable(cause)) return [];
  const field = cause.fields;
  const records = cause.records
    .filter((r) => r.failingNow && r.operation === 'Push Updates')
    .slice(0, RECORDS_READ);
  const [flags, schema] = await Promise.all([
    db.records.bulkGet(records.map((r) => r.sfId)),
    db.schemas.get(cause.sobject),
  ]);
  const values: string[] = [];
  records.forEach((record, i) => {
    const owed = pendingFailures(flags[i])['Push Updates']?.owed?.[field];
    const value = typeof owed === 'string' ? owed : refusedPicklistValue(record.message);
    if (value) values.push(value);
  });
  const info = schema?.fields.find((f) => f.name === field) ?? { name: field };
  return suggestionsFor(cause.sobject, info, values).map((s) => ({
    ...s,
    accepted: rules.some(
      (r) =>
        r.object === s.object &&
        r.field.toLowerCase() === s.field.toLowerCase() &&
        r.from.trim().toLowerCase() === s.from.trim().toLowerCase(),
    ),
  }));
}
