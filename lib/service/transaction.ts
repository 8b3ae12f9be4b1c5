// One PostgreSQL transaction for our statements and pg-boss's together: pg-boss runs a call on the
// connection it is given (its `db` option), so an org row and its schedule commit or roll back as one.
import type { Pool, PoolClient } from 'pg';
import type { Db } from 'pg-boss';

export async function withTransaction<R>(
  pool: Pool,
  scope: (client: PoolClient, db: Db) => Promise<R>,
): Promise<R> {
  const client = await pool.connect();
  const db: Db = { executeSql: (text, values) => client.query(text, values) };
  try {
    await client.query('BEGIN');
    const result = await scope(client, db);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
