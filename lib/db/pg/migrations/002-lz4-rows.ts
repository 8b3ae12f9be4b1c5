// Migration 2 (frozen once released): rows compressed with lz4 instead of pglz. A batch's
// recordEvents row is ~200 KB before compression; PostgreSQL compresses it when it stores it out
// of line (TOAST), and pglz made that INSERT cost 4.2 ms of the server's time per 300-record batch
// against 2.4 ms with lz4, for the same size on disk (docs/log-port.md). Only new values change.
// lz4 needs PostgreSQL 14+ built with it: elsewhere (PostgreSQL 13, or a build without lz4) the
// rows keep pglz and the migration still counts as done.
import type { MigrationSql } from '../migrate';
import { tableIdent } from '../tableSql';
import { LOG_STORES_V1 } from './001-log-tables';

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export const migration002: MigrationSql = (schema) => {
  const alters = Object.keys(LOG_STORES_V1).map(
    (table) =>
      `EXECUTE ${literal(`ALTER TABLE ${tableIdent(schema, table)} ALTER COLUMN doc SET COMPRESSION lz4`)};`,
  );
  return [
    `DO $$ BEGIN ${alters.join(' ')} EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL; END $$`,
  ];
};
