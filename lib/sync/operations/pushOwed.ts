// Owed push fields (lib/sync/owedFields.ts) as Push Updates keeps them: the person's pushed fields
// hashed as Salesforce will store them, and its state with the push fields it owes.
import type { SyncStateEntry } from '../../db/syncStateTypes';
import { salesforceHash } from '../hash';
import { type MappedField, toSalesforceValue } from '../mapping';
import { type FieldCandidate, type OwedHashes, storedOwed } from '../owedFields';
import type { LinkedPerson } from './persons';

/** A pushed field with the hash of its value as Salesforce will store it. */
export interface PushField extends FieldCandidate {
  field: MappedField;
  value: unknown;
}

/** The person's pushed fields this read has a value for, as Salesforce would store them. */
export function pushCandidates(fields: MappedField[], values: Record<string, unknown>): PushField[] {
  return fields
    .filter((f) => f.mk in values)
    .map((field) => {
      const value = toSalesforceValue(values[field.mk], field);
      return { sf: field.sf, hash: salesforceHash(value), field, value };
    });
}

/** Legacy state (`p` without `w`): the failed push's fields are unknown; the retry writes all. */
export function owedPush(entry: SyncStateEntry | undefined) {
  return entry?.w?.push;
}

/** The person's state with these push fields owed (`p` marks a push owed, for the pull's re-check). */
export function withPushOwed(person: LinkedPerson, owed: OwedHashes): SyncStateEntry {
  const entry: SyncStateEntry = { ...(person.entry ?? { f: {} }), o: person.sobject, m: person.mktoId };
  const push = storedOwed(owed);
  const w = { ...entry.w, push };
  if (!push) delete w.push;
  if (w.push || w.pull) entry.w = w;
  else delete entry.w;
  if (push) entry.p = true;
  else delete entry.p;
  return entry;
}
