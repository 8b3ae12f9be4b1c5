// The PostgreSQL server a test file runs against: the one tests/support/postgresGlobalSetup.ts
// provided for this run (docs/postgres.md). Test files run two at a time against that one server,
// so a file that creates tables or pg-boss queues takes a database of its own: freshDatabase().
import { randomBytes } from 'node:crypto';
import pg from 'pg';
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

export interface FreshDatabase {
  url: string;
  name: string;
  /** Drops it, closing whatever sessions are still open on it (PostgreSQL 13+ FORCE). */
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** An empty database on the test server, named `t_<label>_<random>`, for one test file. */
export async function freshDatabase(label = 'test', serverUrl = databaseUrl()): Promise<FreshDatabase> {
  const name = `t_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await onServer(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}
