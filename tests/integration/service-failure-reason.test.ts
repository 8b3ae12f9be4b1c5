// The service's log failing (lib/sync/failureReason.ts, the PostgreSQL rule): what PostgreSQL
// itself answers — raised by the server, not built in the test — is named in plain words, the raw
// error kept; and a cycle whose batch commit PostgreSQL refuses for a full disk ends Failed saying
// so, where the admin reads it (the step's stored reason), and the next cycle catches up.
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaNameOf } from '../../lib/db/pg';
import { failureReason } from '../../lib/sync/failureReason';
import { createLeadsInOneSecond } from '../support/leadsInOneSecond';
import { personsPerLead } from '../support/personsPerRecord';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
});
afterAll(async () => pool.end());

/** The error PostgreSQL answers when a statement raises this SQLSTATE. */
async function serverError(sqlstate: string, message: string): Promise<unknown> {
  const quoted = message.replace(/'/g, "''");
  return pool.query(`DO $$ BEGIN RAISE EXCEPTION '${quoted}' USING ERRCODE = '${sqlstate}'; END $$`).then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('failureReason: PostgreSQL', () => {
  it.each([
    ['53100', 'could not extend file "base/1/2": No space left on device', /out of disk space/],
    ['53300', 'sorry, too many clients already', /out of resources \(sorry, too many clients already\)/],
    ['40P01', 'deadlock detected', /conflicted with another and was undone/],
    [
      '28P01',
      'password authentication failed for user "sync"',
      /refused the service's login — check DATABASE_URL/,
    ],
    [
      '23505',
      'duplicate key value violates unique constraint',
      /could not be written \(PostgreSQL 23505: duplicate key/,
    ],
  ])('SQLSTATE %s is named in plain words, the raw error kept', async (sqlstate, message, reason) => {
    const error = await serverError(sqlstate, message);
    expect((error as { code?: string }).code).toBe(sqlstate);
    const failure = failureReason(error);
    expect(failure).toMatchObject({ kind: 'storage' });
    expect(failure.reason).toMatch(reason);
    expect(failure.raw).toContain(message);
  });

  it('a connection the server ends, and a server not there', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    client.on('error', () => {}); // the end is also emitted; the query's rejection is what counts
    await client.connect();
    const ended = await client
      .query('SELECT pg_terminate_backend(pg_backend_pid())')
      .catch((e: unknown) => e);
    expect(failureReason(ended).reason).toMatch(
      /PostgreSQL ended the connection|connection to PostgreSQL was lost/,
    );
    await client.end().catch(() => {});

    const nowhere = new pg.Client({ host: '127.0.0.1', port: await closedPort(), user: 'sync' });
    const refused = await nowhere.connect().catch((e: unknown) => e);
    expect(failureReason(refused)).toMatchObject({
      kind: 'storage',
      reason: 'PostgreSQL could not be reached — check that it runs and DATABASE_URL; the next cycle retries',
    });
  });
});

describe('a full disk under the service log', () => {
  let h: SyncHarness;
  const LEADS = 900;
  beforeAll(async () => {
    h = await startSyncHarness({ seed: 'empty' });
    createLeadsInOneSecond(h.emu.control, LEADS);
    h.advance();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('a refused batch commit fails the step and cycle with the reason; the next cycle writes the rest once', async () => {
    const table = `${schemaNameOf(h.db.name)}."recordEvents"`;
    // As PostgreSQL refuses a write when its disk is full (SQLSTATE 53100, disk_full): from the
    // second batch row on, so the first one commits.
    await pool.query(`CREATE OR REPLACE FUNCTION pg_temp_disk_full() RETURNS trigger AS $$
      BEGIN
        IF (SELECT count(*) FROM ${table}) >= 1 THEN
          RAISE EXCEPTION 'could not extend file "base/16384/2619": No space left on device' USING ERRCODE = 'disk_full';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await pool.query(
      `CREATE TRIGGER disk_full BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION pg_temp_disk_full()`,
    );
    const full = await h.cycle();
    const pull = stepOf(full, 'Pull Updates', 'Person');
    const reason =
      "The service's PostgreSQL database is out of disk space — free space on its server; the next cycle resumes";
    expect(pull).toMatchObject({ status: 'Failed', reason, new: 300 });
    expect(pull.error).toContain('No space left on device');
    expect(full.cycle).toMatchObject({ status: 'Failed', reason });
    expect(await h.db.steps.get(pull.id)).toMatchObject({ status: 'Failed', reason });

    await pool.query(`DROP TRIGGER disk_full ON ${table}`);
    await pool.query('DROP FUNCTION pg_temp_disk_full()');
    h.advance();
    const next = await h.cycle();
    expect(next.cycle?.status).toBe('Completed');
    const redone = stepOf(next, 'Pull Updates', 'Person');
    expect(redone.status).toBe('Completed');
    // The refused batches' persons were written before their commit failed: written again, once.
    expect(redone.new + redone.updated).toBe(LEADS - 300);
    const persons = personsPerLead(h.emu.marketo.snapshot().leads as Record<string, unknown>[]);
    expect(persons.size).toBe(LEADS);
    for (const list of persons.values()) expect(list).toHaveLength(1);
  });
});
