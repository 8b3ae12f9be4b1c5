import Dexie, { type EntityTable } from 'dexie';
import { failureRowOf } from './failures';
import type { LogDatabase } from './logPort';
import type { LeaseRow, SyncStateRow } from './syncStateTypes';
import type {
  CursorRow,
  CycleRow,
  FailureRow,
  MetricRow,
  RecordEventRow,
  RecordFlagsRow,
  SchemaRow,
  StepRow,
} from './types';

/**
 * The log database. Every index here serves a query the UI or the engine makes (each index entry
 * costs ~20 µs per write in Chromium, design §6):
 * - steps: `[startedAt+id]` / `[endSort+id]` for the two sorts with key-based paging, and one
 *   compound index per filter dimension and sort so that a filtered page reads only matching rows
 *   (lib/db/stepsPage.ts). The auto-increment id is injected into the row before its index keys are
 *   computed (IndexedDB spec "store a record"; checked in Chromium 156 and fake-indexeddb), so
 *   `[startedAt+id]` holds every row and ties in startedAt page correctly.
 * - recordEvents: `[stepId+id]` for a step's batches in order (it also answers `where('stepId')`
 *   through Dexie's virtual index on a compound prefix; it replaced a plain `stepId` index, which
 *   cannot page by key); `at` for retention; `*sfIds` for one record's newest events and sync state;
 *   `*mktoIds` for the records linked to Marketo persons.
 * - failures: `[stepId+id]` for the CSV export and a step's failures; `at` for retention. The per-row indexes
 *   cost one entry per batch of up to 300 records; `*sfIds` costs one entry per changed record.
 * - records: `nextRetryAt` for the retry queue; `state` for the failing records (the batch commit).
 *
 * Adding version 2: keep `version(1)` exactly as it is and add below it
 *   this.version(2).stores({ <only the tables whose indexes change> })
 *     .upgrade((tx) => tx.table('steps').toCollection().modify((row) => { ... }));
 * Dexie diffs the index lists, creates/drops indexes, and runs `upgrade` once for databases still
 * at version 1 (rows written by an older worker). Never edit a released version's stores().
 */
export class SyncLogDatabase extends Dexie {
  cycles!: EntityTable<CycleRow, 'id'>;
  steps!: EntityTable<StepRow, 'id'>;
  recordEvents!: EntityTable<RecordEventRow, 'id'>;
  records!: EntityTable<RecordFlagsRow, 'sfId'>;
  cursors!: EntityTable<CursorRow, 'key'>;
  schemas!: EntityTable<SchemaRow, 'objectType'>;
  metrics!: EntityTable<MetricRow, 'id'>;
  syncState!: EntityTable<SyncStateRow, 'id'>;
  leases!: EntityTable<LeaseRow, 'name'>;
  failures!: EntityTable<FailureRow, 'id'>;

  constructor(name = 'sync-log') {
    super(name);
    this.version(1).stores({
      cycles: '++id, startedAt',
      steps: [
        '++id',
        'cycleId',
        '[startedAt+id]',
        '[endSort+id]',
        '[objectType+startedAt+id]',
        '[objectType+endSort+id]',
        '[operation+startedAt+id]',
        '[operation+endSort+id]',
        '[status+startedAt+id]',
        '[status+endSort+id]',
      ].join(', '),
      recordEvents: '++id, [stepId+id], [failedStepId+id], at, *sfIds',
      records: 'sfId, nextRetryAt',
      cursors: 'key',
      schemas: 'objectType',
      metrics: '++id, at',
    });
    // Version 2 (the sync engine, lib/sync): two new tables, nothing else changes.
    // - syncState: what each record looked like when it was last synced (per-field hashes, its
    //   Marketo id and links), packed many records per row like recordEvents (design §6 write
    //   budget): a batch writes one row and older rows are never rewritten; a record's newest row
    //   wins (lib/db/syncState.ts; since v3 the states ride in recordEvents rows and this table is
    //   the archive retention carries them to). `*sfIds` finds a record's rows, `*mktoIds`
    //   finds the Salesforce record linked to a Marketo person (Push Updates, Push New).
    // - leases: the single-cycle lock; one row per lock name with its owner and expiry.
    this.version(2).stores({
      syncState: '++id, *sfIds, *mktoIds',
      leases: 'name',
    });
    // Version 3 (log write speed, design §6/§9: ≥ 20,000 records/s): a batch's sync state moves into
    // its recordEvents row, sharing the `*sfIds` entry its outcome already has (a separate syncState
    // row per batch with its own `*sfIds` and `*mktoIds` cost as much again); `*mktoIds` moves
    // along. syncState keeps older rows and the states retention carries over from pruned batches.
    // Failures get their own compact rows, so the CSV export does not read the states; the sparse
    // `[failedStepId+id]` index they were found by goes, and the upgrade copies existing failures.
    // records gets a `state` index: the batch commit reads the failing records' ids from it instead
    // of reading every changed record's row.
    this.version(3)
      .stores({
        recordEvents: '++id, [stepId+id], at, *sfIds, *mktoIds',
        failures: '++id, [stepId+id], at',
        records: 'sfId, nextRetryAt, state',
      })
      .upgrade(async (tx) => {
        const events = tx.table<RecordEventRow, number>('recordEvents');
        const failures = tx.table<Omit<FailureRow, 'id'>, number>('failures');
        for (let after = 0; ; ) {
          const rows = await events.where(':id').above(after).limit(100).toArray();
          if (rows.length === 0) break;
          after = rows[rows.length - 1]!.id;
          const copies = rows.filter((r) => r.failedCount > 0).map(failureRowOf);
          if (copies.length > 0) await failures.bulkAdd(copies);
        }
      });
  }
}

/** The compiler checks here that the Dexie log serves the log port (lib/db/logPort.ts). */
export const satisfiesLogPort = (db: SyncLogDatabase): LogDatabase => db;
