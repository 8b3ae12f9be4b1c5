import type { SyncLogDatabase } from './database';
import type { PageCursor, StepFilter, StepSort } from './stepFilter';
import { queryStepsPage } from './stepsPage';
import type { ObjectType, Operation, RecordEventRow, StepRow } from './types';

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

/** Steps read per page, and batch rows read per request (each holds up to ~300 outcomes). */
const STEPS_PER_READ = 200;
const ROWS_PER_READ = 20;

/**
 * The failed outcomes of the steps matching `filter`, in chunks for a streaming CSV export:
 * steps newest first (through the same indexed query as the table), steps with no failures are
 * skipped by their counter, and of the others only the batch rows holding failures are read,
 * through the sparse `[failedStepId+id]` index. Memory stays at about one chunk plus one read.
 */
export async function* listFailures(
  db: SyncLogDatabase,
  filter: StepFilter,
  options: ListFailuresOptions = {},
): AsyncGenerator<FailureView[]> {
  const sort = options.sort ?? 'startedAt';
  const chunkSize = options.chunkSize ?? 1000;
  let chunk: FailureView[] = [];
  let after: PageCursor | undefined;
  do {
    const page = await queryStepsPage(db, filter, sort, { limit: STEPS_PER_READ, ...(after && { after }) });
    after = page.next;
    for (const step of page.rows) {
      if (step.failed === 0) continue;
      for await (const rows of failedRowsOf(db, step)) {
        for (const row of rows) chunk.push(...failuresIn(row));
        while (chunk.length >= chunkSize) {
          yield chunk.slice(0, chunkSize);
          chunk = chunk.slice(chunkSize);
        }
      }
    }
  } while (after);
  if (chunk.length > 0) yield chunk;
}

/** A step's batch rows with failures, newest first, by key-based paging on `[failedStepId+id]`. */
async function* failedRowsOf(db: SyncLogDatabase, step: StepRow): AsyncGenerator<RecordEventRow[]> {
  let below = Number.POSITIVE_INFINITY;
  for (;;) {
    const rows = await db.recordEvents
      .where('[failedStepId+id]')
      .between([step.id, Number.NEGATIVE_INFINITY], [step.id, below], true, false)
      .reverse()
      .limit(ROWS_PER_READ)
      .toArray();
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (rows.length < ROWS_PER_READ || !last) return;
    below = last.id;
  }
}

function failuresIn(row: RecordEventRow): FailureView[] {
  const failures: FailureView[] = [];
  for (const o of row.outcomes) {
    if (o.outcome !== 'failed') continue;
    failures.push({
      time: row.at,
      cycleId: row.cycleId,
      operation: row.operation,
      objectType: row.objectType,
      sfId: o.sfId,
      ...(o.mktoId !== undefined && { mktoId: o.mktoId }),
      ...(o.name !== undefined && { name: o.name }),
      code: o.error?.code ?? 'UNKNOWN',
      message: o.error?.message ?? '',
      fields: o.error?.fields ?? [],
      attempts: o.attempts ?? 1,
    });
  }
  return failures;
}
