import type { SyncLogDatabase } from './database';

/**
 * When the sync last found the sync user's access to Salesforce fields changed (a field gone from
 * the describe or back, or its updateable flag flipped; lib/sync/schemaCache.ts), over every object.
 * A connection test older than this no longer tells what the sync can read.
 */
export async function fieldAccessChangedAt(db: SyncLogDatabase): Promise<number | undefined> {
  let latest: number | undefined;
  await db.schemas.each((row) => {
    if (row.accessChangedAt !== undefined && (latest === undefined || row.accessChangedAt > latest))
      latest = row.accessChangedAt;
  });
  return latest;
}
