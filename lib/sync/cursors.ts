// Cursor keys and helpers. Salesforce cursors are SystemModstamp high-watermarks read back with a
// lookback window (late commits can carry an earlier SystemModstamp than rows already seen; the
// duplicates the lookback brings are skipped by the hash). Marketo cursors are paging tokens.
import type { SyncLogDatabase } from '../db/database';

/** How far behind the high-watermark a pull re-reads (design §5: "some minutes"). */
export const LOOKBACK_MS = 5 * 60_000;

export const cursorKeys = {
  pull: (sobject: string) => `pull:${sobject}`,
  deleted: (sobject: string) => `deleted:${sobject}`,
  conversions: 'conversions:Lead',
  /** Accounts Pull Deletes removed whose persons' account links Update FKs has yet to clear (JSON). */
  fkDeletedAccounts: 'fk:deleted-accounts',
  pushPersons: 'push:persons',
  pushTasks: 'push:tasks',
  /** Written before Push New creates Tasks, cleared with the batch: a resume checks for duplicates. */
  pushTasksIntent: 'intent:push:tasks',
};

export async function readCursor(db: SyncLogDatabase, key: string): Promise<string | undefined> {
  return (await db.cursors.get(key))?.value;
}

export async function writeCursor(db: SyncLogDatabase, key: string, value: string, at: number) {
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
 * A pull cursor: the SystemModstamp high-watermark, then '|', then '*' when the read that reached
 * it began within the watermark's own second (Salesforce stamps to the second, so a row changed
 * later in that second keeps the same stamp; the change probe must then ask `>=`, see changes.ts).
 */
export function formatPullCursor(at: number, settled: boolean): string {
  return `${new Date(at).toISOString()}|${settled ? '' : '*'}`;
}

export function parsePullCursor(value: string | undefined): { at: number; settled: boolean } | undefined {
  if (!value) return undefined;
  const [iso, flag = ''] = value.split('|');
  return { at: Date.parse(iso!), settled: flag !== '*' };
}
