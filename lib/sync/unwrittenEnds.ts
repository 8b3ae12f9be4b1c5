// When the browser's storage is full, the batch that hit the quota rolls back, and the few bytes of
// a step's or cycle's end usually still fit — but not always. A cycle whose end could not be
// written keeps it here; the next cycle's recovery writes it instead of "the worker stopped".
// Kept in the worker's memory (any engine of the same worker finds it: the background builds an
// engine per cycle) and, when the engine is given one, in a store that survives the worker
// (storage.session in the extension: a separate, small quota that a full IndexedDB does not share).
import { z } from 'zod';
import type { LogDatabase } from '../db/logPort';

export interface UnwrittenEnd {
  error?: string;
  reason?: string;
}

/** A store for the ends, outliving the worker; the values it gives back are parsed here. */
export interface UnwrittenEndsStore {
  load(): Promise<unknown>;
  save(ends: Record<string, UnwrittenEnd>): Promise<void>;
}

const endsSchema = z.record(
  z.string().regex(/^\d+$/, 'a cycle id'),
  z.object({ error: z.string().optional(), reason: z.string().optional() }),
);

const inMemory = new WeakMap<LogDatabase, Map<number, UnwrittenEnd>>();

const memoryOf = (db: LogDatabase) => {
  const ends = inMemory.get(db) ?? new Map<number, UnwrittenEnd>();
  inMemory.set(db, ends);
  return ends;
};

const plain = (ends: Map<number, UnwrittenEnd>) =>
  Object.fromEntries([...ends].map(([id, end]) => [String(id), end]));

export async function keepUnwrittenEnd(
  db: LogDatabase,
  cycleId: number,
  end: UnwrittenEnd,
  store?: UnwrittenEndsStore,
): Promise<void> {
  const ends = memoryOf(db);
  ends.set(cycleId, end);
  // Memory still has it when the store refuses (the worker's own next cycle writes it).
  await store?.save(plain(ends)).catch(() => {});
}

/** The kept ends (memory, then the store's), by cycle id; a store that fails or holds junk adds nothing. */
export async function unwrittenEnds(
  db: LogDatabase,
  store?: UnwrittenEndsStore,
): Promise<Map<number, UnwrittenEnd>> {
  const ends = new Map(memoryOf(db));
  const stored = endsSchema.safeParse(await store?.load().catch(() => undefined));
  if (stored.success) {
    for (const [id, end] of Object.entries(stored.data)) {
      if (!ends.has(Number(id)))
        ends.set(Number(id), {
          ...(end.error !== undefined && { error: end.error }),
          ...(end.reason !== undefined && { reason: end.reason }),
        });
    }
  }
  return ends;
}

/** Forgets the ends once recovery wrote them. */
export async function forgetUnwrittenEnds(db: LogDatabase, store?: UnwrittenEndsStore): Promise<void> {
  memoryOf(db).clear();
  await store?.save({});
}
