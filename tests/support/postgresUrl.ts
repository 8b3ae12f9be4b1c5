// The PostgreSQL server a test file runs against: the one tests/support/postgresGlobalSetup.ts
// provided for this run. Fails with what to do when the project has no such globalSetup.
import { inject } from 'vitest';

export function databaseUrl(): string {
  const url = inject('databaseUrl') ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "no PostgreSQL for this test: its Vitest project needs globalSetup: ['./tests/support/postgresGlobalSetup.ts'], or set DATABASE_URL",
    );
  }
  return url;
}
