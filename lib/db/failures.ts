import { rowOutcomes } from './eventRowBody';
import type { LogDatabase } from './logPort';
import { matchesLists, normalizeFilter, type StepFilter, type StepSort, sortKeyOf } from './stepFilter';
import type { FailureRow, ObjectType, Operation, RecordEventRow, StepRow } from './types';

/** One failed record outcome: the fields of the sync-errors CSV. */
export interface FailureView {
  /** When the batch was written (epoch ms). */
  time: number;
  cycleId: number;
  operation: Operation;
  objectType: ObjectType;
  sfId: string;
  mktoId?: number;
  name?: string;
  code: string;
  message: string;
  fields: string[];
  attempts: number;
}

export interface ListFailuresOptions {
  /** The order of steps, as in the table the export was started from. */
  sort?: StepSort;
  /** Failures per yielded chunk (the last chunk may be smaller). */
  chunkSize?: number;
}

/** Failure rows read per request: each holds up to ~300 failures of one batch, so ~6,000 a read. */
const ROWS_PER_READ = 20;

/**
 * The failure rows (one per batch with failures) of the steps matching `filter`, in groups of up to
 * ROWS_PER_READ rows: steps newest first by `sort`, within a step the newest batch first.
 *
 * How it stays cheap (a CSV of 100,000 failures, design §6): the failing steps come from the keys of
 * the failures table's `[stepId+id]` index — one key-only walk, not a read of every step in the
 * filter's window (14,400 step rows for 5 days took longer than the failures). Only those steps are
 * read (`bulkGet`) and matched against the filter; then the failure rows — only failed outcomes,
 * none of the batch's other outcomes or states — are read by primary key, the next group's read
 * already running while the caller works on this one.
 */
export async function* listFailedBatches(
  db: LogDatabase,
  filter: StepFilter,
  sort: StepSort = 'startedAt',
): AsyncGenerator<FailureRow[]> {
  const batchIds = await failedBatchIdsInOrder(db, filter, sort);
  const read = (from: number) =>
    db.failures
      .bulkGet(batchIds.slice(from, from + ROWS_PER_READ))
      .then((rows) => rows.filter((r): r is FailureRow => r !== undefined));
  let next = batchIds.length > 0 ? read(0) : undefined;
  for (let at = 0; next; at += ROWS_PER_READ) {
    const rows = await next;
    next = at + ROWS_PER_READ < batchIds.length ? read(at + ROWS_PER_READ) : undefined;
    if (rows.length > 0) yield rows;
  }
}

/** The ids of the failure rows to export, in export order. */
async function failedBatchIdsInOrder(db: LogDatabase, filter: StepFilter, sort: StepSort) {
  const keys = (await db.failures
    .where('[stepId+id]')
    .between(
      [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
      [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    )
    .keys()) as unknown as [stepId: number, batchId: number][];
  const batchesOf = new Map<number, number[]>();
  for (const [stepId, batchId] of keys) {
    const ids = batchesOf.get(stepId);
    if (ids) ids.push(batchId);
    else batchesOf.set(stepId, [batchId]);
  }
  const normalized = normalizeFilter(filter);
  const sortKey = sortKeyOf(sort);
  const steps = (await db.steps.bulkGet([...batchesOf.keys()])).filter(
    (s): s is StepRow =>
      s !== undefined &&
      s[sortKey] >= normalized.from &&
      s[sortKey] <= normalized.to &&
      matchesLists(s, normalized),
  );
  steps.sort((a, b) => b[sortKey] - a[sortKey] || b.id - a.id);
  // Index order is ascending by batch id within a step: newest batch first means reversed.
  return steps.flatMap((s) => batchesOf.get(s.id)!.reverse());
}

/**
 * The failed outcomes of the steps matching `filter` (in listFailedBatches order, batch order
 * inside a batch), in chunks of `chunkSize`. Memory stays at about one chunk plus two reads.
 */
export async function* listFailures(
  db: LogDatabase,
  filter: StepFilter,
  options: ListFailuresOptions = {},
): AsyncGenerator<FailureView[]> {
  const chunkSize = options.chunkSize ?? 1000;
  let chunk: FailureView[] = [];
  for await (const rows of listFailedBatches(db, filter, options.sort)) {
    for (const row of rows) {
      for (const failure of failuresIn(row)) {
        chunk.push(failure);
        if (chunk.length === chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** What failures are listed from: a failure row without its ids. */
export type FailureBatch = Omit<FailureRow, 'id' | 'stepId'>;

/** The failed outcomes of one failure row. */
export function failuresIn(row: FailureBatch): FailureView[] {
  return row.sfIds.map((sfId, i) => {
    const mktoId = row.mktoIds[i];
    const name = row.names[i];
    return {
      time: row.at,
      cycleId: row.cycleId,
      operation: row.operation,
      objectType: row.objectType,
      sfId,
      ...(mktoId != null && { mktoId }),
      ...(name != null && { name }),
      code: row.codes[i]!,
      message: row.messages[i]!,
      fields: row.fields[i] ? row.fields[i]!.split('; ') : [],
      attempts: row.attempts[i]!,
    };
  });
}

/** The failure row of a batch row with failures (writeBatch and the version 3 upgrade). */
export function failureRowOf(row: Omit<RecordEventRow, 'id'>): Omit<FailureRow, 'id'> {
  const failed = rowOutcomes(row).filter((o) => o.outcome === 'failed');
  return {
    cycleId: row.cycleId,
    stepId: row.stepId,
    at: row.at,
    operation: row.operation,
    objectType: row.objectType,
    sfIds: failed.map((o) => o.sfId),
    mktoIds: failed.map((o) => o.mktoId ?? null),
    names: failed.map((o) => o.name ?? null),
    codes: failed.map((o) => o.error?.code ?? 'UNKNOWN'),
    messages: failed.map((o) => o.error?.message ?? ''),
    fields: failed.map((o) => (o.error?.fields ?? []).join('; ')),
    attempts: failed.map((o) => o.attempts ?? 1),
  };
}
