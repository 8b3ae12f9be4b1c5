// Server-side query cursors. A locator holds the matched rows (references, not copies) and
// each page is a slice, so paging 100k rows costs O(page) per call (api-facts A4).
import { IdFactory } from '../ids';
import type { QueryResult } from '../soql/evaluate';

export interface Cursor {
  id: string;
  result: QueryResult;
  userId: string;
  createdAt: number;
  /** Page size fixed by the request that opened the cursor. */
  batchSize?: number;
}

/** v56+: cursors live about two days; older versions 15 minutes idle. We keep two days. */
const CURSOR_LIFETIME_MS = 2 * 24 * 3600_000;
const MAX_OPEN_CURSORS = 200;

export class LocatorStore {
  private readonly cursors = new Map<string, Cursor>();
  private readonly ids = new IdFactory();

  constructor(private readonly now: () => number) {}

  open(result: QueryResult, userId: string): Cursor {
    if (this.cursors.size >= MAX_OPEN_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
    const cursor: Cursor = { id: this.ids.next('01g'), result, userId, createdAt: this.now() };
    this.cursors.set(cursor.id, cursor);
    return cursor;
  }

  get(id: string, userId: string): Cursor | undefined {
    const cursor = this.cursors.get(id);
    if (!cursor || cursor.userId !== userId) return undefined;
    if (this.now() - cursor.createdAt > CURSOR_LIFETIME_MS) {
      this.cursors.delete(id);
      return undefined;
    }
    return cursor;
  }

  close(id: string): void {
    this.cursors.delete(id);
  }

  clear(): void {
    this.cursors.clear();
  }
}
