// Export of one cause's failures (a cause card's "Export CSV"): the sync-errors CSV of the popup
// (lib/export/failuresCsv.ts: same columns, formula escaping, every cell quoted), restricted to the
// failures with that cause, newest batch first.

import type { FailureBatch } from '../db/failures';
import type { LogDatabase } from '../db/logPort';
import type { FailureRow } from '../db/types';
import { failureCsvFileName, failureCsvPartsOfBatches } from '../export/failuresCsv';
import { salesforceObjectOf } from '../export/recordUrl';

/** The failures of `rows` whose cause key (errorCauses.ts) is `key`, batch by batch, newest first. */
export function causeBatches(rows: readonly FailureRow[], key: string): FailureBatch[] {
  const out: FailureBatch[] = [];
  for (const row of [...rows].sort((a, b) => b.id - a.id)) {
    const picked: number[] = [];
    for (let i = 0; i < row.sfIds.length; i++) {
      const sobject = salesforceObjectOf(row.objectType, row.sfIds[i]!) ?? row.objectType;
      if (`${sobject}|${row.codes[i]}|${row.fields[i] ?? ''}` === key) picked.push(i);
    }
    if (picked.length === 0) continue;
    const take = <T>(column: readonly T[]) => picked.map((i) => column[i]!);
    out.push({
      cycleId: row.cycleId,
      at: row.at,
      operation: row.operation,
      objectType: row.objectType,
      sfIds: take(row.sfIds),
      mktoIds: picked.map((i) => row.mktoIds[i] ?? null),
      names: picked.map((i) => row.names[i] ?? null),
      codes: take(row.codes),
      messages: take(row.messages),
      fields: take(row.fields),
      attempts: take(row.attempts),
    });
  }
  return out;
}

async function* once<T>(items: T): AsyncGenerator<T> {
  yield items;
}

/** The cause's CSV in parts, its file name and its row count. */
export async function causeCsv(
  db: LogDatabase,
  key: string,
  instanceUrl: string | undefined,
  now: number,
): Promise<{ parts: string[]; rows: number; fileName: string }> {
  const batches = causeBatches(await db.failures.toArray(), key);
  const parts: string[] = [];
  let rows = 0;
  const onRows = (n: number) => {
    rows = n;
  };
  const options = { ...(instanceUrl && { instanceUrl }), onRows };
  for await (const part of failureCsvPartsOfBatches(once(batches), options)) parts.push(part);
  const code = key.split('|')[1] ?? 'errors';
  return { parts, rows, fileName: failureCsvFileName(now).replace('sync-errors-', `sync-errors-${code}-`) };
}
