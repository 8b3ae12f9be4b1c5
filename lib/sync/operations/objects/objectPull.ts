// Pull Updates for the objects of issue 19 (opportunities, roles, users, account types, custom
// objects): the cursor discipline of the person pull (docs/engine-cursors.md) for objects whose
// writes go one Marketo call per batch. `pull:<target>` is a (SystemModstamp, Id) position; rows
// stream in that order from a lookback window (LOOKBACK_MS) behind it; each batch of 300 is written
// and committed with the position of its last row, in one transaction, so a stop anywhere resumes
// after the last committed batch and nothing is lost or written twice. A row behind the position
// that the log already agrees on was handled when first read and is not logged again. Rows a
// writer cannot write yet are queued (the writer says which), retries due are read again by id,
// and the change probe (changes.ts) skips the read when nothing changed.
import { isRetryDue } from '../../../db/recordFlags';
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import { dueRetries } from '../../../db/writeBatch';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import {
  cursorKeys,
  formatPullCursor,
  LOOKBACK_MS,
  type PullPosition,
  parsePullCursor,
  parseSalesforceDate,
  readCursor,
  settledPosition,
  soqlDateTime,
} from '../../cursors';
import { chunks, readAhead } from '../common';
import { isAfter, secondOf } from '../programs/pullPosition';
import { Batches } from './batches';
import type { ObjectQueue } from './queue';

export type ObjectRow = Record<string, unknown> & { Id: string; SystemModstamp?: string };

export interface WrittenBatch {
  outcomes: PackedOutcome[];
  states: Map<string, SyncState | null>;
  /** Rows that cannot be written yet (their parent is missing): kept in the queue. */
  queued?: string[];
  extraCursors?: { key: string; value: string | null }[];
}

export interface ObjectPullSpec {
  /** The probe target and cursor name (`pull:<target>`). */
  target: string;
  sobject: string;
  /** `sobject` of the states the writer keeps (retries are found by it). */
  stateObject: string;
  /** The key a record's state is kept under, when not its id (account types: `company:<id>`). */
  stateKeyOf?: (sfId: string) => string;
  /** The SOQL select list (Id and SystemModstamp included). */
  select: string;
  /**
   * Writes up to 300 rows; `quiet` rows were read behind the position: no outcome when agreed.
   * `fresh`: the read of a pull that never committed (no position yet): none of its rows can have a
   * state, so the writer need not look (a first sync's state lookups were a third of its time).
   */
  write(
    rows: ObjectRow[],
    quiet: ReadonlySet<string>,
    fresh?: boolean,
    inTurn?: () => Promise<void>,
  ): Promise<WrittenBatch>;
  /**
   * In the read, the next batch's write may start while this one waits for Marketo (batches.ts).
   * The writer then awaits `inTurn()` after its Marketo calls and before it changes anything
   * batches share (the queued rows and retries, read by id, are written one at a time).
   */
  overlap?: boolean;
  /** Rows waiting for a parent, read again when `ready()` says the parents may have changed. */
  queue?: ObjectQueue;
  /** A further SOQL condition on the read (not on reads by id): rows this step never needs. */
  where?: string;
  /**
   * Called as the read starts (after queued rows and retries): where it reads from — by default the
   * position — and whether it re-reads rows behind the position on purpose (then it reads even when
   * the change probe says nothing changed). The role pull's deferred lists use it (roles.ts).
   */
  beforeRead?(
    position: PullPosition | undefined,
  ): Promise<{ from: PullPosition | undefined; reread: boolean }>;
  /** What to commit once the read has ended — or failed (best effort then): its last commits. */
  afterRead?(): WrittenBatch[];
}

const BATCH = 300;

export async function pullObject(ctx: StepContext, spec: ObjectPullSpec): Promise<void> {
  const key = cursorKeys.pull(spec.target);
  const cursor = parsePullCursor(await readCursor(ctx.db, key));
  const batches = await Batches.open(ctx, spec);
  let readStarted = false;
  try {
    await retryOwed(ctx, spec, batches);
    const start = spec.beforeRead ? await spec.beforeRead(cursor) : { from: cursor, reread: false };
    readStarted = true;
    if (cursor && !start.reread && !(await salesforceChanged(ctx, spec.target))) return;
    const readStartedAt = ctx.clock.now();
    const conditions = [
      ...(start.from ? [`SystemModstamp > ${soqlDateTime(start.from.at - LOOKBACK_MS)}`] : []),
      ...(spec.where ? [spec.where] : []),
    ];
    const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
    const soql = `SELECT ${spec.select} FROM ${spec.sobject}${where} ORDER BY SystemModstamp, Id`;
    let ahead = 0;
    // Writes of 300 across page ends (2,000-row pages do not split in 300s).
    let buffer: ObjectRow[] = [];
    const flush = async (rows: ObjectRow[]) => {
      const behind = cursor ? rows.filter((r) => !isAfter(positionOf(r), cursor)) : [];
      ahead += rows.length - behind.length;
      const last = positionOf(rows.at(-1)!);
      const moved = !cursor || isAfter(last, cursor);
      const position = moved
        ? { key, value: formatPullCursor(settledPosition(last, readStartedAt)) }
        : undefined;
      await batches.write(rows, position, new Set(behind.map((r) => r.Id)), [], [], !cursor, true);
    };
    for await (const page of readAhead(ctx.salesforce.query(soql), () => ctx.budget.check())) {
      buffer.push(...(page.records as ObjectRow[]));
      while (buffer.length >= BATCH) await flush(buffer.splice(0, BATCH));
    }
    if (buffer.length) await flush(buffer);
    buffer = [];
    // Nothing after the position (or an empty object): it moves up to the second before the read,
    // so the next probe asks from there (a feed probe answers per minute, changes.ts).
    const upTo = secondOf(readStartedAt) - 1000;
    if (ahead === 0 && (!cursor || upTo > cursor.at)) {
      await batches.settle();
      await ctx.commit({ outcomes: [], cursor: { key, value: formatPullCursor({ at: upTo }) } });
    }
  } finally {
    // After the read — also one that failed (a budget stop, an error), when it can still commit —
    // and after its writers (one may still be in flight, batches.ts).
    await batches.writersDone();
    if (readStarted) for (const written of spec.afterRead?.() ?? []) batches.commitWritten(written);
    await batches.settle();
  }
}

const positionOf = (row: ObjectRow): PullPosition => ({
  at: parseSalesforceDate(row.SystemModstamp),
  id: row.Id,
});

/** Queued rows (when their parents may have changed) and failed rows whose retry is due, by id. */
async function retryOwed(ctx: StepContext, spec: ObjectPullSpec, batches: Batches): Promise<void> {
  const now = ctx.clock.now();
  const waiting = spec.queue && (await spec.queue.ready(ctx)) ? batches.queued() : [];
  const candidates = (await dueRetries(ctx.db, now, 2000))
    .filter((r) => r.objectType === ctx.objectType && isRetryDue(r, ctx.operation, now))
    .map((r) => r.sfId);
  // Several custom objects share one object type: a record is this step's when its state says so
  // (the writers keep a state for a record whose first write failed, for this).
  const keyOf = spec.stateKeyOf ?? ((id: string) => id);
  const states = await loadStates(ctx.db, candidates.map(keyOf));
  const due = candidates.filter((id) => states.get(keyOf(id))?.sobject === spec.stateObject);
  const ids = [...new Set([...waiting, ...due])];
  for (const batch of chunks(ids, 200)) await readRows(ctx, spec, batches, batch, due);
}

/** Rows by id (Update FKs re-resolving links), committed before it returns. */
export async function pullObjectRows(ctx: StepContext, spec: ObjectPullSpec, ids: readonly string[]) {
  const batches = await Batches.open(ctx, spec);
  await readRows(ctx, spec, batches, ids);
  await batches.settle();
}

/**
 * Reads these rows by id (at most 200) and writes them, moving no position: queued rows, retries,
 * rows Update FKs re-resolves. A row no longer found leaves the queue; a retry of one is Excluded.
 */
async function readRows(
  ctx: StepContext,
  spec: ObjectPullSpec,
  batches: Batches,
  ids: readonly string[],
  retries: readonly string[] = [],
): Promise<void> {
  ctx.budget.check();
  const rows: ObjectRow[] = [];
  const list = ids.map((id) => `'${id}'`).join(',');
  for await (const page of ctx.salesforce.query(
    `SELECT ${spec.select} FROM ${spec.sobject} WHERE Id IN (${list})`,
  ))
    rows.push(...(page.records as ObjectRow[]));
  const found = new Set(rows.map((r) => r.Id));
  // Gone (deleted, hidden from the sync user): out of the queue and the retries.
  const gone = ids.filter((id) => !found.has(id));
  const goneOutcomes: PackedOutcome[] = gone
    .filter((id) => retries.includes(id))
    .map((sfId) => ({ sfId, outcome: 'excluded', reason: 'no longer found in Salesforce by the sync user' }));
  await batches.write(rows, undefined, new Set(), goneOutcomes, gone);
}
