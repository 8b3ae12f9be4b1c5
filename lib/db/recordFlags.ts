import type {
  ObjectType,
  Operation,
  Outcome,
  PackedOutcome,
  RecordFlagsRow,
  RecordHistoryEntry,
  RecordState,
} from './types';

/** How failed records are retried in later cycles (design §5): exponential backoff, then give up. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 5 * 60_000,
  maxDelayMs: 6 * 60 * 60_000,
};

/**
 * When a record that has failed `attempts` times is retried next, or undefined once the attempts
 * are spent: it then stays failed until it changes again (design §5) and leaves the retry index.
 */
export function nextRetryAt(attempts: number, at: number, policy: RetryPolicy): number | undefined {
  if (attempts >= policy.maxAttempts) return undefined;
  return at + Math.min(policy.baseDelayMs * 2 ** (attempts - 1), policy.maxDelayMs);
}

/** Where an outcome happened: the metadata of its packed batch row. */
export interface OutcomeContext {
  at: number;
  cycleId: number;
  operation: Operation;
  objectType: ObjectType;
}

const SYNCED_OUTCOMES: readonly Outcome[] = ['new', 'updated', 'deleted'];

export function stateAfter(outcome: Outcome, operation: Operation): RecordState {
  switch (outcome) {
    case 'new':
    case 'updated':
      return operation === 'Pull Conversions' ? 'converted' : 'synced';
    case 'deleted':
      return 'deleted';
    case 'failed':
      return 'failed';
    case 'skipped':
      return 'skipped';
    case 'excluded':
      return 'excluded';
  }
}

/**
 * A record's flags after one outcome. Retry bookkeeping (attempts, nextRetryAt) is the caller's:
 * it is kept as is for a failure and dropped when the outcome is anything else (failure cleared).
 */
export function applyOutcome(
  existing: RecordFlagsRow | undefined,
  outcome: PackedOutcome,
  context: OutcomeContext,
): RecordFlagsRow {
  const {
    lastError,
    attempts,
    nextRetryAt: retryAt,
    excludedReason,
    ...kept
  } = existing ?? {
    sfId: outcome.sfId,
    objectType: context.objectType,
    state: 'pending' as RecordState,
    history: [],
    updatedAt: context.at,
  };
  const failed = outcome.outcome === 'failed';
  const name = outcome.name ?? kept.name;
  const mktoId = outcome.mktoId ?? kept.mktoId;
  const lastChanges = outcome.changes ?? kept.lastChanges;
  const lastSyncedAt = SYNCED_OUTCOMES.includes(outcome.outcome) ? context.at : kept.lastSyncedAt;
  const error = failed ? (outcome.error ?? lastError) : undefined;
  return {
    ...kept,
    sfId: outcome.sfId,
    objectType: context.objectType,
    state: stateAfter(outcome.outcome, context.operation),
    lastOperation: context.operation,
    lastCycleId: context.cycleId,
    updatedAt: context.at,
    ...(name !== undefined && { name }),
    ...(mktoId !== undefined && { mktoId }),
    ...(lastChanges !== undefined && { lastChanges }),
    ...(lastSyncedAt !== undefined && { lastSyncedAt }),
    ...(error !== undefined && { lastError: error }),
    ...(failed && attempts !== undefined && { attempts }),
    ...(failed && retryAt !== undefined && { nextRetryAt: retryAt }),
    ...(outcome.outcome === 'excluded' && outcome.reason !== undefined && { excludedReason: outcome.reason }),
  };
}

/** History that outlives retention is capped per record; newest first. */
export const HISTORY_CAP = 20;

export function withHistory(row: RecordFlagsRow, entry: RecordHistoryEntry): RecordFlagsRow {
  return { ...row, history: [entry, ...row.history].slice(0, HISTORY_CAP) };
}
