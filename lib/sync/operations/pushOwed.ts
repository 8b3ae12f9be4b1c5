// Owed push fields (lib/sync/owedFields.ts) as Push Updates keeps them: the person's pushed fields
// hashed as Salesforce will store them, and its state with the push fields it owes.
import type { SyncState } from '../../db/syncStateTypes';
import type { AppliedValueRule } from '../../db/types';
import { salesforceHash } from '../hash';
import { type MappedField, toSalesforceValue } from '../mapping';
import { type FieldCandidate, type OwedHashes, storedOwed } from '../owedFields';
import { applyValueRule, type ObjectValueRules } from '../valueRules';
import type { LinkedPerson } from './persons';

/** A pushed field with the hash of its value as Salesforce will store it. */
export interface PushField extends FieldCandidate {
  field: MappedField;
  value: unknown;
  /** The value rule that replaced Marketo's value (valueRules.ts), if one did. */
  rule?: AppliedValueRule;
}

/**
 * The person's pushed fields this read has a value for, as Salesforce would store them: in the
 * field's type, with the object's value rules applied (valueRules.ts) before hashing.
 */
export function pushCandidates(
  fields: MappedField[],
  values: Record<string, unknown>,
  rules: ObjectValueRules,
): PushField[] {
  return fields
    .filter((f) => f.mk in values)
    .map((field) => {
      const ruled = applyValueRule(rules, field.sf, toSalesforceValue(values[field.mk], field));
      const candidate: PushField = {
        sf: field.sf,
        hash: salesforceHash(ruled.value),
        field,
        value: ruled.value,
      };
      if (ruled.applied) candidate.rule = ruled.applied;
      return candidate;
    });
}

/** A state written before owed fields were kept has pushOwed only: its retry writes every field that differs. */
export function owedPush(entry: SyncState | undefined) {
  return entry?.owed?.push;
}

/** The person's state with these push fields owed (pushOwed marks it, for the pull's re-check). */
export function withPushOwed(person: LinkedPerson, owed: OwedHashes): SyncState {
  const entry: SyncState = {
    ...(person.entry ?? { hashes: {} }),
    sobject: person.sobject,
    marketoId: person.mktoId,
  };
  const push = storedOwed(owed);
  const w = { ...entry.owed, push };
  if (!push) delete w.push;
  if (w.push || w.pull) entry.owed = w;
  else delete entry.owed;
  if (push) entry.pushOwed = true;
  else delete entry.pushOwed;
  return entry;
}
