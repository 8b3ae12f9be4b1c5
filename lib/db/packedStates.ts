import type { SyncState, SyncStateEntry } from './syncStateTypes';

// A batch row's sync states, column by column (index i of every array is the record ids[i]).
// IndexedDB's structured clone writes every object and every key string: 300 entries of
// { o, f: { nine field names: hash }, m, k } cost ~15–20 % more per batch commit in Chromium than
// the same data as a few arrays (tests/bench/log.bench.ts), and the field names are the same for
// all of a batch's records anyway. The indexed Marketo id is not stored: a stored link is always
// indexed (writeBatch indexes every new one, retention keeps them), so it is the state's marketoId.
// The rarer parts keep the stored one-letter keys (SyncStateEntry); readers get a SyncState.

type Rest = Pick<SyncStateEntry, 'a' | 'x' | 'p' | 'c' | 'w' | 'n'>;

export interface PackedStates {
  ids: string[];
  /** The Salesforce fields hashed, in the order of each record's `hashes`. */
  fields: string[];
  /** Per record: its hashes in `fields` order (null: no hash for that field); null: state dropped. */
  hashes: ((string | null)[] | null)[];
  o: string[];
  m: (number | null)[];
  /** The rarer parts (a, x, p, c, w, n) by index: most records have none. */
  rest: Record<number, Rest>;
}

export function packStates(states: ReadonlyMap<string, SyncState | null>): PackedStates {
  const fieldIndex = new Map<string, number>();
  // for…in over the hashes, not Object.keys/entries: an array per record and a pair per field
  // were ~150 MB of a 100,000-lead first sync's allocations.
  for (const state of states.values()) {
    if (state)
      for (const field in state.hashes) if (!fieldIndex.has(field)) fieldIndex.set(field, fieldIndex.size);
  }
  const packed: PackedStates = {
    ids: [],
    fields: [...fieldIndex.keys()],
    hashes: [],
    o: [],
    m: [],
    rest: {},
  };
  for (const [id, state] of states) {
    const i = packed.ids.push(id) - 1;
    if (!state) {
      packed.hashes.push(null);
      packed.o.push('');
      packed.m.push(null);
      continue;
    }
    const hashes: (string | null)[] = new Array(fieldIndex.size).fill(null);
    for (const field in state.hashes) hashes[fieldIndex.get(field)!] = state.hashes[field]!;
    packed.hashes.push(hashes);
    packed.o.push(state.sobject);
    packed.m.push(state.marketoId ?? null);
    const { accountId: a, excluded: x, pushOwed: p, convertedTo: c, owed: w, syncedNumbers: n } = state;
    const rare = [a, x, p, c, w, n];
    if (rare.some((part) => part !== undefined)) {
      packed.rest[i] = {
        ...(a !== undefined && { a }),
        ...(x !== undefined && { x }),
        ...(p !== undefined && { p }),
        ...(c !== undefined && { c }),
        ...(w !== undefined && { w }),
        ...(n !== undefined && { n }),
      };
    }
  }
  return packed;
}

/** The state at index i (null: the state was dropped). */
export function stateAt(packed: PackedStates, i: number): SyncState | null {
  const hashes = packed.hashes[i];
  if (!hashes) return null;
  const f: Record<string, string> = {};
  hashes.forEach((hash, j) => {
    if (hash !== null) f[packed.fields[j]!] = hash;
  });
  const state: SyncState = { sobject: packed.o[i]!, hashes: f };
  const m = packed.m[i];
  if (m !== null && m !== undefined) {
    state.marketoId = m;
    state.indexedMarketoId = m;
  }
  const rest = packed.rest[i];
  if (rest) {
    if (rest.a !== undefined) state.accountId = rest.a;
    if (rest.x !== undefined) state.excluded = rest.x;
    if (rest.p !== undefined) state.pushOwed = rest.p;
    if (rest.c !== undefined) state.convertedTo = rest.c;
    if (rest.w !== undefined) state.owed = rest.w;
    if (rest.n !== undefined) state.syncedNumbers = rest.n;
  }
  return state;
}

/** Every state of a row, in order. */
export function* packedEntries(packed: PackedStates | undefined): Generator<[string, SyncState | null]> {
  if (!packed) return;
  for (let i = 0; i < packed.ids.length; i++) yield [packed.ids[i]!, stateAt(packed, i)];
}

/** The state of one record (undefined: the row holds no state for it). */
export function stateOf(packed: PackedStates | undefined, sfId: string): SyncState | null | undefined {
  if (!packed) return undefined;
  const i = packed.ids.indexOf(sfId);
  return i < 0 ? undefined : stateAt(packed, i);
}
