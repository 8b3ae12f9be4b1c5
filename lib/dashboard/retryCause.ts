// "Retry these now" on a cause card (docs/dashboard-errors.md): the cause's records that are still
// failing with it are made due now (lib/db/retryRequests.ts) and a cycle retries them first, even
// while automatic retries are paused (lib/sync/retryPause.ts) — the admin asked for exactly these.
import type { LogDatabase } from '../db/logPort';
import { scheduleRetriesNow } from '../db/retryRequests';
import type { Operation } from '../db/types';
import type { RetryCauseAnswer, SyncRequestResult } from '../messaging/views';
import { RETRIES_PER_CYCLE } from '../sync/retryPause';
import { errorCauses } from './errorCauses';

/** The operations that retry failed records (design §5.6); other steps have no per-record retry. */
export const RETRYABLE_OPERATIONS: readonly Operation[] = ['Pull Updates', 'Push Updates', 'Push New'];

export async function retryCause(
  db: LogDatabase,
  key: string,
  now: number,
  /** Starts the cycle that retries them (the scheduler's retryNow). */
  run: (retryNow: Partial<Record<Operation, string[]>>) => Promise<SyncRequestResult>,
): Promise<RetryCauseAnswer> {
  const cause = (await errorCauses(db)).find((c) => c.key === key);
  const ids = new Map<Operation, string[]>();
  for (const record of cause?.records ?? []) {
    if (!record.failingNow || !RETRYABLE_OPERATIONS.includes(record.operation)) continue;
    const list = ids.get(record.operation) ?? [];
    list.push(record.sfId);
    ids.set(record.operation, list);
  }
  if (!cause || ids.size === 0) return { records: 0 };
  const due = await scheduleRetriesNow(db, ids, cause.code, now);
  const records = [...due.values()].reduce((n, list) => n + list.length, 0);
  if (records === 0) return { records };
  // The cycle takes the first RETRIES_PER_CYCLE of each operation at once; the rest are due now
  // and follow with the next cycles' retries.
  const first = Object.fromEntries([...due].map(([op, list]) => [op, list.slice(0, RETRIES_PER_CYCLE)]));
  return { records, cycle: await run(first) };
}
