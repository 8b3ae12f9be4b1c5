// The service's admin commands (`npm run service -- add-org|list-orgs|pause|resume|run`) as an
// operator runs them, against a real PostgreSQL: what they write (org row, hashed token, pg-boss
// schedule, jobs), every bad input refused with exit status 2 and a message naming the problem, and
// nothing half-written — not after a refusal, and not when the transaction fails after the org row
// was already inserted (the schedule's queue is gone).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrg } from '../../lib/service/addOrg';
import { hashApiToken } from '../../lib/service/apiToken';
import { bossOptions, CYCLE_QUEUE, DEFAULT_TIMING } from '../../lib/service/cycleQueue';
import { defaultSettings } from '../../lib/settings/schema';
import { settingsToExportJson } from '../../lib/settings/transfer';
import { type FreshDatabase, freshDatabase } from '../support/postgresUrl';

const root = resolve(import.meta.dirname, '../..');
let database: FreshDatabase;
let pool: pg.Pool;
let dir: string;
const SECRETS = { ADMIN_TEST_SF_TOKEN: 'sf-token-value-1', ADMIN_TEST_MK_SECRET: 'mk-secret-value-1' };

function service(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/service.ts', ...args],
      { cwd: root, timeout: 60_000, env: { ...process.env, ...SECRETS, DATABASE_URL: database.url } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const org = (id: string, ...more: string[]) => [
  'add-org',
  '--id',
  id,
  '--salesforce-url',
  'https://acme.my.salesforce.com',
  '--salesforce-token-env',
  'ADMIN_TEST_SF_TOKEN',
  '--marketo-url',
  'https://123-ABC-456.mktorest.com',
  '--marketo-client-id',
  'client-1',
  '--marketo-secret-env',
  'ADMIN_TEST_MK_SECRET',
  ...more,
];

const counts = async () => {
  const { rows } = await pool.query<{ orgs: number; schedules: number }>(
    'SELECT (SELECT count(*)::int FROM service.orgs) AS orgs, (SELECT count(*)::int FROM pgboss.schedule) AS schedules',
  );
  return rows[0]!;
};

beforeAll(async () => {
  database = await freshDatabase('svc_admin');
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  dir = mkdtempSync(join(tmpdir(), 'svc-admin-'));
}, 60_000);
afterAll(async () => {
  await pool?.end();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('service admin commands', () => {
  it('add-org stores the org with secret references only, a hashed token and its schedule', async () => {
    const settings = { ...defaultSettings(), personLabel: 'Person' as const, intervalMinutes: 15 };
    const file = join(dir, 'settings.json');
    writeFileSync(file, settingsToExportJson(settings));
    const added = await service(...org('acme', '--name', 'Acme Inc', '--settings', file));
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const token = added.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^sss_[A-Za-z0-9_-]{43}$/);
    const { rows } = await pool.query('SELECT * FROM service.orgs');
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row.token_hash).toBe(hashApiToken(token));
    expect(row.interval_minutes).toBe(15); // from the settings file, no --interval-minutes given
    expect(row.salesforce_token).toEqual({ env: 'ADMIN_TEST_SF_TOKEN' });
    expect(row.settings.settings.personLabel).toBe('Person');
    // Neither secret nor the token itself is anywhere in the row.
    const stored = JSON.stringify(row);
    for (const secret of [...Object.values(SECRETS), token]) expect(stored).not.toContain(secret);
    const schedule = await pool.query('SELECT key, cron, data FROM pgboss.schedule');
    expect(schedule.rows).toEqual([
      {
        key: 'acme',
        // Every 15 minutes at a minute and a second of its own (cycleQueue.ts cronOffset).
        cron: expect.stringMatching(/^\d{1,2} \d{1,2}-59\/15 \* \* \* \*$/),
        data: { orgId: 'acme', trigger: 'schedule' },
      },
    ]);
    const list = await service('list-orgs', '--json');
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: 'acme', name: 'Acme Inc', intervalMinutes: 15, paused: false }),
    ]);
  });

  const refusals: [string, string[], RegExp][] = [
    ['a duplicate id', org('acme'), /org acme already exists/],
    ['an id that is no slug', org('Acme_1'), /--id: must be a slug/],
    [
      'a bad Salesforce URL',
      org('b1', '--salesforce-url', 'acme.my.salesforce'),
      /--salesforce-url: not an http\(s\) URL/,
    ],
    ['an interval out of range', org('b2', '--interval-minutes', '0'), /--interval-minutes: Too small/],
    [
      'an unset environment variable',
      [...org('b3'), '--marketo-secret-env', 'NOT_SET_ANYWHERE'],
      /Marketo client secret: environment variable NOT_SET_ANYWHERE is not set/,
    ],
    [
      'an unreadable secret file',
      [...org('b4').slice(0, 5), '--salesforce-token-file', '/nonexistent/token', ...org('b4').slice(7)],
      /Salesforce access token: file \/nonexistent\/token cannot be read \(ENOENT\)/,
    ],
    [
      'a relative secret file path',
      [...org('b5').slice(0, 5), '--salesforce-token-file', 'token.txt', ...org('b5').slice(7)],
      /--salesforce-token-env\/--salesforce-token-file: must be an absolute path/,
    ],
    [
      'both an env and a file for one secret',
      [...org('b6'), '--marketo-secret-file', '/etc/hostname'],
      /--marketo-secret-env or --marketo-secret-file, not both/,
    ],
    [
      'no Marketo URL',
      org('b7').filter((a, i, all) => a !== '--marketo-url' && all[i - 1] !== '--marketo-url'),
      /--marketo-url is required/,
    ],
    [
      'an unreadable settings file',
      org('b8', '--settings', '/nonexistent.json'),
      /--settings \/nonexistent.json cannot be read/,
    ],
    ['an unknown command', ['frobnicate'], /unknown command frobnicate/],
    ['pause of an unknown org', ['pause', 'nobody'], /unknown org nobody/],
    ['resume of an unknown org', ['resume', 'nobody'], /unknown org nobody/],
    ['run of an unknown org', ['run', 'nobody'], /unknown org nobody/],
    ['run without an org', ['run'], /run takes one org id/],
    [
      'a refresh token without the connected app',
      [...org('b10'), '--salesforce-refresh-token-env', 'ADMIN_TEST_SF_TOKEN'],
      /--salesforce-client-id is required/,
    ],
    [
      'a client id without a refresh token',
      [...org('b11'), '--salesforce-client-id', 'app-1'],
      /--salesforce-client-id goes with --salesforce-refresh-token-env or --salesforce-refresh-token-file/,
    ],
    [
      'an unset refresh token variable',
      [...org('b12'), '--salesforce-refresh-token-env', 'NOT_SET_EITHER', '--salesforce-client-id', 'app-1'],
      /Salesforce refresh token: environment variable NOT_SET_EITHER is not set/,
    ],
    ['set-settings without a settings file', ['set-settings', 'acme'], /--settings is required/],
  ];
  it.each(refusals)('refuses %s with exit status 2, writing nothing', async (_what, args, message) => {
    const before = await counts();
    const result = await service(...args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(await counts()).toEqual(before);
  });

  it('add-org keeps OAuth refresh credentials as references, the login URL defaulting to the instance', async () => {
    const added = await service(
      ...org(
        'refresh',
        '--salesforce-refresh-token-file',
        '/etc/hostname',
        '--salesforce-client-id',
        'app-1',
      ),
    );
    expect([added.code, added.stderr]).toEqual([0, '']);
    const { rows } = await pool.query(`SELECT salesforce_refresh FROM service.orgs WHERE id = 'refresh'`);
    expect(rows[0].salesforce_refresh).toEqual({
      token: { file: '/etc/hostname' },
      clientId: 'app-1',
      loginUrl: 'https://acme.my.salesforce.com',
    });
    // The tests below count acme's schedule alone.
    await pool.query(`DELETE FROM pgboss.schedule WHERE key = 'refresh'`);
    await pool.query(`DELETE FROM service.orgs WHERE id = 'refresh'`);
  });

  it('set-settings replaces the settings and moves the schedule to the new interval', async () => {
    const file = join(dir, 'new-settings.json');
    writeFileSync(
      file,
      settingsToExportJson({ ...defaultSettings(), personLabel: 'Lead', intervalMinutes: 5 }),
    );
    const result = await service('set-settings', 'acme', '--settings', file);
    expect([result.code, result.stderr, result.stdout]).toEqual([
      0,
      '',
      'acme: new settings, used from its next cycle on\n',
    ]);
    const row = (await pool.query(`SELECT * FROM service.orgs WHERE id = 'acme'`)).rows[0];
    expect([
      row.interval_minutes,
      row.settings.settings.personLabel,
      row.settings.settings.intervalMinutes,
    ]).toEqual([5, 'Lead', 5]);
    const schedule = await pool.query(`SELECT cron FROM pgboss.schedule WHERE key = 'acme'`);
    expect(schedule.rows[0].cron).toMatch(/^\d{1,2} [0-4]-59\/5 \* \* \* \*$/);
    // Invalid settings are refused naming the field, and change nothing.
    const bad = join(dir, 'bad-new-settings.json');
    writeFileSync(bad, settingsToExportJson({ ...defaultSettings(), retentionDays: 'long' } as never));
    const refused = await service('set-settings', 'acme', '--settings', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/settings\.retentionDays: /);
    expect((await pool.query(`SELECT interval_minutes FROM service.orgs WHERE id = 'acme'`)).rows[0]).toEqual(
      {
        interval_minutes: 5,
      },
    );
    const unknown = await service('set-settings', 'nobody', '--settings', file);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      'service: unknown org nobody (list-orgs shows the orgs there are)\n',
    ]);
  });

  it('refuses settings that fail validation, naming each field', async () => {
    const file = join(dir, 'bad-settings.json');
    const settings = { ...defaultSettings(), intervalMinutes: 500, retentionDays: 'long' };
    writeFileSync(file, settingsToExportJson(settings as never));
    const before = await counts();
    const result = await service(...org('b9', '--settings', file));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/settings\.intervalMinutes: Too big/);
    expect(result.stderr).toMatch(/settings\.retentionDays: /);
    expect(await counts()).toEqual(before);
  });

  it('pause unschedules the org, run refuses while paused, resume schedules it again, run queues one job', async () => {
    expect((await service('pause', 'acme')).code).toBe(0);
    expect((await pool.query('SELECT paused FROM service.orgs')).rows[0].paused).toBe(true);
    expect((await pool.query('SELECT * FROM pgboss.schedule')).rows).toEqual([]);
    const refused = await service('run', 'acme');
    expect([refused.code, refused.stderr]).toEqual([2, 'service: org acme is paused: resume it first\n']);
    expect((await service('resume', 'acme')).code).toBe(0);
    expect((await pool.query('SELECT key FROM pgboss.schedule')).rows).toEqual([{ key: 'acme' }]);
    expect((await service('run', 'acme')).stdout).toBe('cycle of acme queued\n');
    // One waiting job per org (the stately queue): a second run finds it waiting.
    expect((await service('run', 'acme')).stdout).toBe('a cycle of acme is already waiting\n');
    const jobs = await pool.query(`SELECT state, singleton_key, data FROM pgboss.job WHERE name = $1`, [
      CYCLE_QUEUE,
    ]);
    expect(jobs.rows).toEqual([
      { state: 'created', singleton_key: 'acme', data: { orgId: 'acme', trigger: 'manual' } },
    ]);
  });

  it('leaves no org row when the transaction fails after inserting it (the schedule cannot be written)', async () => {
    const boss = new PgBoss(bossOptions(database.url, DEFAULT_TIMING, 'admin'));
    await boss.start();
    try {
      // Jobs first (the queue's jobs go with it), then the queue: the schedule has nowhere to go.
      await boss.deleteQueue(CYCLE_QUEUE);
      const before = await counts();
      // addOrg checks the secret references in this process.
      Object.assign(process.env, SECRETS);
      await expect(
        addOrg(pool, boss, {
          id: 'half',
          salesforceUrl: 'https://half.my.salesforce.com',
          salesforceToken: { env: 'ADMIN_TEST_SF_TOKEN' },
          marketoUrl: 'https://123-ABC-456.mktorest.com',
          marketoClientId: 'c',
          marketoSecret: { env: 'ADMIN_TEST_MK_SECRET' },
        }),
      ).rejects.toThrow(/Queue org-cycle not found/);
      expect(await counts()).toEqual({ ...before, schedules: 0 });
      expect((await pool.query(`SELECT id FROM service.orgs WHERE id = 'half'`)).rows).toEqual([]);
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});
