// createSyncEngine: the public face of lib/sync for the background worker and the CLI. One call
// runs one cycle: take the lease, recover what a stopped worker left "In Process", run the plan,
// close the cycle row, release the lease.

import { finishCycle, startCycle } from '../db/lifecycle';
import type { LogDatabase } from '../db/logPort';
import type { CycleRow, Operation, StepRow } from '../db/types';
import type { ClockPort } from '../http/ports';
import type { MarketoClient } from '../marketo';
import type { SalesforceClient } from '../salesforce/client';
import { toId18 } from '../salesforce/ids';
import type { SyncSettings } from '../settings/schema';
import { fetchBacklogIfDue } from './backlog';
import { Budget, type CycleBudget } from './budget';
import type { CycleContext } from './context';
import { planFailure, reportOf } from './cycleEnd';
import { writeCycleMetrics } from './cycleMetrics';
import { DailyBudget, dailyUsageCursor, readDailyUsage } from './dailyUsage';
import { failureReason } from './failureReason';
import { acquireLease, DEFAULT_LEASE_MS, releaseLease } from './lease';
import type { LinkFields } from './linkage';
import { MetricsTally } from './metricsTally';
import { newCycleNotes } from './notes';
import { OPERATION_MODULES } from './operations';
import { buildPlan } from './plan';
import { probeTargets } from './probeTargets';
import { reconcileDue } from './reconcileSchedule';
import { recoverInterrupted } from './recovery';
import { type ReplayNote, type ReplayResult, replayPlan, withReplay } from './replay';
import { retryNowOf } from './retryPause';
import { type PlanResult, runPlan } from './runner';
import { SchemaCache } from './schemaCache';
import {
  forgetUnwrittenEnds,
  keepUnwrittenEnd,
  type UnwrittenEndsStore,
  unwrittenEnds,
} from './unwrittenEnds';

export interface SyncEngineDeps {
  db: LogDatabase;
  salesforce: SalesforceClient;
  marketo: MarketoClient;
  settings: () => Promise<SyncSettings>;
  clock: ClockPort;
  /** Who runs cycles (e.g. the worker's instance id); the lease names it. */
  owner: string;
  log?: (line: string) => void;
  /** Marketo link fields; default: decided from Marketo's describe (lib/sync/linkage.ts). */
  linkFields?: LinkFields;
  leaseMs?: number;
  /** See LeaseRequest.ownerAlive: lets a new worker take over the lease of a stopped one at once. */
  leaseOwnerAlive?: (owner: string) => Promise<boolean>;
  /** Keeps the end of a cycle the full log could not take beyond the worker (lib/sync/unwrittenEnds.ts). */
  unwrittenEnds?: UnwrittenEndsStore;
}

export interface CycleRequest {
  trigger: 'schedule' | 'manual' | 'record';
  record?: { objectType: string; id: string };
  budget?: CycleBudget;
  /** Run Reconcile in this cycle even if it is not due ("Check both sides now", `--reconcile`). */
  reconcile?: boolean;
  /** "Retry these now": per operation, failed records this cycle retries first, paused or not. */
  retryNow?: Partial<Record<Operation, string[]>>;
  /** With trigger "record": re-send the record's failed write alone (lib/sync/replay.ts). */
  replay?: boolean;
}

export interface CycleReport {
  /** Undefined when another cycle holds the lease (nothing ran). */
  cycle: CycleRow | undefined;
  steps: StepRow[];
  skippedReason?: string;
  /** A replay's result (request.replay). */
  replay?: ReplayResult;
}

/** The objects Sync now handles as one record; a Campaign's is its campaign ⇄ program pair's. */
const RECORD_OBJECTS: Record<string, string> = {
  Lead: 'Lead',
  Person: 'Lead',
  Contact: 'Contact',
  Account: 'Account',
  Campaign: 'Campaign',
};

/**
 * Whether a one-record cycle for this record would do anything: its plan has a step besides Sync
 * Schema (a Lead while Lead is off, a campaign in no pair, has none).
 */
export function recordSyncable(settings: SyncSettings, record: { objectType: string; id: string }): boolean {
  const sobject = RECORD_OBJECTS[record.objectType];
  if (!sobject) return false;
  return buildPlan(OPERATION_MODULES, { settings, record: { sobject, id: toId18(record.id) } }).some(
    ({ step }) => step.operation !== 'Sync Schema',
  );
}

export function createSyncEngine(deps: SyncEngineDeps) {
  const log = deps.log ?? (() => {});
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  // Describe answers are cached per engine; the Marketo token is cached inside the client.
  const schemaCache = () => new SchemaCache(deps.db, deps.salesforce, deps.marketo, deps.clock);

  async function runCycle(request: CycleRequest): Promise<CycleReport> {
    const { db, clock, owner } = deps;
    const lease = { owner, now: clock.now(), ttlMs: leaseMs };
    if (
      !(await acquireLease(db, {
        ...lease,
        ...(deps.leaseOwnerAlive && { ownerAlive: deps.leaseOwnerAlive }),
      }))
    ) {
      return { cycle: undefined, steps: [], skippedReason: 'another cycle is running (lease held)' };
    }
    try {
      const unwritten = await unwrittenEnds(db, deps.unwrittenEnds);
      await recoverInterrupted(db, clock.now(), unwritten);
      if (unwritten.size > 0) await forgetUnwrittenEnds(db, deps.unwrittenEnds);
      const settings = await deps.settings();
      const record = request.trigger === 'record' ? recordOf(request) : undefined;
      const startedAt = clock.now();
      const cycleId = await startCycle(db, {
        trigger: request.trigger,
        at: startedAt,
        ...(record && { recordId: record.id }),
      });
      const daily = new DailyBudget(
        await readDailyUsage(db),
        settings.apiBudget,
        () => deps.salesforce.transport.usage.latest?.max,
        () => clock.now(),
      );
      const budget = new Budget(
        clock,
        { salesforce: deps.salesforce.transport.counter, marketo: deps.marketo.transport.counter },
        request.budget,
        daily,
      );
      // Reconcile runs when asked for, or (normal cycles) when an object is due (reconcileSchedule.ts).
      const reconcile = record
        ? undefined
        : request.reconcile
          ? 'now'
          : (await reconcileDue(db, settings, clock.now(), deps.salesforce.transport.usage.latest?.max))
            ? 'due'
            : undefined;
      const replay: ReplayNote | undefined = request.replay && record ? { sfId: record.id } : undefined;
      const notes = newCycleNotes({
        reconcile,
        ...(request.retryNow && { retryNow: retryNowOf(request.retryNow) }),
        ...(replay && { replay }),
        trigger: request.trigger,
        probeObjects: probeTargets(settings),
        linkFields: deps.linkFields,
      });
      const tally = new MetricsTally();
      const ctx: CycleContext = {
        db,
        salesforce: deps.salesforce,
        marketo: deps.marketo,
        settings,
        clock,
        budget,
        owner,
        cycleId,
        log,
        ...(record && { record }),
        schema: schemaCache(),
        notes,
        leaseMs,
        tally,
      };
      const backlog = await fetchBacklogIfDue(ctx);
      const planned = buildPlan(OPERATION_MODULES, {
        settings,
        ...(record && { record }),
        ...(reconcile && { reconcile }),
      });
      const plan = replay ? replayPlan(planned) : planned;
      let result: PlanResult;
      try {
        result = await runPlan(ctx, plan);
      } catch (error) {
        // Only the log itself failing gets here (a step's own errors end the step, not the cycle).
        result = await planFailure(db, cycleId, error, deps.unwrittenEnds);
      }
      // Calls made after the last batch commit (the probe, a failed call) count too; the cycle's
      // metric row (docs/dashboard.md) goes with them.
      const usage = budget.dailyUsage();
      try {
        await writeCycleMetrics(
          db,
          {
            cycleId,
            startedAt,
            tally,
            calls: budget.spentCalls(),
            orgUsage: deps.salesforce.transport.usage.latest,
            backlog,
          },
          usage ? [dailyUsageCursor(usage)] : [],
          clock.now(),
        );
      } catch (error) {
        // Part of the log: a cycle that cannot write it ends Failed with the reason (docs/design.md
        // §5.2), and the next cycle counts the calls it can still see (the last batch's row).
        const failure = failureReason(error);
        log(`daily API usage and metrics not saved: ${failure.raw}`);
        result = { status: 'Failed', error: failure.raw, reason: failure.reason };
      }
      const end = {
        ...(result.error !== undefined && { error: result.error }),
        ...(result.reason !== undefined && { reason: result.reason }),
      };
      const at = clock.now();
      try {
        await finishCycle(db, cycleId, { status: result.status, at, apiCalls: budget.spentCalls(), ...end });
      } catch (error) {
        // Not even the cycle's end fits: the cycle failed to log, whatever its steps did (a cycle
        // that cannot write its log ends Failed, docs/design.md §5.2); the next cycle's recovery
        // writes that end, with this reason unless the plan already failed with its own.
        const failure = failureReason(error);
        log(`cycle ${cycleId}: its end could not be written: ${failure.raw}`);
        const failed =
          result.status === 'Failed' && result.error !== undefined
            ? end
            : { error: failure.raw, reason: failure.reason };
        await keepUnwrittenEnd(db, cycleId, failed, deps.unwrittenEnds);
        return withReplay(await reportOf(db, cycleId, { status: 'Failed', endedAt: at, ...failed }), replay);
      }
      return withReplay(await reportOf(db, cycleId), replay);
    } finally {
      // A lease that cannot be released (storage full) expires; this worker may take it again.
      await releaseLease(db, owner).catch((error: unknown) =>
        log(`lease not released: ${failureReason(error).raw}`),
      );
    }
  }

  return { runCycle };
}

function recordOf(request: CycleRequest): { sobject: string; id: string } {
  if (!request.record) throw new Error('A record cycle needs record: { objectType, id }');
  const sobject = RECORD_OBJECTS[request.record.objectType];
  if (!sobject)
    throw new Error(`Sync now handles Lead, Contact, Account and Campaign, not ${request.record.objectType}`);
  const id = toId18(request.record.id);
  if (id.length !== 18) throw new Error(`Not an 18-character Salesforce id: ${request.record.id}`);
  return { sobject, id };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
