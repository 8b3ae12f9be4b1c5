import Dexie, { type EntityTable } from 'dexie';
import type {
  CursorRow,
  CycleRow,
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
 *   compound index per filter dimension and sort so that a filtered page reads only matching rows;
 * - recordEvents: `stepId` for a step's records and failures, `at` for retention,
 *   `*sfIds` for one record's newest events;
 * - records: `nextRetryAt` for the retry queue.
 */
export class SyncLogDatabase extends Dexie {
  cycles!: EntityTable<CycleRow, 'id'>;
  steps!: EntityTable<StepRow, 'id'>;
  recordEvents!: EntityTable<RecordEventRow, 'id'>;
  records!: EntityTable<RecordFlagsRow, 'sfId'>;
  cursors!: EntityTable<CursorRow, 'key'>;
  schemas!: EntityTable<SchemaRow, 'objectType'>;
  metrics!: EntityTable<MetricRow, 'id'>;

  constructor(name = 'sync-log') {
    super(name);
    // Schema versions are numbered; add a new version() with an upgrade() for every change.
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
      recordEvents: '++id, stepId, at, *sfIds',
      records: 'sfId, nextRetryAt',
      cursors: 'key',
      schemas: 'objectType',
      metrics: '++id, at',
    });
  }
}
