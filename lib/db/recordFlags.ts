import { changesOf } from './packedChanges';
import type {
  ObjectType,
  Operation,
  Outcome,
  PackedOutcome,
  PendingFailure,
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

export function stateAfter(
  outcome: Pick<PackedOutcome, 'outcome' | 'reason'>,
  operation: Operation,
): RecordState {
  switch (outcome.outcome) {
    case 'new':
    case 'updated':
      return operation === 'Pull Conversions' ? 'converted' : 'synced';
    case 'deleted':
      return 'deleted';
    case 'failed':
      return 'failed';
    case 'skipped':
      // A skip that gives no reason settles owed fields (their source is back to the value last
      // synced): the record agrees again. Shown "Skipped" with nothing to say why, the panel would
      // leave an admin looking for a problem there is not (soak seed 10).
      return outcome.reason === undefined ? 'synced' : 'skipped';
    case 'excluded':
      return 'excluded';
    case 'drifted':
      return 'drifted';
  }
}

/**
 * A record's flags after one outcome. Retry bookkeeping (attempts, nextRetryAt, `pending`) is the
 * caller's for a failure: kept as is here. Anything else settles the failure of the outcome's own
 * operation only — and of it only the fields the outcome settles (`settles`; all when absent): a
 * success on other fields leaves the owed ones owed. While a failure is pending (this operation's
 * owed fields, or another operation's) the record stays failed with it.
 */
export function applyOutcome(
  existing: RecordFlagsRow | undefined,
  outcome: PackedOutcome,
  context: OutcomeContext,
): RecordFlagsRow {
  const pending = pendingFailures(existing);
  const row = withOutcome(existing, outcome, context);
  if (outcome.outcome === 'failed') return Object.keys(pending).length ? { ...row, pending } : row;
  const own = pending[context.operation];
  const left = own?.owed && outcome.settles ? owedAfter(own.owed, outcome.settles) : {};
  if (own && Object.keys(left).length) pending[context.operation] = { ...own, owed: left };
  else delete pending[context.operation];
  return Object.keys(pending).length ? stillFailing(row, pending) : row;
}

/** Owed fields (field → value) without the settled ones, plus newly owed ones. */
export function owedAfter(
  owed: Readonly<Record<string, unknown>> | undefined,
  settles: readonly string[] | undefined,
  owes?: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const left: Record<string, unknown> = { ...owed };
  for (const field of settles ?? []) delete left[field];
  return { ...left, ...owes };
}

type Pending = NonNullable<RecordFlagsRow['pending']>;

/**
 * The record's failures awaiting a retry, per operation (a copy). A row written before `pending`
 * existed holds its one failure in lastOperation/attempts/nextRetryAt/lastError.
 */
export function pendingFailures(row: RecordFlagsRow | undefined): Pending {
  if (row?.state !== 'failed') return {};
  if (row.pending) return { ...row.pending };
  if (row.lastOperation === undefined) return {};
  const legacy: PendingFailure = {
    attempts: row.attempts ?? 1,
    at: row.updatedAt,
    cycleId: row.lastCycleId ?? 0,
  };
  if (row.nextRetryAt !== undefined) legacy.nextRetryAt = row.nextRetryAt;
  if (row.lastError) legacy.error = row.lastError;
  return { [row.lastOperation]: legacy };
}

/** Whether the record's failure in `operation` is due for its retry at `now`. */
export function isRetryDue(row: RecordFlagsRow, operation: Operation, now: number): boolean {
  const retryAt = pendingFailures(row)[operation]?.nextRetryAt;
  return retryAt !== undefined && retryAt <= now;
}

/** The row with its pending failures: the retry index holds the soonest retry of any of them. */
export function withPending(row: RecordFlagsRow, pending: Pending): RecordFlagsRow {
  const { nextRetryAt: _soonest, ...rest } = row;
  const retries = Object.values(pending).flatMap((p) => (p.nextRetryAt === undefined ? [] : [p.nextRetryAt]));
  return { ...rest, pending, ...(retries.length && { nextRetryAt: Math.min(...retries) }) };
}

/** Another operation succeeded, but these failures are still owed: the newest one is shown. */
function stillFailing(row: RecordFlagsRow, pending: Pending): RecordFlagsRow {
  const [operation, newest] = (Object.entries(pending) as [Operation, PendingFailure][]).sort(
    (a, b) => b[1].at - a[1].at,
  )[0]!;
  const {
    lastError: _error,
    attempts: _attempts,
    excludedReason: _reason,
    skippedReason: _skipped,
    ...rest
  } = row;
  return withPending(
    {
      ...rest,
      state: 'failed',
      lastOperation: operation,
      attempts: newest.attempts,
      ...(newest.error && { lastError: newest.error }),
    },
    pending,
  );
}

/** The flags one outcome leaves, as if the record had no other failure pending. */
function withOutcome(
  existing: RecordFlagsRow | undefined,
  outcome: PackedOutcome,
  context: OutcomeContext,
): RecordFlagsRow {
  const {
    lastError,
    attempts,
    nextRetryAt: retryAt,
    excludedReason,
    skippedReason,
    pending: _pending,
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
  const lastChanges = changesOf(outcome) ?? kept.lastChanges;
  const lastSyncedAt = SYNCED_OUTCOMES.includes(outcome.outcome) ? context.at : kept.lastSyncedAt;
  const error = failed ? (outcome.error ?? lastError) : undefined;
  return {
    ...kept,
    sfId: outcome.sfId,
    objectType: context.objectType,
    state: stateAfter(outcome, context.operation),
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
    ...(outcome.outcome === 'skipped' && outcome.reason !== undefined && { skippedReason: outcome.reason }),
  };
}

/** History that outlives retention is capped per record; newest first. */
export const HISTORY_CAP = 20;

export function withHistory(row: RecordFlagsRow, entry: RecordHistoryEntry): RecordFlagsRow {
  return { ...row, history: [entry, ...row.history].slice(0, HISTORY_CAP) };
}
