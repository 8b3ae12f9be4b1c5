import type { LogDatabase } from './logPort';
import { pendingFailures, withPending } from './recordFlags';
import type { Operation, RecordFlagsRow } from './types';

/**
 * "Retry these now" (dashboard, docs/dashboard-errors.md): makes the pending failures of these
 * records in each operation due at `now`, if that failure still has the error `code` (a record whose
 * failure cleared or changed since the dashboard grouped it is left alone). Attempts are kept: the
 * retry counts as one, and a record past its last attempt gets this one more. Returns the records
 * made due, per operation. Only the retry bookkeeping changes, never the record's state.
 */
export async function scheduleRetriesNow(
  db: LogDatabase,
  ids: ReadonlyMap<Operation, readonly string[]>,
  code: string,
  now: number,
): Promise<Map<Operation, string[]>> {
  const all = [...new Set([...ids.values()].flat())];
  return db.transaction('rw', ['records'], async () => {
    const rows = new Map<string, RecordFlagsRow>();
    for (const row of await db.records.bulkGet(all)) if (row) rows.set(row.sfId, row);
    const due = new Map<Operation, string[]>();
    for (const [operation, sfIds] of ids) {
      const made: string[] = [];
      for (const sfId of sfIds) {
        const row = rows.get(sfId);
        const pending = pendingFailures(row);
        const failure = pending[operation];
        if (!row || failure?.error?.code !== code) continue;
        pending[operation] = { ...failure, nextRetryAt: now };
        rows.set(sfId, withPending(row, pending));
        made.push(sfId);
      }
      if (made.length) due.set(operation, made);
    }
    const changed = new Set([...due.values()].flat());
    await db.records.bulkPut([...changed].map((id) => rows.get(id)!));
    return due;
  });
}
