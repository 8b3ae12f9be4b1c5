// Whether a worker is still running, for the engine's lease takeover (SyncEngineDeps.leaseOwnerAlive,
// lib/sync/lease.ts). In the browser a Web Lock dies with its worker; here a PostgreSQL session
// advisory lock does: each worker holds one on a connection of its own for its whole life, and
// PostgreSQL drops it the moment that connection ends — kill -9 included (the kernel closes the
// socket, the backend exits). So when pg-boss hands a dead worker's job to another worker, the log's
// lease of the dead one is taken over at once instead of after its 2-minute expiry. A worker that is
// alive but cut off keeps its lease; the lease check inside each batch transaction still refuses
// its writes once another worker holds it.
import { hostname } from 'node:os';
import pg from 'pg';

/** Advisory lock namespace (pg_advisory_lock(int, int)'s first key): "SSS1". */
const LOCK_CLASS = 0x53535331;

export interface WorkerIdentity {
  /** The lease owner name: `worker:<lock key>:<host>:<pid>`. */
  id: string;
  lockKey: number;
}

export interface LivenessHold extends WorkerIdentity {
  /** Ends the lock (graceful stop) and marks the worker stopped. */
  release(): Promise<void>;
}

/** Registers this worker and holds its lock on a dedicated connection (not the pool's). */
export async function holdWorkerLock(databaseUrl: string): Promise<LivenessHold> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'sync-service-liveness' });
  await client.connect();
  // A dropped connection means the lock is gone: this process can no longer prove it is alive, and
  // another worker may take its leases. Exiting is the honest answer (a supervisor restarts it).
  client.on('error', (error) => {
    process.stderr.write(`worker liveness connection lost (${error.message}); exiting\n`);
    process.exit(70);
  });
  const { rows } = await client.query<{ key: number }>(
    "SELECT nextval('service.worker_lock_keys')::int AS key",
  );
  const lockKey = rows[0]!.key;
  await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, lockKey]);
  const id = `worker:${lockKey}:${hostname()}:${process.pid}`;
  await client.query(
    `INSERT INTO service.workers (id, lock_key, host, pid) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET started_at = now(), stopped_at = NULL`,
    [id, lockKey, hostname(), process.pid],
  );
  return {
    id,
    lockKey,
    async release() {
      await client.query('UPDATE service.workers SET stopped_at = now() WHERE id = $1', [id]);
      await client.end();
    },
  };
}

const OWNER = /^worker:(\d+):/;

/**
 * Whether the lease owner is alive. Owners not named by a service worker (a CLI run, a browser)
 * cannot be checked here and count as alive: only their lease's expiry frees it.
 */
export function ownerAliveCheck(pool: pg.Pool): (owner: string) => Promise<boolean> {
  return async (owner) => {
    const key = OWNER.exec(owner)?.[1];
    if (key === undefined) return true;
    const { rows } = await pool.query<{ alive: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND classid = $1::int::oid AND objid = $2::int::oid
           AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       ) AS alive`,
      [LOCK_CLASS, Number(key)],
    );
    return rows[0]?.alive === true;
  };
}
