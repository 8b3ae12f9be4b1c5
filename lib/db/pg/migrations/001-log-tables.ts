// Migration 1 (frozen: never edit; add 002-… for a change, as database.ts adds Dexie versions).
// The log's tables with the keys Dexie's version 3 gives them (lib/db/database.ts): the schema a
// browser's log has today. tests/unit/db-pg-schema.test.ts checks the two stay the same.
import type { MigrationSql } from '../migrate';
import { parseStoreSpec } from '../storeSpec';
import { createTableSql } from '../tableSql';

export const LOG_STORES_V1: Readonly<Record<string, string>> = {
  cycles: '++id, startedAt',
  steps:
    '++id, cycleId, [startedAt+id], [endSort+id], [objectType+startedAt+id], [objectType+endSort+id], [operation+startedAt+id], [operation+endSort+id], [status+startedAt+id], [status+endSort+id]',
  recordEvents: '++id, [stepId+id], at, *sfIds, *mktoIds',
  records: 'sfId, nextRetryAt, state',
  cursors: 'key',
  schemas: 'objectType',
  metrics: '++id, at',
  syncState: '++id, *sfIds, *mktoIds',
  leases: 'name',
  failures: '++id, [stepId+id], at',
};

export const migration001: MigrationSql = (schema) =>
  Object.entries(LOG_STORES_V1).flatMap(([table, spec]) =>
    createTableSql(schema, table, parseStoreSpec(spec)),
  );
