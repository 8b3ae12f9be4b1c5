// The PostgreSQL log indexes the same keys as the browser's Dexie log: the store specs its latest
// migration leaves (lib/db/pg/stores.ts) match the schema Dexie builds from database.ts's versions.
// A Dexie version that changes an index without a PostgreSQL migration fails here.
import { describe, expect, it } from 'vitest';
import { SyncLogDatabase } from '../../lib/db/database';
import { LOG_TABLE_NAMES } from '../../lib/db/logPort';
import { parseStoreSpec } from '../../lib/db/pg/storeSpec';
import { LOG_STORES } from '../../lib/db/pg/stores';

describe('PostgreSQL log schema', () => {
  it('has every table of the Dexie log with the same primary key and indexes', async () => {
    const db = new SyncLogDatabase(`schema-${Date.now()}`);
    await db.open();
    const dexie = Object.fromEntries(
      db.tables.map((t) => [
        t.name,
        {
          primary: { keyPath: t.schema.primKey.keyPath, autoIncrement: !!t.schema.primKey.auto },
          indexes: t.schema.indexes
            .map((i) => ({ name: i.name, keyPath: i.keyPath, multiEntry: !!i.multi }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        },
      ]),
    );
    const pg = Object.fromEntries(
      Object.entries(LOG_STORES).map(([name, spec]) => {
        const parsed = parseStoreSpec(spec);
        return [
          name,
          {
            primary: parsed.primary,
            indexes: parsed.indexes
              .map((i) => ({ name: i.name, keyPath: i.keyPath, multiEntry: i.multiEntry }))
              .sort((a, b) => a.name.localeCompare(b.name)),
          },
        ];
      }),
    );
    expect(pg).toEqual(dexie);
    expect(Object.keys(pg).sort()).toEqual([...LOG_TABLE_NAMES].sort());
    db.close();
    await db.delete();
  });
});
