// The single-cycle lock (design §5: one cycle at a time, surviving a stopped service worker). A
// lease row in IndexedDB names its owner and an expiry; the running cycle renews it after every
// batch. A worker that was killed never releases its lease, so an expired lease is taken over.
// navigator.locks would release on worker death too, but it is not in Node, where the engine also
// runs; the lease works in both.
import type { LogDatabase } from '../db/logPort';

export const CYCLE_LEASE = 'sync-cycle';
export const DEFAULT_LEASE_MS = 2 * 60_000;

export interface LeaseRequest {
  owner: string;
  now: number;
  ttlMs?: number;
  name?: string;
  /**
   * Whether another lease holder is still running. In the browser a worker holds a Web Lock for
   * its whole life and the lock dies with it, so a lease left by a stopped worker can be taken
   * over at once instead of after its expiry. Without it (Node), only expiry frees a lease.
   */
  ownerAlive?: (owner: string) => Promise<boolean>;
}

/** Takes the lease when it is free, expired or already ours. True when we hold it now. */
export async function acquireLease(db: LogDatabase, request: LeaseRequest): Promise<boolean> {
  const name = request.name ?? CYCLE_LEASE;
  const ttl = request.ttlMs ?? DEFAULT_LEASE_MS;
  // Asked before the transaction: an IndexedDB transaction may not wait on other promises.
  const held = await db.leases.get(name);
  const holderDead =
    held && held.owner !== request.owner && request.ownerAlive
      ? !(await request.ownerAlive(held.owner))
      : false;
  return db.transaction('rw', ['leases'], async () => {
    const current = await db.leases.get(name);
    const takeOver = holderDead && current?.owner === held?.owner;
    if (current && current.owner !== request.owner && current.expiresAt > request.now && !takeOver)
      return false;
    await db.leases.put({
      name,
      owner: request.owner,
      acquiredAt: current?.owner === request.owner ? current.acquiredAt : request.now,
      expiresAt: request.now + ttl,
    });
    return true;
  });
}

/** Extends our lease; false when it was taken over meanwhile (we must stop writing). */
export async function renewLease(db: LogDatabase, request: LeaseRequest): Promise<boolean> {
  const name = request.name ?? CYCLE_LEASE;
  return db.transaction('rw', ['leases'], async () => {
    const current = await db.leases.get(name);
    if (!current || current.owner !== request.owner) return false;
    await db.leases.update(name, { expiresAt: request.now + (request.ttlMs ?? DEFAULT_LEASE_MS) });
    return true;
  });
}

export async function releaseLease(db: LogDatabase, owner: string, name = CYCLE_LEASE): Promise<void> {
  await db.transaction('rw', ['leases'], async () => {
    const current = await db.leases.get(name);
    if (current?.owner === owner) await db.leases.delete(name);
  });
}

export class LeaseLostError extends Error {
  constructor(owner: string) {
    super(`The cycle lease was taken over from ${owner}; this cycle stops without writing more`);
    this.name = 'LeaseLostError';
  }
}
