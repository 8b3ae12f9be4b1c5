// Owed pull fields (lib/sync/owedFields.ts) as Pull Updates keeps them: which fields a record that
// owes some writes now, what its state and failure outcome say after the write.
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome, RecordError } from '../../db/types';
import { valueHash } from '../hash';
import { type MappedField, toMarketoValue } from '../mapping';
import {
  type FieldCandidate,
  type OwedHashes,
  owedAfterFailure,
  planFields,
  storedOwed,
} from '../owedFields';
import type { PendingWrite, PullRow, PullSetup } from './pullBatch';

export interface PullOwed {
  /** Still owed after this write succeeds (held back). */
  held: OwedHashes;
  /** No longer owed once this write succeeds; undefined when the record owed nothing. */
  settles: string[] | undefined;
  /** What the record owed before this write. */
  before: OwedHashes | undefined;
}

/** The pull fields a record owes after its write failed with `error`. */
export function owedAfterPullFailure(write: PendingWrite, error: RecordError | undefined): OwedHashes {
  const tried = write.fields.map((f) => ({ sf: f.sf, hash: write.hashes[f.sf]! }));
  return owedAfterFailure(tried, write.owed.held, write.owed.before, error?.fields);
}

/** The record's state with these pull fields owed. */
export function withPullOwed(entry: SyncState, owed: OwedHashes): SyncState {
  const pull = storedOwed(owed);
  if (!pull && !entry.owed?.pull) return entry; // the common case: nothing owed before or after
  const w = { ...entry.owed, pull };
  if (!pull) delete w.pull;
  const next: SyncState = { ...entry };
  if (w.push || w.pull) next.owed = w;
  else delete next.owed;
  return next;
}

/** The outcome fields of a failed pull write: the fields owed and their values (Salesforce names). */
export function pullFailure(write: PendingWrite): Pick<PackedOutcome, 'owes' | 'settles'> {
  const owes = Object.fromEntries(write.fields.map((f) => [f.sf, write.values[f.mk] ?? null]));
  return { owes, ...(write.owed.settles && { settles: write.owed.settles }) };
}

/** A pulled field with its value in Marketo's form and that value's hash. */
interface PullField extends FieldCandidate {
  field: MappedField;
  value: unknown;
}

/** Which fields a record that owes pulled fields writes now (owedFields.ts). */
export function planOwed(setup: PullSetup, row: PullRow, state: SyncState, owed: OwedHashes) {
  const candidates = setup.mapping.pull.map((field): PullField => {
    const value = toMarketoValue(row[field.sf], field);
    return { sf: field.sf, hash: valueHash(value), field, value };
  });
  return planFields(candidates, state.hashes, owed, setup.retry === true, true);
}
