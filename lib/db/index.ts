// The log database and its queries: import from here.
export { SyncLogDatabase } from './database';
export {
  type FailureBatch,
  type FailureView,
  failuresIn,
  type ListFailuresOptions,
  listFailedBatches,
  listFailures,
} from './failures';
export { type FinishedStatus, finishCycle, finishStep, startCycle, startStep } from './lifecycle';
export type { LogDatabase } from './logPort';
export {
  applyOutcome,
  DEFAULT_RETRY_POLICY,
  HISTORY_CAP,
  nextRetryAt,
  type RetryPolicy,
  stateAfter,
} from './recordFlags';
export { getRecordStatus, type RecordEventView, type RecordStatus } from './recordStatus';
export { type PruneResult, pruneOlderThan } from './retention';
export { type PageCursor, STEP_SORTS, type StepFilter, type StepSort } from './stepFilter';
export { pageCursorSchema, stepFilterSchema, stepSortSchema } from './stepFilterSchemas';
export { queryStepsPage, type StepsPage } from './stepsPage';
export type { LeaseRow, SyncState, SyncStateEntry, SyncStateRow } from './syncStateTypes';
export * from './types';
export { type BatchWrite, type BatchWriteResult, dueRetries, writeBatch } from './writeBatch';
