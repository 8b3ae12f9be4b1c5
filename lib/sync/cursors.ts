// Cursor keys and helpers (docs/engine-cursors.md). Salesforce pull cursors are positions in the
// (SystemModstamp, Id) order, so a resume and the change probe start exactly after the last row
// applied, however many rows share one second; the pull itself re-reads a lookback window behind
// the position (late commits can carry an earlier SystemModstamp than rows already seen; what the
// lookback brings again is skipped by the hash). Marketo cursors are paging tokens.
import type { LogDatabase } from '../db/logPort';

/** How far behind the high-watermark a pull re-reads (design §5: "some minutes"). */
export const LOOKBACK_MS = 5 * 60_000;

export const cursorKeys = {
  pull: (sobject: string) => `pull:${sobject}`,
  deleted: (sobject: string) => `deleted:${sobject}`,
  conversions: 'conversions:Lead',
  /** Accounts Pull Deletes removed whose persons' account links Update FKs has yet to clear (JSON). */
  fkDeletedAccounts: 'fk:deleted-accounts',
  /**
   * When the Marketo feeds start for a log that has no token yet (ISO, whole seconds), written before
   * the first token is asked for (operations/pushFeed.ts startToken).
   */
  feedStart: 'push:start',
  /**
   * The log's first cycle's start (ISO) while Push New has yet to read the activities from then to
   * `push:start` (operations/pushNewCatchUp.ts); removed when it has.
   */
  pushTasksSince: 'push:tasks:since',
  /** Push New's paging token in that catch-up read. */
  pushTasksCatchUp: 'push:tasks:catchup',
  /** Push Updates Lead (before per-object steps: both objects, so a first Contact step starts there). */
  pushPersons: 'push:persons',
  /** Push Updates Contact. */
  pushContacts: 'push:contacts',
  pushTasks: 'push:tasks',
  /** Written before Push New creates Tasks, cleared with the batch: a resume checks for duplicates. */
  pushTasksIntent: 'intent:push:tasks',
};

export async function readCursor(db: LogDatabase, key: string): Promise<string | undefined> {
  return (await db.cursors.get(key))?.value;
}

export async function writeCursor(db: LogDatabase, key: string, value: string, at: number) {
  await db.cursors.put({ key, value, updatedAt: at });
}

/** Salesforce SOQL datetime literal (UTC, no quotes). */
export function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses SystemModstamp as Salesforce writes it (`…+0000`). */
export function parseSalesforceDate(text: unknown): number {
  if (typeof text !== 'string') return Number.NaN;
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/**
 * A Salesforce pull cursor: a position in the total order (SystemModstamp, Id) that the pulls read
 * in (`ORDER BY SystemModstamp, Id`). Every row at or before the position has been applied; the
 * rows after it are the backlog. `id` absent means "none of second `at` is known to be applied":
 * the backlog starts at `SystemModstamp >= at`. That is also how a position in the read's own
 * second is stored, because a row changed later within that second keeps the same stamp whatever
 * its Id (Salesforce stamps to the second) and could sort before the last Id we saw.
 */
export interface PullPosition {
  at: number;
  id?: string;
}

/** Stored as `<ISO time>|<18-char Id or empty>`. */
export function formatPullCursor(position: PullPosition): string {
  return `${new Date(position.at).toISOString()}|${position.id ?? ''}`;
}

/**
 * Reads a stored pull cursor. Cursors written before positions existed (`<ISO>|` and `<ISO>|*`,
 * a high-watermark with a "settled" flag) read as a position without an Id: that whole second is
 * read again once, which is exact (its rows already applied hash as unchanged and are skipped).
 */
export function parsePullCursor(value: string | undefined): PullPosition | undefined {
  if (!value) return undefined;
  const bar = value.indexOf('|');
  const at = Date.parse(bar < 0 ? value : value.slice(0, bar));
  if (Number.isNaN(at)) return undefined;
  const id = bar < 0 ? '' : value.slice(bar + 1);
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) ? { at, id } : { at };
}

/** SOQL condition for the rows after a position, in the (SystemModstamp, Id) order. */
export function afterPosition(position: PullPosition): string {
  const at = soqlDateTime(position.at);
  if (!position.id) return `SystemModstamp >= ${at}`;
  return `(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > '${position.id}'))`;
}

/**
 * The position to store once `last` (the last row applied, in stream order) is applied, for a
 * read that began at `readStartedAt`: a position inside the read's own second drops its Id.
 */
export function settledPosition(last: PullPosition, readStartedAt: number): PullPosition {
  return Math.floor(readStartedAt / 1000) > Math.floor(last.at / 1000) ? last : { at: last.at };
}
