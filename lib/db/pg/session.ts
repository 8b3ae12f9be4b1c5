// Transactions of the PostgreSQL log. The engine calls `db.transaction(mode, tables, scope)` and
// then plain table methods inside scope, as with Dexie (whose zones carry the transaction); here
// AsyncLocalStorage carries the connection, so every statement scope issues — however deep and
// however many at once (Promise.all) — runs on it. A table method outside any transaction is its
// own transaction, as an IndexedDB request is.
//
// IndexedDB never interleaves read-write transactions whose scopes overlap; PostgreSQL's default
// READ COMMITTED would (two workers both reading an expired lease and both taking it). So a
// read-write transaction first takes the log's transaction-scoped advisory lock: the log's writers
// run one after another, as in the browser. A read-only one reads a snapshot (REPEATABLE READ),
// as an IndexedDB "readonly" transaction does, and takes no lock.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

interface Transaction {
  client: PoolClient;
  mode: 'r' | 'rw';
  /**
   * The statement last sent. Code in a transaction issues several reads at once (Promise.all); one
   * connection runs one statement at a time, and pg 8 deprecates queueing them itself, so they wait
   * for each other here.
   */
  last: Promise<unknown>;
}

export class ReadOnlyError extends Error {
  override name = 'ReadOnlyError';
}

export class PgSession {
  private readonly current = new AsyncLocalStorage<Transaction>();

  constructor(
    readonly pool: Pool,
    /** The log's advisory lock key (a 32-bit hash of its schema name). */
    private readonly lockKey: number,
  ) {}

  async transaction<R>(mode: 'r' | 'rw', scope: () => R | PromiseLike<R>): Promise<R> {
    const open = this.current.getStore();
    if (open) {
      if (mode === 'rw' && open.mode === 'r') {
        throw new ReadOnlyError('A read-write transaction cannot run inside a read-only one');
      }
      return scope();
    }
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(
        mode === 'rw'
          ? `BEGIN; SELECT pg_advisory_xact_lock(${this.lockKey})`
          : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      );
      const result = await this.current.run({ client, mode, last: Promise.resolve() }, scope);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A connection that could not even roll back is dropped, not handed to the next caller.
      client.release(broken);
    }
  }

  /** One statement, in the open transaction if there is one. */
  query<T extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<T>> {
    const open = this.current.getStore();
    if (!open) return this.pool.query<T>(text, values);
    const next = open.last.then(() => open.client.query<T>(text, values));
    open.last = next.catch(() => {}); // the caller sees the error; the next statement still runs
    return next;
  }

  /** Several statements that must happen together: in the open transaction, else in their own. */
  write<R>(statements: () => Promise<R>): Promise<R> {
    const open = this.current.getStore();
    if (open?.mode === 'r') throw new ReadOnlyError('A write inside a read-only transaction');
    return open ? statements() : this.transaction('rw', statements);
  }
}
