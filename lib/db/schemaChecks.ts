import type { LogDatabase } from './logPort';

/**
 * When the sync last found the sync user's access to Salesforce fields changed (a field gone from
 * the describe or back, or its updateable flag flipped; lib/sync/schemaCache.ts), over every object.
 * A connection test older than this no longer tells what the sync can read.
 */
export async function fieldAccessChangedAt(db: LogDatabase): Promise<number | undefined> {
  let latest: number | undefined;
  await db.schemas.each((row) => {
    // Marketo's lead schema (key "Marketo:Lead") says nothing about the Salesforce sync user.
    if (row.objectType.startsWith('Marketo:')) return;
    if (row.accessChangedAt !== undefined && (latest === undefined || row.accessChangedAt > latest))
      latest = row.accessChangedAt;
  });
  return latest;
}
