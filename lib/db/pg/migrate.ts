// Numbered migrations of one log's PostgreSQL schema, run when the log is opened. Each migration is
// frozen once released (a new one is added, as Dexie versions are in lib/db/database.ts); the
// schema's `log_version` table says which ran. Two workers opening the same log at once: the
// transaction-scoped advisory lock on the schema's name makes the second wait and find it done.
import type { Pool } from 'pg';
import { migration001 } from './migrations/001-log-tables';
import { migration002 } from './migrations/002-lz4-rows';
import { quoteIdent } from './tableSql';

export type MigrationSql = (schema: string) => string[];

/** Index i holds migration i + 1. */
export const LOG_MIGRATIONS: readonly MigrationSql[] = [migration001, migration002];

export async function migrateLog(pool: Pool, schema: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.log_version (version int NOT NULL)`);
    const found = await client.query<{ version: number }>(
      `SELECT version FROM ${quoteIdent(schema)}.log_version`,
    );
    const from = found.rows[0]?.version ?? 0;
    if (from > LOG_MIGRATIONS.length) {
      throw new Error(
        `The log ${schema} is at version ${from}, newer than this program knows (${LOG_MIGRATIONS.length}): update the program.`,
      );
    }
    for (let v = from; v < LOG_MIGRATIONS.length; v++) {
      for (const sql of LOG_MIGRATIONS[v]!(schema)) await client.query(sql);
    }
    if (found.rows.length === 0) {
      await client.query(`INSERT INTO ${quoteIdent(schema)}.log_version VALUES ($1)`, [
        LOG_MIGRATIONS.length,
      ]);
    } else if (from < LOG_MIGRATIONS.length) {
      await client.query(`UPDATE ${quoteIdent(schema)}.log_version SET version = $1`, [
        LOG_MIGRATIONS.length,
      ]);
    }
    await client.query('COMMIT');
    return LOG_MIGRATIONS.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
