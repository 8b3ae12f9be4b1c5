// A worker's handle on a log that can die at a chosen moment, for the resume tests, over either log
// (tests/support/testLog.ts). After kill() every call of the worker fails — also one already in
// flight when it returns — so a transaction it was in rolls back, as when the process is gone.
// onCommit sees the rows each committed transaction added (a batch's recordEvents row, a step's
// start), so a test can kill right after the n-th batch of a step commits.
import { AsyncLocalStorage } from 'node:async_hooks';
import { SyncLogDatabase } from '../../lib/db/database';
import type { LogDatabase, LogTableName } from '../../lib/db/logPort';
import { LOG_TABLE_NAMES } from '../../lib/db/logPort';
import type { CycleRequest, SyncEngine } from '../../lib/sync';
import { closeTestLog, openTestLog } from './testLog';

export interface AddedRow {
  table: LogTableName;
  // biome-ignore lint/suspicious/noExplicitAny: rows of any table
  row: any;
}

export interface DyingWorkerLog {
  db: LogDatabase;
  readonly dead: boolean;
  kill(): void;
  close(): void;
}

const ADDS = new Set(['add', 'put', 'bulkAdd', 'bulkPut']);
const stopped = () => new Error('worker stopped');

export async function openDyingWorkerLog(
  name: string,
  onCommit: (added: readonly AddedRow[], log: DyingWorkerLog) => void,
): Promise<DyingWorkerLog> {
  const base = await openTestLog(name);
  const inTransaction = new AsyncLocalStorage<AddedRow[]>();
  let dead = false;
  const alive = () => {
    if (dead) throw stopped();
  };

  const committed = (added: AddedRow[]) => {
    if (added.length > 0 && !dead) onCommit(added, handle);
  };

  /** Wraps a table, where clause or collection: each call checked before and after it runs. */
  const wrap = <T extends object>(target: T, table: LogTableName): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          alive();
          const result: unknown = value.apply(obj, args);
          if (typeof result !== 'object' || result === null) return result;
          // Dexie's promises are its own thenables, not Promise instances.
          if (typeof (result as PromiseLike<unknown>).then !== 'function') return wrap(result, table);
          const rows = ADDS.has(String(prop)) ? (Array.isArray(args[0]) ? args[0] : [args[0]]) : [];
          const open = inTransaction.getStore();
          if (open) open.push(...rows.map((row) => ({ table, row })));
          return Promise.resolve(result as PromiseLike<unknown>).then((out) => {
            alive();
            if (!open) committed(rows.map((row) => ({ table, row })));
            return out;
          });
        };
      },
    });

  const tables = Object.fromEntries(LOG_TABLE_NAMES.map((t) => [t, wrap(base[t], t)]));
  const db: LogDatabase = {
    name: base.name,
    ...(tables as unknown as Pick<LogDatabase, LogTableName>),
    table: (t) => tables[t] as ReturnType<LogDatabase['table']>,
    async transaction(mode, scope, body) {
      alive();
      if (inTransaction.getStore()) return base.transaction(mode, scope, body);
      const added: AddedRow[] = [];
      const out = await base.transaction(mode, scope, () => inTransaction.run(added, body));
      alive();
      committed(added);
      return out;
    },
  };
  const handle: DyingWorkerLog = {
    db,
    get dead() {
      return dead;
    },
    kill() {
      dead = true;
      // The browser's log also drops its open transactions at once, as closing a tab does.
      if (base instanceof SyncLogDatabase) base.close({ disableAutoOpen: true });
    },
    close() {
      closeTestLog(base);
    },
  };
  return handle;
}

export interface KillPlan {
  /** Die right after this many of the step's batches committed. */
  afterCommits?: number;
  /** Die as the at-th write request (isWrite) is sent: it lands, its commit never happens. */
  atWrite?: number;
  isWrite?: (url: string, method: string) => boolean;
  /** Die right after the step's row is written, before its first batch. */
  atStepStart?: boolean;
}

export interface DyingCycle {
  logName: string;
  owner: string;
  plan: KillPlan;
  /** Whether a log row (a batch's recordEvents row, a step row) belongs to the step the plan is about. */
  ofStep: (row: { operation?: string; objectType?: string }) => boolean;
  /** The engine on the given log (the test's clients, settings and clock). */
  engineOn: (db: LogDatabase) => SyncEngine;
  /** Installs (or removes) what the test's fetch calls before each request. */
  setCut: (cut: ((url: string, method: string) => void) | undefined) => void;
  trigger?: CycleRequest['trigger'];
}

/** One cycle on a fresh worker that dies as planned; true when it died. */
export async function runDyingCycle(run: DyingCycle): Promise<boolean> {
  const { plan } = run;
  let commits = 0;
  const worker = await openDyingWorkerLog(run.logName, (added, log) => {
    if (added.some((a) => a.table === 'recordEvents' && run.ofStep(a.row))) {
      commits++;
      if (plan.afterCommits !== undefined && commits >= plan.afterCommits) log.kill();
    }
    if (plan.atStepStart && added.some((a) => a.table === 'steps' && run.ofStep(a.row))) log.kill();
  });
  let writes = 0;
  run.setCut((url, method) => {
    if (worker.dead) throw stopped();
    if (plan.atWrite !== undefined && plan.isWrite?.(url, method) && ++writes === plan.atWrite) worker.kill();
  });
  try {
    await run
      .engineOn(worker.db)
      .runCycle({ trigger: run.trigger ?? 'schedule' })
      .catch(() => {});
  } finally {
    run.setCut(undefined);
    worker.close();
  }
  return worker.dead;
}
