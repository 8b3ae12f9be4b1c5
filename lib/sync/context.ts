// What a step gets from the runner: the clients, the settings of this cycle, the budget, the
// resolved schema, and `commit` — the one way a step records a batch (design §5: events, flags,
// counters, sync state and cursor in ONE Dexie transaction).
import type { LogDatabase } from '../db/logPort';
import type { SyncState } from '../db/syncStateTypes';
import type { ObjectType, Operation, PackedOutcome } from '../db/types';
import { writeBatch } from '../db/writeBatch';
import type { ClockPort } from '../http/ports';
import type { MarketoClient } from '../marketo';
import type { SalesforceClient } from '../salesforce/client';
import type { SyncSettings } from '../settings/schema';
import type { Budget } from './budget';
import { dailyUsageCursor } from './dailyUsage';
import { CYCLE_LEASE, LeaseLostError } from './lease';
import type { MetricsTally } from './metricsTally';
import type { CycleNotes } from './notes';
import type { PlannedStep } from './plan';
import type { SchemaCache } from './schemaCache';

export interface CycleContext {
  db: LogDatabase;
  salesforce: SalesforceClient;
  marketo: MarketoClient;
  settings: SyncSettings;
  clock: ClockPort;
  budget: Budget;
  owner: string;
  cycleId: number;
  log: (line: string) => void;
  /** One-record cycle ("Sync now"): the record, its Salesforce object and 18-char id. */
  record?: { sobject: string; id: string };
  schema: SchemaCache;
  /** What the steps of this cycle tell each other (typed; lib/sync/notes.ts). */
  notes: CycleNotes;
  /** Lease time-to-live; renewed with every batch. */
  leaseMs: number;
  /** What the cycle's committed batches synced, for its metric row (metricsTally.ts). */
  tally: MetricsTally;
}

export interface StepContext extends CycleContext {
  step: PlannedStep;
  stepId: number;
  operation: Operation;
  objectType: ObjectType;
  /** The previous run of this step did not complete: do not trust the change probe to skip it. */
  resume: boolean;
  /** Records the batch; throws LeaseLostError (nothing written) when another worker took over. */
  commit(batch: BatchCommit): Promise<void>;
  /** Adds a warning to the step's row (the step still completes); the same text is kept once. */
  warn(message: string): void;
}

export interface BatchCommit {
  outcomes: PackedOutcome[];
  /** New sync state per Salesforce id (null removes it). */
  states?: Map<string, SyncState | null>;
  cursor?: { key: string; value: string };
  /** Further cursor rows to write or delete (value null) in the same transaction. */
  extraCursors?: { key: string; value: string | null }[];
  /**
   * Cursor rows a one-record cycle writes too (it writes neither `cursor` nor `extraCursors`: it
   * read one record, not an object's backlog). Only rows that never make a later cycle skip work:
   * a first position where there was none, a row about the cycle's record alone (its pair's link),
   * a queue of members to read again.
   */
  keptCursors?: { key: string; value: string | null }[];
}

export function retryPolicyOf(settings: SyncSettings) {
  return {
    maxAttempts: settings.retry.maxAttempts,
    baseDelayMs: settings.retry.backoffBaseMinutes * 60_000,
    maxDelayMs: 6 * 60 * 60_000,
  };
}

export function stepContext(
  cycle: CycleContext,
  step: PlannedStep,
  stepId: number,
  warnings: string[] = [],
): StepContext {
  const { db } = cycle;
  return {
    ...cycle,
    step,
    stepId,
    operation: step.operation,
    objectType: step.objectType,
    resume: false,
    warn(message) {
      if (!warnings.includes(message)) warnings.push(message);
    },
    async commit(batch) {
      const at = cycle.clock.now();
      // The lease check shares the batch's transaction: if another worker took over, none of this
      // batch is written, and the taker redoes it from the old cursor.
      const guard = {
        name: CYCLE_LEASE,
        owner: cycle.owner,
        renewUntil: at + cycle.leaseMs,
        lost: () => new LeaseLostError(cycle.owner),
      };
      const usage = cycle.budget.dailyUsage();
      // Written with the batch's own writes, after its cursor (the same row written twice: these win).
      const moreCursors = [
        ...(cycle.record ? [] : (batch.extraCursors ?? [])),
        ...(batch.keptCursors ?? []),
        ...(usage ? [dailyUsageCursor(usage)] : []),
      ];
      await writeBatch(
        db,
        {
          cycleId: cycle.cycleId,
          stepId,
          operation: step.operation,
          objectType: step.objectType,
          at,
          outcomes: batch.outcomes,
          ...(batch.states && { states: batch.states }),
          ...(batch.cursor && !cycle.record ? { cursor: batch.cursor } : {}),
          ...(moreCursors.length > 0 && { moreCursors }),
          failing: cycle.notes.failingIds,
        },
        retryPolicyOf(cycle.settings),
        guard,
      );
      // Counted once written: a batch the lease check refused is redone by the worker that took over.
      cycle.tally.add(step.operation, step.objectType, batch.outcomes);
    },
  };
}
