// The Vitest globalSetup that pg test projects use (tests/support/postgresGlobalSetup.ts), run for
// real in a Vitest of its own: the workers get DATABASE_URL, and teardown stops the server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';

it('starts one server before the workers, hands them its URL, and stops it at teardown', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'pgprov-probe-')), 'probe.json');
  const env: NodeJS.ProcessEnv = { ...process.env, PROBE_OUT: out };
  // Without DATABASE_URL, the globalSetup starts (and must stop) a throwaway server of its own.
  delete env.DATABASE_URL;
  const run = spawnSync(
    'npx',
    ['vitest', 'run', '--config', 'tests/support/postgres-probe/vitest.config.ts', '--reporter=dot'],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toMatch(
    /postgres for the tests: PostgreSQL \d+\.\d+.* at postgres:\/\/postgres@127\.0\.0\.1:\d+\/sync/,
  );
  const probe = JSON.parse(readFileSync(out, 'utf8')) as { url: string; db: string };
  rmSync(join(out, '..'), { recursive: true, force: true });
  expect(probe.db).toBe('sync');
  const after = new pg.Client({ connectionString: probe.url });
  await expect(after.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
});
