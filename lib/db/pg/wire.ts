// How a transaction's statements travel (lib/db/pg/session.ts, docs/log-port.md). A batch commit of
// the engine was ~12 statements, each waiting for the answer to the one before: ~12 round trips,
// and each answer waited on an event loop busy with the sync's own work. Now:
// - pipeline mode: statements go out without waiting for the answers before them, which come back
//   in the order sent (the order IndexedDB runs a transaction's requests in);
// - the statements issued in one turn of the event loop leave in one socket write;
// - a write nobody needs an answer to is not waited for (session.ts `behind`); its failure is
//   reported at COMMIT, which follows it on the wire.
// A commit is two round trips: BEGIN with the reads, then the writes with COMMIT.
import type { PoolClient } from 'pg';

/**
 * pg (≥ 8.17) sends a pipelined client's queries without waiting for the answers before them; its
 * `pipeline` flag is read on every query. Set on the pool's connection while a transaction holds it
 * and cleared before it goes back, so the pool's other users get the connection as they left it.
 */
export function setPipeline(client: PoolClient, on: boolean): void {
  (client as unknown as { pipeline: boolean }).pipeline = on;
}

type Corkable = NodeJS.WritableStream & { cork?: () => void; uncork?: () => void };

/**
 * Holds what the connection writes until the end of this turn of the event loop, so the statements
 * issued meanwhile leave in one system call instead of one each: on a busy 2-core machine each
 * socket write is a chance for PostgreSQL, woken by it, to take the core from the worker (the
 * largest single item of the worker's profile once statements were pipelined). Returns false when
 * the connection offers no way to do so (then each statement is written as pg writes it).
 */
export function holdWritesUntilNextTurn(client: PoolClient, released: () => void): boolean {
  const stream = (client as unknown as { connection?: { stream?: Corkable } }).connection?.stream;
  if (!stream?.cork || !stream.uncork) return false;
  stream.cork();
  setImmediate(() => {
    released();
    stream.uncork!();
  });
  return true;
}

/** The error of the first of these statements (in the order they were sent) that failed. */
export async function firstFailure(sent: readonly Promise<unknown>[]): Promise<unknown> {
  for (const statement of sent) {
    const error = await statement.then(
      () => undefined,
      (e: unknown) => e ?? new Error('A statement failed'),
    );
    if (error !== undefined) return error;
  }
  return undefined;
}
