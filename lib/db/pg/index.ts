// The sync log in PostgreSQL (docs/log-port.md): the same LogDatabase the Dexie log serves, one
// PostgreSQL schema per log (an org's log in the service), created and migrated when opened.
// Node only (pg, node:v8, node:async_hooks): the service and the Node tools import it, the
// extension never does.
import type { Pool } from 'pg';
import { LOG_TABLE_NAMES, type LogDatabase, type LogTableName } from '../logPort';
import { migrateLog } from './migrate';
import { PgSession } from './session';
import { parseStoreSpec } from './storeSpec';
import { LOG_STORES } from './stores';
import { PgLogTable } from './table';
import { hash32, quoteIdent, schemaNameOf, sequenceIdent } from './tableSql';

export { ConstraintError } from './table';
export { schemaNameOf } from './tableSql';

type Tables = { [N in LogTableName]: LogDatabase[N] };

function tablesOf(session: PgSession, schema: string): Tables {
  const entries = LOG_TABLE_NAMES.map((name) => {
    const spec = LOG_STORES[name];
    if (!spec) throw new Error(`The PostgreSQL log has no table ${name}`);
    return [name, new PgLogTable(session, schema, name, parseStoreSpec(spec))];
  });
  return Object.fromEntries(entries) as unknown as Tables;
}

/** Opens (creating or migrating its schema) the log named logName in the database behind pool. */
export async function openPostgresLog(pool: Pool, logName: string): Promise<LogDatabase> {
  const schema = schemaNameOf(logName);
  await migrateLog(pool, schema);
  const sequences = LOG_TABLE_NAMES.filter(
    (name) => parseStoreSpec(LOG_STORES[name]!).primary.autoIncrement,
  ).map((name) => sequenceIdent(schema, name));
  const session = new PgSession(pool, hash32(schema), sequences);
  const tables = tablesOf(session, schema);
  return {
    name: logName,
    ...tables,
    table: (name: LogTableName) => tables[name],
    transaction: (mode, _tables, scope) => session.transaction(mode, scope),
  };
}

/** Drops a log's schema and everything in it (tests, and removing an org from the service). */
export async function dropPostgresLog(pool: Pool, logName: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schemaNameOf(logName))} CASCADE`);
}
