/** This worker's lease identity, and whether another worker that held a lease is still alive. */
export interface WorkerLease {
  owner: string;
  leaseOwnerAlive(owner: string): Promise<boolean>;
}

/**
 * Each worker boot is a new lease owner. It holds a Web Lock for its whole life; the lock dies
 * with the worker, so a cycle left behind by a stopped worker is taken over at once.
 */
export function setupLease(): WorkerLease {
  const owner = `worker-${crypto.randomUUID()}`;
  const lifeLock = (o: string) => `sync-owner:${o}`;
  void navigator.locks.request(lifeLock(owner), () => new Promise<never>(() => {}));
  return {
    owner,
    leaseOwnerAlive: async (o) =>
      ((await navigator.locks.query()).held ?? []).some((lock) => lock.name === lifeLock(o)),
  };
}
