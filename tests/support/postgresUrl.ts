// The PostgreSQL server a test file runs against: the one tests/support/postgresGlobalSetup.ts
// provided for this run (docs/postgres.md). Test files run two at a time against that one server,
// so a file that creates tables or pg-boss queues takes a database of its own: freshDatabase().
import { inject } from 'vitest';
import { type FreshDatabase, freshDatabase as freshDatabaseOn } from '../../scripts/postgres/freshDatabase';

export type { FreshDatabase };

export function databaseUrl(): string {
  const url = inject('databaseUrl') ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "no PostgreSQL for this test: its Vitest project needs globalSetup: ['./tests/support/postgresGlobalSetup.ts'], or set DATABASE_URL",
    );
  }
  return url;
}

/** An empty database on the test server, named `t_<label>_<random>`, for one test file. */
export function freshDatabase(label = 'test', serverUrl = databaseUrl()): Promise<FreshDatabase> {
  return freshDatabaseOn(label, serverUrl);
}
