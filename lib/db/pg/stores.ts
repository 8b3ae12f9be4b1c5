// The PostgreSQL log's tables as the latest migration leaves them (lib/db/pg/migrations/). When a
// migration changes keys, this follows it; tests/unit/db-pg-schema.test.ts checks it against the
// Dexie log's schema so the two logs index the same keys.
import { LOG_STORES_V1 } from './migrations/001-log-tables';

export const LOG_STORES = LOG_STORES_V1;
