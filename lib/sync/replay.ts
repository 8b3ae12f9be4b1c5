// Replay as the sync user (record panel, docs/dashboard-errors.md): a one-record cycle whose only
// step is the record's Push Updates, re-sending the write that failed — the fields and values its
// pending failure still owes, value rules applied as the sync would apply them now — alone, as the
// connected user, and keeping the raw HTTP exchange. Its result goes through the log like any
// write (an outcome, the record's flags and sync state), so the record's state follows.
import type { AppliedValueRule, RecordError } from '../db/types';
import type { HttpExchange } from '../salesforce/transport';
import type { CycleReport } from './engine';
import type { PlannedStep } from './plan';

/** Failures a replay can re-send: Marketo → Salesforce updates of a person. */
export const REPLAYED_OPERATION = 'Push Updates';

export type ReplayResult =
  | {
      kind: 'sent';
      exchange: HttpExchange;
      outcome: 'updated' | 'failed';
      error?: RecordError;
      /** The fields re-sent (Salesforce API names). */
      fields: string[];
      valueRules?: AppliedValueRule[];
    }
  /** Nothing was sent, and why (no failed write left to replay, the step could not run…). */
  | { kind: 'not-sent'; reason: string };

/** What the engine and Push Updates tell each other about a replay (lib/sync/notes.ts). */
export interface ReplayNote {
  /** The record (18-character id). */
  readonly sfId: string;
  result?: ReplayResult;
}

/** The plan of a replay: only the record's Push Updates step. */
export function replayPlan<T extends { step: PlannedStep }>(plan: T[]): T[] {
  return plan.filter(({ step }) => step.operation === REPLAYED_OPERATION);
}

/** The report with the replay's result; a replay whose step did not send says why. */
export function withReplay(report: CycleReport, replay: ReplayNote | undefined): CycleReport {
  if (!replay) return report;
  const step = report.steps[0];
  const reason = step?.reason ?? step?.error ?? report.cycle?.reason ?? report.cycle?.error;
  const result: ReplayResult = replay.result ?? {
    kind: 'not-sent',
    reason: reason ?? `Push Updates does not run for this record (is its object enabled?)`,
  };
  return { ...report, replay: result };
}
