import { beforeEach, describe, expect, it } from 'vitest';
import { SyncLogDatabase } from '../../lib/db/database';
import { acquireLease } from '../../lib/sync/lease';

let db: SyncLogDatabase;
let n = 0;
beforeEach(() => {
  db = new SyncLogDatabase(`lease-${n++}`);
});

describe('the cycle lease', () => {
  it('refuses a live holder’s unexpired lease and takes it over once the holder is dead', async () => {
    expect(await acquireLease(db, { owner: 'old', now: 0, ttlMs: 120_000 })).toBe(true);
    expect(
      await acquireLease(db, { owner: 'new', now: 1000, ttlMs: 120_000, ownerAlive: async () => true }),
    ).toBe(false);
    expect(await acquireLease(db, { owner: 'new', now: 1000, ttlMs: 120_000 })).toBe(false);
    const asked: string[] = [];
    const dead = async (owner: string) => {
      asked.push(owner);
      return false;
    };
    expect(await acquireLease(db, { owner: 'new', now: 2000, ttlMs: 120_000, ownerAlive: dead })).toBe(true);
    expect(asked).toEqual(['old']);
    expect((await db.leases.get('sync-cycle'))?.owner).toBe('new');
  });

  it('takes over an expired lease without asking', async () => {
    await acquireLease(db, { owner: 'old', now: 0, ttlMs: 1000 });
    expect(await acquireLease(db, { owner: 'new', now: 5000, ttlMs: 1000 })).toBe(true);
  });
});
