// Log rows for the record panel's accessibility test: one lead in each state the log can give.
import { emptyCounters, type Operation, type PackedOutcome } from '../../lib/db/types';
import { toId18 } from '../../lib/salesforce/ids';

export const lead = (n: number) => toId18(`00Q5e0000000A${String(n).padStart(2, '0')}`);
const error = {
  code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  message: 'State must be 2 letters',
  fields: ['State'],
};

/** One lead per state the log can give, each with the outcome that leads to it. */
export const LOGGED: { state: string; operation: Operation; outcome: PackedOutcome }[] = [
  {
    state: 'synced',
    operation: 'Pull Updates',
    outcome: {
      sfId: lead(1),
      mktoId: 101,
      name: 'Ada',
      outcome: 'updated',
      changes: [{ field: 'Title', old: 'CTO', new: 'CEO' }],
    },
  },
  {
    state: 'failed',
    operation: 'Push Updates',
    outcome: { sfId: lead(2), mktoId: 102, name: 'Bob', outcome: 'failed', error, attempts: 2 },
  },
  {
    state: 'skipped',
    operation: 'Pull Updates',
    outcome: {
      sfId: lead(3),
      mktoId: 103,
      name: 'Cy',
      outcome: 'skipped',
      reason: 'leadScore changed by 1 (< 5): not synced',
    },
  },
  {
    state: 'excluded',
    operation: 'Pull Updates',
    outcome: {
      sfId: lead(4),
      mktoId: 104,
      name: 'Di',
      outcome: 'excluded',
      reason: 'Do_Not_Sync_to_Marketo__c is checked',
    },
  },
  {
    state: 'drifted',
    operation: 'Reconcile',
    outcome: {
      sfId: lead(5),
      mktoId: 105,
      name: 'Eve',
      outcome: 'drifted',
      changes: [{ field: 'Title', old: 'CEO', new: 'CTO' }],
    },
  },
  {
    state: 'deleted',
    operation: 'Pull Deletes',
    outcome: { sfId: lead(6), mktoId: 106, name: 'Fay', outcome: 'deleted' },
  },
  {
    state: 'converted',
    operation: 'Pull Conversions',
    outcome: { sfId: lead(7), mktoId: 107, name: 'Gus', outcome: 'updated' },
  },
];
export const NOT_LINKED = lead(9);

/** The rows (written at `at`): a cycle with a step per logged lead, then a cycle that failed. */
export function panelStateRows(at: number) {
  const cycle = { id: 1, trigger: 'schedule', startedAt: at, endedAt: at + 5000, status: 'Completed' };
  return {
    cycles: [
      { ...cycle, totals: emptyCounters(), apiCalls: { salesforce: 3, marketo: 3 } },
      // A later cycle that failed: every panel then says so, its raw error behind a disclosure.
      {
        ...cycle,
        id: 2,
        startedAt: at + 10_000,
        endedAt: at + 11_000,
        status: 'Failed',
        reason: 'The Salesforce session expired or was refused — log in to Salesforce again',
        error: 'INVALID_SESSION_ID: Session expired or invalid',
        totals: emptyCounters(),
        apiCalls: { salesforce: 1, marketo: 0 },
      },
    ],
    steps: LOGGED.map((l, i) => ({
      ...emptyCounters(),
      id: i + 1,
      cycleId: 1,
      operation: l.operation,
      objectType: 'Person',
      status: 'Completed',
      startedAt: at + i * 100,
      endedAt: at + i * 100 + 50,
      endSort: at + i * 100 + 50,
    })),
    recordEvents: LOGGED.map((l, i) => ({
      id: i + 1,
      cycleId: 1,
      stepId: i + 1,
      at: at + i * 100 + 10,
      operation: l.operation,
      objectType: 'Person',
      sfIds: [l.outcome.sfId],
      failedCount: l.outcome.outcome === 'failed' ? 1 : 0,
      outcomes: [l.outcome],
    })),
  };
}
