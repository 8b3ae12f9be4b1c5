// Owed fields (issue 14): a write the other side refused (a Salesforce validation rule, a value
// Marketo will not take) leaves the fields it tried to write owed, per direction. A later write of
// OTHER fields of the record does not settle them — the record stays Failed until each owed field
// is written, or its source value changes (a new value is simply written, and owed if refused
// again; a value back to the synced one owes nothing).
//
// An owed field whose source value is still the refused one is held back from ordinary writes:
// both APIs refuse a record as a whole, so sending the refused value again with every later edit
// would block the record's other fields until the refusal is fixed. It is written again by the
// retry (design §5 backoff) and by "Sync now".
//
// The engine keeps hashes of owed values in the record's sync state (SyncState.owed); the values
// themselves go to the flags row's pending failure (PendingFailure.owed), which the panel shows.

/** Salesforce field → hash of the source value a write still owes. */
export type OwedHashes = Record<string, string>;

export interface FieldCandidate {
  /** Salesforce API name. */
  sf: string;
  /** Hash of the source value as the target would store it. */
  hash: string;
}

export interface FieldPlan<F extends FieldCandidate> {
  /** The fields to write now. */
  write: F[];
  /** Owed fields held back (their source is still the refused value): still owed after a success. */
  held: OwedHashes;
  /** Owed fields this outcome settles: written now, or back to the synced value (no write needed). */
  settles: string[];
  /** What the record owed before (undefined: nothing; its outcome then need not say what it settles). */
  before: OwedHashes | undefined;
}

/**
 * Which of a record's changed-looking fields to write. `synced` are the hashes both sides agreed on
 * last time; `owed` the record's owed hashes in this direction; `retry` is a due retry or Sync now;
 * `complete` says the candidates are every field the mapping syncs in this direction now (a row
 * read in full), so an owed field missing from them is no longer mapped and owes nothing.
 */
export function planFields<F extends FieldCandidate>(
  candidates: readonly F[],
  synced: Readonly<Record<string, string>> | undefined,
  owed: Readonly<OwedHashes> | undefined,
  retry: boolean,
  complete: boolean,
): FieldPlan<F> {
  const write: F[] = [];
  const held: OwedHashes = {};
  const settles: string[] = [];
  for (const field of candidates) {
    const owedHash = owed?.[field.sf];
    if (synced?.[field.sf] === field.hash) {
      if (owedHash !== undefined) settles.push(field.sf);
      continue;
    }
    if (owedHash === field.hash && !retry) {
      held[field.sf] = owedHash;
      continue;
    }
    write.push(field);
    if (owedHash !== undefined) settles.push(field.sf);
  }
  // Owed fields this read did not see stay owed as they are (a feed page names only what changed),
  // unless the read was complete: then the field is no longer mapped.
  const seen = new Set(candidates.map((f) => f.sf));
  for (const [sf, hash] of Object.entries(owed ?? {})) {
    if (seen.has(sf)) continue;
    if (complete) settles.push(sf);
    else held[sf] = hash;
  }
  const before = owed && Object.keys(owed).length > 0 ? { ...owed } : undefined;
  return { write, held, settles, before };
}

/**
 * Stands for "owed, but not blamed": written at the next chance, never held back (no hash is '').
 * A failed write owes every field it tried, but holds back only the suspects.
 */
export const NOT_HELD = '';

/**
 * The owed hashes after a write of `tried` failed. Suspects are held back: the fields the error
 * names (a Salesforce validation rule or field error names its field), else the fields that were
 * already owed and held (refused before, so refused again most likely), else all it tried (a first
 * refusal that names no field: Marketo's reasons do not). The others are owed without being held,
 * so one refused field does not keep a field that merely came along from being written.
 */
export function owedAfterFailure(
  tried: readonly FieldCandidate[],
  held: Readonly<OwedHashes>,
  before: Readonly<OwedHashes> | undefined,
  blamed: readonly string[] = [],
): OwedHashes {
  const named = tried.filter((f) => blamed.includes(f.sf));
  const repeated = tried.filter((f) => before?.[f.sf] !== undefined && before[f.sf] !== NOT_HELD);
  const suspects = new Set((named.length ? named : repeated.length ? repeated : tried).map((f) => f.sf));
  const owed: OwedHashes = { ...held };
  for (const field of tried) owed[field.sf] = suspects.has(field.sf) ? field.hash : NOT_HELD;
  return owed;
}

/** `owed` as stored: undefined when nothing is owed. */
export function storedOwed(owed: OwedHashes): OwedHashes | undefined {
  return Object.keys(owed).length ? owed : undefined;
}
