// Value rules (settings `valueRules`, docs/dashboard-errors.md): a value Salesforce refuses ("CA"
// where a validation rule or a restricted picklist wants "California") is written as the value it
// takes. Applied on the way out only — Marketo → Salesforce writes of one field of one object — and
// before the value is hashed, so the sync state holds what Salesforce stores: the pull that reads
// "California" back finds it synced, and the next push of the unchanged "CA" finds nothing to write.
// The Marketo side keeps what the marketer typed; Reconcile compares through the same rules.
import type { AppliedValueRule } from '../db/types';
import type { SyncSettings, ValueRule } from '../settings/schema';

/** The rules of one object, by lower-case field name, then by the lower-case value they replace. */
export type ObjectValueRules = ReadonlyMap<string, ReadonlyMap<string, ValueRule>>;

const NO_RULES: ObjectValueRules = new Map();

/** The value rules that apply to writes of `sobject`. */
export function valueRulesOf(settings: Pick<SyncSettings, 'valueRules'>, sobject: string): ObjectValueRules {
  const rules = settings.valueRules.filter((r) => r.object === sobject);
  if (rules.length === 0) return NO_RULES;
  const byField = new Map<string, Map<string, ValueRule>>();
  for (const rule of rules) {
    const field = rule.field.toLowerCase();
    const values = byField.get(field) ?? new Map<string, ValueRule>();
    values.set(matchKey(rule.from), rule);
    byField.set(field, values);
  }
  return byField;
}

/** Rules match the value as Salesforce would store it (trimmed), ignoring case: "ca " is "CA". */
const matchKey = (value: string) => value.trim().toLowerCase();

/**
 * `value` (already in the Salesforce field's type) with the field's rule applied, and the rule when
 * one applied. Only text is matched; numbers, booleans and empty values pass unchanged.
 */
export function applyValueRule(
  rules: ObjectValueRules,
  field: string,
  value: unknown,
): { value: unknown; applied?: AppliedValueRule } {
  if (typeof value !== 'string' || rules.size === 0) return { value };
  const rule = rules.get(field.toLowerCase())?.get(matchKey(value));
  if (!rule) return { value };
  return { value: rule.to, applied: { field, from: value, to: rule.to } };
}
