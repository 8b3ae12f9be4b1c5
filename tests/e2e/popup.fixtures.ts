// Log rows for the popup's browser tests, shaped exactly as lib/db writes them: startCycle /
// startStep / finishStep (endSort = endedAt, +Infinity while running) and writeBatch (one packed
// recordEvents row per batch; sfIds = the non-skipped records; failedCount; attempts on failed
// outcomes; a failures row per batch with failures).

import { eventRowBody } from '../../lib/db/eventRowBody';
import { failureRowOf } from '../../lib/db/failures';
import {
  type Counters,
  type CycleRow,
  emptyCounters,
  type FailureRow,
  type ObjectType,
  type Operation,
  type PackedOutcome,
  type RecordEventRow,
  type StepRow,
  type StepStatus,
} from '../../lib/db/types';
import { toId18 } from '../../lib/salesforce/ids';

/** The seed dashboard's ten columns, in order (design §2). */
export const SEED_COLUMNS = [
  'Started At',
  'Ended At',
  'Object',
  'Operation',
  'Status',
  'New',
  'Updated',
  'Deleted',
  'Failed',
  'Skipped',
];

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const leadId = (n: number) => toId18(`00QRO${String(n).padStart(10, '0')}`);
export const contactId = (n: number) => toId18(`003RO${String(n).padStart(10, '0')}`);

export function cycle(id: number, startedAt: number, fields: Partial<CycleRow> = {}): CycleRow {
  return {
    id,
    trigger: 'schedule',
    startedAt,
    endedAt: startedAt + 2 * MINUTE,
    status: 'Completed',
    totals: emptyCounters(),
    apiCalls: { salesforce: 3, marketo: 2 },
    ...fields,
  };
}

export function step(
  id: number,
  cycleId: number,
  operation: Operation,
  objectType: ObjectType,
  startedAt: number,
  end: { status: StepStatus; endedAt: number | null },
  counters: Partial<Counters> = {},
): StepRow {
  return {
    id,
    cycleId,
    operation,
    objectType,
    status: end.status,
    startedAt,
    endedAt: end.endedAt,
    endSort: end.endedAt ?? Number.POSITIVE_INFINITY,
    ...emptyCounters(),
    ...counters,
  };
}

export function batch(id: number, s: StepRow, at: number, outcomes: PackedOutcome[]): RecordEventRow {
  const failedCount = outcomes.filter((o) => o.outcome === 'failed').length;
  return {
    id,
    cycleId: s.cycleId,
    stepId: s.id,
    at,
    operation: s.operation,
    objectType: s.objectType,
    sfIds: [...new Set(outcomes.filter((o) => o.outcome !== 'skipped').map((o) => o.sfId))],
    ...eventRowBody(outcomes.map((o) => (o.outcome === 'failed' ? { attempts: 1, ...o } : o))),
    failedCount,
  };
}

/** The failure rows writeBatch writes next to batch rows with failures (same ids, for simplicity). */
export function failureRows(rows: RecordEventRow[]): FailureRow[] {
  return rows.filter((r) => r.failedCount > 0).map((r) => ({ id: r.id, ...failureRowOf(r) }));
}

/** A realistic small log around `now`: four cycles, every status, failures with a formula name. */
export function smallLog(now: number) {
  const c1 = now - 3 * DAY;
  const c2 = now - 2 * HOUR;
  const c3 = now - 5 * MINUTE;
  const old = now - 7 * DAY;
  const done = (status: StepStatus, endedAt: number) => ({ status, endedAt });
  const steps = [
    step(1, 1, 'Pull Updates', 'Opportunity', old, done('Completed', old + MINUTE), { updated: 4 }),
    step(2, 2, 'Sync Schema', 'Person', c1, done('Completed', c1 + 2000)),
    step(3, 2, 'Pull Updates', 'Person', c1 + 3000, done('Completed', c1 + MINUTE), {
      new: 12,
      updated: 5,
      failed: 3,
      skipped: 2,
    }),
    // Started before step 5 but ended after it: the two sorts order them differently.
    step(4, 3, 'Pull Deletes', 'Contact', c2, done('Failed', c2 + HOUR), { deleted: 1 }),
    step(5, 3, 'Push Updates', 'Account', c2 + MINUTE, done('Purged', c2 + 2 * MINUTE)),
    step(6, 3, 'Update Activities', 'Task', c2 + 3 * MINUTE, done('Not Completed', c2 + 4 * MINUTE), {
      new: 7,
      excluded: 2,
    }),
    step(7, 4, 'Pull Updates', 'Account', c3, { status: 'In Process', endedAt: null }, { updated: 1 }),
  ];
  const s3 = steps[2]!;
  const failedError = (code: string, message: string, fields: string[]) => ({ code, message, fields });
  const recordEvents = [
    batch(1, s3, c1 + 10_000, [
      ...Array.from({ length: 12 }, (_, i) => ({ sfId: leadId(100 + i), outcome: 'new' as const })),
      {
        sfId: leadId(1),
        name: '=HYPERLINK("http://evil.example","x")',
        mktoId: 501,
        outcome: 'failed',
        error: failedError('INVALID_EMAIL_ADDRESS', 'Email: invalid email address: bob@', ['Email']),
      },
      {
        sfId: leadId(2),
        name: 'Grace Hopper',
        mktoId: 502,
        outcome: 'failed',
        attempts: 3,
        error: failedError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Phone is required, "mobile" too', [
          'Phone',
          'MobilePhone',
        ]),
      },
      { sfId: leadId(3), name: 'Skipped Sam', outcome: 'skipped' },
    ]),
    batch(2, s3, c1 + 20_000, [
      ...Array.from({ length: 5 }, (_, i) => ({ sfId: leadId(200 + i), outcome: 'updated' as const })),
      {
        sfId: leadId(4),
        name: 'Ada Lovelace',
        outcome: 'failed',
        error: failedError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record', []),
      },
      { sfId: leadId(5), name: 'Skipped Sue', outcome: 'skipped' },
    ]),
  ];
  return {
    cycles: [
      cycle(1, old),
      cycle(2, c1),
      cycle(3, c2, { trigger: 'manual', status: 'Failed', endedAt: c2 + HOUR }),
      cycle(4, c3, { endedAt: null, status: 'In Process' }),
    ],
    steps,
    recordEvents,
    failures: failureRows(recordEvents),
  };
}

export const CONNECTIONS = {
  salesforce: {
    mode: 'session',
    instanceUrl: 'https://acme.my.salesforce.com',
    loginHost: 'https://login.salesforce.com',
    user: { id: '005RO000000001A', username: 'admin@acme.com', displayName: 'Ada Admin', isAdmin: true },
  },
  marketo: { restEndpoint: 'https://123-abc-456.mktorest.com/rest', clientId: 'client-id' },
};
