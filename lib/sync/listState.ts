// A list kept in the log as one sync state — a contact's opportunity roles, a person's activities
// sent to Marketo, the Tasks the sync made for a person — stored as ONE hash field holding the
// entries as JSON pairs (id, text). A batch row packs its states in columns, one per field name
// across the whole batch (lib/db/packedStates.ts): a field per entry id gave every state of a batch
// a column for each entry of every list in it (a role batch: ~3,000 columns, 9 MB rows, the
// 50,000-opportunity first sync 11 × the bare script). Lists stored the first way (a field per
// entry) are still read.
import type { SyncState } from '../db/syncStateTypes';

const LIST_FIELDS = ['list', 'roles'] as const;

/** The list's entries, id → text, in either stored form. */
export function listEntries(state: SyncState | null | undefined): Map<string, string> {
  const hashes = state?.hashes ?? {};
  const field = LIST_FIELDS.find((f) => hashes[f] !== undefined);
  if (field === undefined) return new Map(Object.entries(hashes));
  try {
    const parsed: unknown = JSON.parse(hashes[field]!);
    if (!Array.isArray(parsed)) return new Map();
    return new Map(
      parsed.filter(
        (e): e is [string, string] =>
          Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string',
      ),
    );
  } catch {
    // A damaged list reads as empty (the panel shows none) rather than failing the step or panel.
    return new Map();
  }
}

/** The state that stores `entries` (null: no entries left, the state is removed). */
export function listState(sobject: string, entries: ReadonlyMap<string, string>): SyncState | null {
  return entries.size ? { sobject, hashes: { list: JSON.stringify([...entries]) } } : null;
}
