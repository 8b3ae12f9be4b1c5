// A Vitest run of its own for tests/integration/postgres-global-setup.test.ts: one project with
// the PostgreSQL globalSetup, exactly as the pg test projects use it, and one probe file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/support/postgres-probe/*.probe.ts'],
    globalSetup: ['./tests/support/postgresGlobalSetup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
