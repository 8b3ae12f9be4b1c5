import { rowOutcomes } from './eventRowBody';
import type { LogDatabase } from './logPort';
import type { PackedOutcome, RecordEventRow } from './types';

// The failed, skipped and drifted records of one step, for the step row that is opened. A step's records
// sit in packed batch rows (design §6), read newest first through `[stepId+id]` with a cap, so
// opening a 100,000-record step reads a few dozen rows, not the whole step.

/** Batch rows read at most (each holds up to ~300 records). */
const MAX_BATCH_ROWS = 20;

export interface StepRecord extends PackedOutcome {
  outcome: 'failed' | 'skipped' | 'drifted';
  at: number;
}

export interface StepRecords {
  failed: StepRecord[];
  skipped: StepRecord[];
  /** Reconcile's records whose sides disagree (the fields in `changes`). */
  drifted: StepRecord[];
  /** True when older batches were not read (the list is the newest part). */
  truncated: boolean;
}

export async function loadStepRecords(
  db: LogDatabase,
  stepId: number,
  limitPerKind: number,
): Promise<StepRecords> {
  const rows: RecordEventRow[] = await db.recordEvents
    .where('[stepId+id]')
    .between([stepId, Number.NEGATIVE_INFINITY], [stepId, Number.POSITIVE_INFINITY])
    .reverse()
    .limit(MAX_BATCH_ROWS + 1)
    .toArray();
  const result: StepRecords = {
    failed: [],
    skipped: [],
    drifted: [],
    truncated: rows.length > MAX_BATCH_ROWS,
  };
  for (const row of rows.slice(0, MAX_BATCH_ROWS)) {
    for (const outcome of rowOutcomes(row)) {
      if (outcome.outcome !== 'failed' && outcome.outcome !== 'skipped' && outcome.outcome !== 'drifted')
        continue;
      const list = result[outcome.outcome];
      if (list.length < limitPerKind) list.push({ ...outcome, at: row.at } as StepRecord);
      else result.truncated = true;
    }
  }
  return result;
}
