import { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncLogDatabase } from '../../lib/db/database';
import { unwatchedSyncLog } from '../../lib/db/unwatchedLog';

// The Node runners open their log unwatched (lib/db/unwatchedLog.ts): no liveQuery follows it, so
// Dexie's Observability and Cache middlewares go. Writes and reads stay the same; only a liveQuery
// would no longer hear of the writes — which is why the extension keeps its log watched.
const opened: SyncLogDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

async function emissionsAfterOneWrite(watched: boolean): Promise<number[]> {
  const name = `unwatched-${watched}-${Math.random()}`;
  const db = watched ? new SyncLogDatabase(name) : unwatchedSyncLog(name);
  opened.push(db);
  const seen: number[] = [];
  const subscription = liveQuery(() => db.cursors.count()).subscribe((n) => seen.push(n));
  await expect.poll(() => seen.length).toBe(1);
  await db.cursors.put({ key: 'pull:Lead', value: '2026-12-07T10:00:00.000Z', updatedAt: 1 });
  // Long enough for a watched log's liveQuery to run again (it does within a few ms).
  await new Promise((r) => setTimeout(r, 100));
  subscription.unsubscribe();
  expect(await db.cursors.get('pull:Lead')).toMatchObject({ value: '2026-12-07T10:00:00.000Z' });
  return seen;
}

describe('an unwatched log', () => {
  it('a watched log tells its liveQueries of a write', async () => {
    expect(await emissionsAfterOneWrite(true)).toEqual([0, 1]);
  });

  it('an unwatched log writes and reads the same, without the liveQuery bookkeeping', async () => {
    expect(await emissionsAfterOneWrite(false)).toEqual([0]);
  });
});
