// `npm run postgres -- start|stop` (scripts/postgres/cli.ts), as .ci/run and a developer use it:
// stdout carries only KEY=value lines, the server outlives the command, stop removes it, and bad
// input gets a message and exit 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { expect, it } from 'vitest';
import { isRunning } from '../../scripts/postgres/processes';

function cli(...args: string[]) {
  // A DATABASE_URL in the environment (CI has one) must not stop `start` from starting a server.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/elsewhere' };
  delete env.POSTGRES_PREFER;
  return spawnSync('npx', ['tsx', 'scripts/postgres/cli.ts', ...args], {
    env,
    encoding: 'utf8',
    timeout: 90_000,
  });
}

it('start prints DATABASE_URL, POSTGRES_DIR and POSTGRES_PID; the server outlives it; stop removes it', async () => {
  const started = cli('start', '--embedded', '--database', 'cli_probe');
  expect(started.status, started.stderr).toBe(0);
  const lines = started.stdout.trim().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(/^DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:\d+\/cli_probe$/),
    expect.stringMatching(/^POSTGRES_DIR=\/.+\/sss-pg-\w+$/),
    expect.stringMatching(/^POSTGRES_PID=\d+$/),
  ]);
  const [url, dir, pid] = lines.map((line) => line.slice(line.indexOf('=') + 1)) as [string, string, string];
  expect(started.stderr).toMatch(
    /PostgreSQL 18\.\d+ \(embedded, from npm\), embedded, fsync on, ready in \d+ ms/,
  );

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  expect((await client.query('SELECT current_database() AS db')).rows).toEqual([{ db: 'cli_probe' }]);
  await client.end();

  const stopped = cli('stop', '--dir', dir);
  expect(stopped.status, stopped.stderr).toBe(0);
  expect(existsSync(dir)).toBe(false);
  expect(isRunning(Number(pid))).toBe(false);
});

it.each([
  [['start', '--port', '99999'], '--port is "99999": give a port number from 1 to 65535'],
  [['start', '--embedded', '--cluster'], 'choose one of --embedded and --cluster'],
  [['stop'], 'stop needs --dir DIR'],
  [
    ['stop', '--dir', '/tmp'],
    '/tmp is not a cluster started by scripts/postgres (no cluster.json): not removing it',
  ],
  [['restart'], 'usage: npm run postgres -- start'],
])('%j → exit 1 with a message', (args, message) => {
  const run = cli(...args);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`postgres: ${message}`);
});
