// Value-fix suggestions (dashboard section 3, docs/dashboard-errors.md): for a cause that is a
// value Salesforce refused — a validation rule, a restricted picklist — the value it would take
// instead, found from the picklist's own values (the describe the sync keeps) or, for state and
// country fields, the standard name of a code ("CA" → "California"). The admin accepts one as a
// value rule (settings `valueRules`), applied to Marketo → Salesforce writes from then on.
import type { SchemaFieldInfo } from '../db/types';
import { standardName } from './standardValues';

/** Causes whose failing value a value rule can replace. */
export const VALUE_CODES = new Set([
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
]);

export interface ValueSuggestion {
  /** Salesforce object and field (API names). */
  object: string;
  field: string;
  from: string;
  to: string;
  /** Records failing now with this value. */
  records: number;
  /** Where the value comes from, in words. */
  why: string;
}

/** The value a refused `value` of `field` should probably be, and why; undefined when unsure. */
export function suggestValue(
  field: Pick<SchemaFieldInfo, 'name' | 'picklist'>,
  value: string,
): { to: string; why: string } | undefined {
  const typed = value.trim();
  if (!typed) return undefined;
  const picklist = field.picklist;
  const named = standardName(field.name, typed);
  if (!picklist?.length) return named ? { to: named, why: `the standard name of "${typed}"` } : undefined;
  const lower = typed.toLowerCase();
  const same = picklist.filter((v) => v.toLowerCase() === lower);
  if (same.length === 1 && same[0] !== typed) return { to: same[0]!, why: 'the picklist value, in its case' };
  if (named) {
    const listed = picklist.find((v) => v.toLowerCase() === named.toLowerCase());
    if (listed) return { to: listed, why: `the picklist's name for "${typed}"` };
  }
  const bare = squash(typed);
  const squashed = picklist.filter((v) => squash(v) === bare);
  if (squashed.length === 1)
    return { to: squashed[0]!, why: 'the picklist value, spelled as the picklist does' };
  if (typed.length >= 3) {
    const starting = picklist.filter((v) => v.toLowerCase().startsWith(lower));
    if (starting.length === 1)
      return { to: starting[0]!, why: `the only picklist value starting "${typed}"` };
  }
  return nearest(picklist, typed);
}

/** Letters and digits only, lower case: "Follow-up " and "followup" are one. */
const squash = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** The one picklist value within a small edit distance (a typo), or undefined when none or a tie. */
function nearest(picklist: readonly string[], typed: string): { to: string; why: string } | undefined {
  const limit = Math.max(1, Math.floor(typed.length / 4));
  const scored = picklist
    .map((v) => ({ v, d: editDistance(v.toLowerCase(), typed.toLowerCase()) }))
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d);
  if (scored.length === 0 || (scored.length > 1 && scored[1]!.d === scored[0]!.d)) return undefined;
  return {
    to: scored[0]!.v,
    why: `the nearest picklist value (${scored[0]!.d} letter${scored[0]!.d === 1 ? '' : 's'} apart)`,
  };
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length]!;
}

/** The value in a restricted-picklist message ("Product Interest: bad value for restricted picklist field: x"). */
export function refusedPicklistValue(message: string): string | undefined {
  const match = /bad value for restricted picklist field: (.*)$/.exec(message);
  return match?.[1]?.trim() || undefined;
}

/**
 * Suggestions for one cause: each refused value (with how many records failing now hold it) that
 * has a likely replacement. `values` are the refused values of `field`, one per failing record.
 */
export function suggestionsFor(
  object: string,
  field: Pick<SchemaFieldInfo, 'name' | 'picklist'>,
  values: readonly string[],
): ValueSuggestion[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const out: ValueSuggestion[] = [];
  for (const [from, records] of counts) {
    const found = suggestValue(field, from);
    if (found) out.push({ object, field: field.name, from, to: found.to, records, why: found.why });
  }
  return out.sort((a, b) => b.records - a.records);
}
