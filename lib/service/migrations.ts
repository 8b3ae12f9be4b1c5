// The service's own tables in schema `service` (the logs have their own schemas, lib/db/pg; pg-boss
// keeps `pgboss`). Numbered migrations, each frozen once released — a change is a new entry — run
// by every process at start; a transaction-scoped advisory lock makes a second process starting at
// the same moment wait and then find them done.
import type { Pool } from 'pg';

const MIGRATIONS: readonly (readonly string[])[] = [
  // 1: orgs, the workers' liveness rows, and the runs each job made (for operators and the tests).
  [
    `CREATE TABLE service.orgs (
      id text PRIMARY KEY,
      name text NOT NULL,
      salesforce_url text NOT NULL,
      salesforce_token jsonb NOT NULL,
      salesforce_refresh jsonb,
      marketo_url text NOT NULL,
      marketo_client_id text NOT NULL,
      marketo_secret jsonb NOT NULL,
      settings jsonb NOT NULL,
      interval_minutes int NOT NULL CHECK (interval_minutes BETWEEN 1 AND 60),
      paused boolean NOT NULL DEFAULT false,
      token_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    // A worker's advisory lock key; see liveness.ts.
    'CREATE SEQUENCE service.worker_lock_keys AS int CYCLE',
    `CREATE TABLE service.workers (
      id text PRIMARY KEY,
      lock_key int NOT NULL,
      host text NOT NULL,
      pid int NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      stopped_at timestamptz
    )`,
    `CREATE TABLE service.runs (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL REFERENCES service.orgs (id) ON DELETE CASCADE,
      job_id text NOT NULL,
      trigger text NOT NULL,
      worker_id text NOT NULL,
      scheduled_at timestamptz,
      started_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      cycle_id int,
      outcome text
    )`,
    'CREATE INDEX runs_org_started ON service.runs (org_id, started_at)',
  ],
];

export const SERVICE_SCHEMA_VERSION = MIGRATIONS.length;

/** Brings schema `service` to the current version (nothing when it is there already). */
export async function migrateService(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('migrate:service'))");
    await client.query('CREATE SCHEMA IF NOT EXISTS service');
    await client.query('CREATE TABLE IF NOT EXISTS service.migrations (version int PRIMARY KEY)');
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM service.migrations',
    );
    const from = rows[0]?.v ?? 0;
    if (from > MIGRATIONS.length)
      throw new Error(
        `Schema service is at version ${from}, newer than this program knows (${MIGRATIONS.length}): update the program`,
      );
    for (let v = from; v < MIGRATIONS.length; v++) {
      for (const sql of MIGRATIONS[v]!) await client.query(sql);
      await client.query('INSERT INTO service.migrations (version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
