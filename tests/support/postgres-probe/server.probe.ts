// Run only by tests/integration/postgres-global-setup.test.ts: a test worker sees the server the
// globalSetup started, the same through inject() and the inherited environment, and can use it.
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { databaseUrl } from '../postgresUrl';

it('a test worker reaches the globalSetup server', async () => {
  const url = databaseUrl();
  expect(inject('databaseUrl')).toBe(url);
  expect(process.env.DATABASE_URL).toBe(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query('SELECT current_database() AS db');
  await client.end();
  writeFileSync(process.env.PROBE_OUT!, JSON.stringify({ url, db: rows[0].db }));
});
