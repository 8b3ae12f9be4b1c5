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
//
// The statements travel pipelined, a turn's worth per socket write, writes not waited for
// (wire.ts): a batch commit costs two round trips.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { readGenerators, setvalSql, takeKeys } from './keyGenerators';
import { firstFailure, holdWritesUntilNextTurn, setPipeline } from './wire';

interface Transaction {
  client: PoolClient;
  mode: 'r' | 'rw';
  /** A read-write transaction's copy of the key generators (keyGenerators.ts), read with BEGIN. */
  generators?: Map<string, number> | Promise<Map<string, number>>;
  /**
   * While a write waits for the generators to hand it keys, what is called after it waits behind
   * it, in call order — as IndexedDB runs a transaction's requests in the order they were made.
   */
  waiting?: (() => void)[];
  /** This turn's statements are being held for one socket write. */
  held: boolean;
  /** Statements sent `behind`, in the order sent: the first failure fails the transaction. */
  behind: Promise<unknown>[];
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
    /** The sequences of the log's auto-increment tables (quoted, schema-qualified). */
    private readonly sequences: readonly string[] = [],
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
    setPipeline(client, true);
    const tx: Transaction = { client, mode, held: false, behind: [] };
    this.hold(tx);
    let broken: Error | undefined;
    // Not awaited: scope's first statements follow it on the wire. If it fails, they fail too and
    // its error is the one reported.
    const beginError = client
      .query(
        mode === 'rw'
          ? `BEGIN; SELECT pg_advisory_xact_lock(${this.lockKey})`
          : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      )
      .then(
        () => undefined,
        (error: Error) => error,
      );
    if (mode === 'rw' && this.sequences.length > 0) {
      const read = readGenerators(client, this.sequences);
      tx.generators = read;
      // The writes that waited run in the transaction's context, as if called in it now.
      const release = () => {
        const waiting = tx.waiting ?? [];
        tx.waiting = undefined;
        this.current.run(tx, () => {
          for (const next of waiting) next();
        });
      };
      read.then((generators) => {
        tx.generators = generators;
        release();
      }, release); // its error is BEGIN's; the writes that wait for it fail with it
    }
    try {
      const result = await this.current.run(tx, scope);
      // COMMIT follows the writes still on their way; if one failed, the transaction is aborted and
      // PostgreSQL answers COMMIT with ROLLBACK.
      const committed = this.send(tx, 'COMMIT');
      committed.catch(() => {});
      const failed = (await beginError) ?? (await firstFailure(tx.behind));
      if (failed) throw failed;
      if ((await committed).command !== 'COMMIT')
        throw new Error('The transaction was rolled back: one of its statements failed');
      return result;
    } catch (error) {
      // Writes still waiting for keys go out first (and are rolled back), not after the release.
      await Promise.resolve(tx.generators).catch(() => {});
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw (await beginError) ?? error;
    } finally {
      setPipeline(client, false);
      // A connection that could not even roll back is dropped, not handed to the next caller.
      client.release(broken);
    }
  }

  /** One statement, in the open transaction if there is one. */
  query<T extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<T>> {
    const open = this.current.getStore();
    return open ? this.send<T>(open, text, values) : this.pool.query<T>(text, values);
  }

  private send<T extends QueryResultRow>(tx: Transaction, text: string, values?: unknown[]) {
    if (tx.waiting) {
      const queue = tx.waiting;
      return new Promise<QueryResult<T>>((ok, fail) =>
        queue.push(() => this.send<T>(tx, text, values).then(ok, fail)),
      );
    }
    this.hold(tx);
    return tx.client.query<T>(text, values);
  }

  /**
   * A write whose answer the caller does not wait for: it goes out now, in order with everything
   * else on the transaction's connection (so later reads see it), and its failure — or the error
   * `check` makes of its answer — fails the transaction at COMMIT, as an IndexedDB request that
   * errs aborts its transaction. A batch's writes and its COMMIT so travel together.
   */
  behind(text: string, values?: unknown[], check?: (result: QueryResult) => void): void {
    const open = this.current.getStore();
    if (!open) throw new Error('A statement sent behind needs a transaction (session.write)');
    const sent = this.query(text, values).then((result) => check?.(result));
    sent.catch(() => {}); // reported by transaction()
    open.behind.push(sent);
  }

  /**
   * Runs `write` (which sends its statements before it returns or first awaits) with `count` new
   * keys of a table's sequence, the sequence moved past `explicitTop` (an explicit integer key
   * written), from the transaction's copy of the generators (keyGenerators.ts). Until that copy
   * has arrived the write waits, and so does everything called after it. No sequence: no keys.
   */
  withKeys<R>(
    sequence: string | undefined,
    count: number,
    explicitTop: number | undefined,
    write: (keys: number[]) => Promise<R>,
  ): Promise<R> {
    const open = this.current.getStore();
    if (!open) throw new Error('Keys are handed out in a transaction (session.write)');
    const run = () => {
      if (sequence === undefined) return write([]);
      const generators = open.generators;
      if (!(generators instanceof Map)) throw new Error(`${sequence}: the key generators could not be read`);
      const { keys, moveTo } = takeKeys(generators, sequence, count, explicitTop);
      if (moveTo !== undefined) this.behind(setvalSql(sequence), [moveTo]);
      return write(keys);
    };
    if (open.generators instanceof Promise && sequence !== undefined) open.waiting ??= [];
    if (!open.waiting) return run();
    const queue = open.waiting;
    return new Promise<R>((ok, fail) =>
      queue.push(() => {
        try {
          run().then(ok, fail);
        } catch (error) {
          fail(error);
        }
      }),
    );
  }

  /** Several statements that must happen together: in the open transaction, else in their own. */
  write<R>(statements: () => Promise<R>): Promise<R> {
    const open = this.current.getStore();
    if (open?.mode === 'r') throw new ReadOnlyError('A write inside a read-only transaction');
    return open ? statements() : this.transaction('rw', statements);
  }

  private hold(tx: Transaction): void {
    if (tx.held) return;
    tx.held = holdWritesUntilNextTurn(tx.client, () => {
      tx.held = false;
    });
  }
}
