// Vitest globalSetup for the tests that need PostgreSQL (docs/postgres.md): one server for the
// whole run, started before the test workers exist — DATABASE_URL when the environment has it (CI
// exports the cluster it started), else a throwaway cluster from Debian's binaries, else the
// embedded one (POSTGRES_PREFER=embedded forces it). Tests read the URL with databaseUrl()
// (tests/support/postgresUrl.ts): it reaches them both as process.env.DATABASE_URL, which the
// workers inherit, and through Vitest's provide/inject. Teardown stops a server it started.
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../scripts/postgres/index';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = server.url;
  project.provide('databaseUrl', server.url);
  console.log(
    `postgres for the tests: ${server.description} at ${server.url} (ready in ${server.startMs} ms)`,
  );
  return async () => {
    await server.stop();
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  };
}
