// Pull Updates' person writes over a whole step (design §5). Pages are classified one at a time,
// but written in Marketo calls of 300 across page ends, one queue per kind of call:
// - upserts by the record's own link field (createOrUpdate);
// - takeovers: a new contact converted from a lead takes over the lead's person, by Marketo id
//   (Marketo allows lookupField id with updateOnly only, api-facts B5: another call).
// So a step spends ceil(upserts / 300) + ceil(takeovers / 300) write calls, however the two mix.
// Each call's results are committed with the cursor at the end of the longest prefix of the stream
// that is fully written — a position (SystemModstamp, Id), the stream's order: a row still waiting
// in a queue holds the cursor at the row before it, so a stop (however many rows share a second)
// loses only uncommitted writes, redone from that position (rows already written hash as unchanged
// and are skipped).
// Commits run one at a time and in order, each behind the next Marketo call: the log write of
// call K overlaps the network time of call K+1; calls answered while a commit is being written are
// committed together after it (group commit, commitQueue.ts). Two calls are in flight at once
// (docs/engine-cursors.md "Two calls in flight"): call K+1 goes out while K waits for its answer,
// and the answers are recorded, taken off their queues and committed in the order the calls went
// out — a queue's rows leave it only once answered, so the cursor never passes an unanswered row.
// The next page does not wait for them (docs/engine-cursors.md "Pages do not wait"): its rows'
// sync states are not among what they write (a read has each record once), and waiting drained
// the pipeline at every page end — ~2.3 s of a 7.8 s first sync of 100,000 leads through the
// service. A page with a record still on its way waits for them first, so its state read sees
// what they wrote.

import { loadStates } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { MARKETO_BATCH, type MarketoRecordOutcome } from '../../marketo';
import type { StepContext } from '../context';
import { type PullPosition, parseSalesforceDate } from '../cursors';
import { linkValues, ownLink } from '../linkage';
import { CommitQueue, type GroupBatch, joinUpTo } from './commitQueue';
import { marketoError, nameOf } from './common';
import {
  classify,
  convertedPersons,
  dropMarketoWins,
  lookUpConvertedLeads,
  type PendingWrite,
  type PullRow,
  type PullSetup,
  pushRecheck,
  withWrittenNumbers,
  writtenChanges,
} from './pullBatch';
import { owedAfterPullFailure, pullFailure, withPullOwed } from './pullOwed';
import { TwoInFlight } from './twoInFlight';

/** Where a streamed pull keeps its checkpoint: the position of the last row of the written prefix. */
export interface PullCheckpoint {
  key: string;
  /** The stored cursor value, if any. */
  stored: string | undefined;
  /** The cursor value for a prefix ending at `last` (pullUpdates.ts: settled per the read's second). */
  format(last: PullPosition): string;
}

interface Queued {
  write: PendingWrite;
  /**
   * The row before this one in the stream: how far the cursor may go while it waits. Kept as the
   * row, its position parsed only when a commit needs it (one date parse per commit, not per row).
   */
  before: PullRow | undefined;
  /** Stream order across the two queues. */
  seq: number;
}

/** A row's place in the stream's order. */
export function positionOf(row: PullRow): PullPosition {
  return { at: parseSalesforceDate(row.SystemModstamp), id: row.Id };
}

export class PersonWriter {
  private readonly upserts: Queued[] = [];
  private readonly takeovers: Queued[] = [];
  private outcomes: PackedOutcome[] = [];
  private states = new Map<string, SyncState | null>();
  /** The step's commits; a batch done removes its records from `onTheirWay`. */
  private readonly batches = new CommitQueue<GroupBatch>(async (batch) => {
    await this.ctx.commit(batch);
    for (const outcome of batch.outcomes) this.onTheirWay.delete(outcome.sfId);
  }, joinUpTo());
  private commits = 0;
  private cursorValue: string | undefined;
  private seq = 0;
  private lastRow: PullRow | undefined;
  /** Rows at the front of each queue that a call in flight has taken (not answered yet). */
  private readonly taken = new Map<Queued[], number>();
  /** The Marketo calls; a turn records its answers (in the order the calls went out). */
  private readonly calls = new TwoInFlight();
  /** Records added whose outcome is not committed yet: queued, in a call, recorded or committing. */
  private readonly onTheirWay = new Set<string>();

  constructor(
    private readonly ctx: StepContext,
    private readonly setup: PullSetup,
    private readonly checkpoint?: PullCheckpoint,
  ) {
    this.cursorValue = checkpoint?.stored;
  }

  /** Classifies one page and writes whatever filled a call. */
  async add(rows: PullRow[]): Promise<void> {
    const { ctx, setup } = this;
    // The sync state read below must see what the calls and commits still under way write for
    // these records: they wait for them only when they are among them. A failure stops the step
    // here (settle throws it); with more than a page's records under way (PostgreSQL or Marketo
    // slower than the read) they wait too, so what is kept in memory stays about two pages.
    if (
      this.batches.failure ||
      this.calls.hasFailed ||
      this.onTheirWay.size > rows.length ||
      rows.some((r) => this.onTheirWay.has(r.Id))
    )
      await this.settle();
    for (const row of rows) this.onTheirWay.add(row.Id);
    const states = await loadStates(
      ctx.db,
      rows.map((r) => r.Id),
    );
    const { outcomes, newStates, writes } = classify(ctx, setup, rows, states);
    await dropMarketoWins(ctx, setup, writes);
    await lookUpConvertedLeads(ctx, setup, writes);
    const converted = convertedPersons(ctx);
    const writeOf = new Map(writes.map((w) => [w.row, w]));
    for (const row of rows) {
      const write = writeOf.get(row);
      if (write) {
        const queue = !write.state && converted.has(row.Id) ? this.takeovers : this.upserts;
        queue.push({ write, before: this.lastRow, seq: this.seq++ });
      }
      this.lastRow = row;
    }
    this.outcomes.push(...outcomes);
    for (const [id, state] of newStates) this.states.set(id, state);
    for (const queue of [this.upserts, this.takeovers])
      while (this.waiting(queue) >= MARKETO_BATCH) await this.write(queue);
    // The page's skipped and excluded rows are not kept in memory past their page (with the calls
    // still in flight they go with the first answer's commit, or the next page's).
    if (this.outcomes.length || this.states.size) this.commitBehind();
  }

  /** Writes what is left in the queues and waits for every commit. */
  async finish(): Promise<void> {
    for (const queue of [this.upserts, this.takeovers])
      while (this.waiting(queue) > 0) await this.write(queue);
    await this.calls.done();
    if (this.outcomes.length || this.states.size || this.cursorUpdate() || !this.commits) {
      this.commitBehind();
    }
    await this.settle();
  }

  /** Position of the last row added so far (undefined before the first). */
  get last(): PullPosition | undefined {
    return this.lastRow && positionOf(this.lastRow);
  }

  /**
   * Waits for the calls and the commit in flight; throws the first error. Call it before the step
   * ends, also on failure: answered calls are recorded and committed even when a later one failed.
   */
  async settle(): Promise<void> {
    const sent = await this.calls.settled();
    await this.batches.drain();
    if (sent) throw sent.error;
  }

  /** Rows of the queue no call has taken yet. */
  private waiting(queue: Queued[]): number {
    return queue.length - (this.taken.get(queue) ?? 0);
  }

  /**
   * Sends the queue's next call and returns once at most one call is in flight (this one): the
   * one before it has been answered and recorded. Its own answer is recorded in its turn.
   */
  private async write(queue: Queued[]): Promise<void> {
    if (this.batches.failure) throw this.batches.failure.error;
    this.ctx.budget.check();
    const from = this.taken.get(queue) ?? 0;
    const rows = queue.slice(from, from + MARKETO_BATCH);
    this.taken.set(queue, from + rows.length);
    await this.calls.start(
      () => this.call(queue, rows),
      (answers) => {
        // Only now do these rows leave the queue: the cursor must not pass a write that failed.
        queue.splice(0, rows.length);
        this.taken.set(queue, (this.taken.get(queue) ?? 0) - rows.length);
        for (const [i, q] of rows.entries()) this.record(q.write, answers[i]!);
        this.commitBehind();
      },
    );
  }

  /** One Marketo call for these rows (upserts by their link field, or takeovers by person id). */
  private async call(queue: Queued[], rows: Queued[]): Promise<MarketoRecordOutcome[]> {
    const { ctx, setup } = this;
    const sobject = setup.sobject as 'Lead' | 'Contact';
    const batch = rows.map((q) => q.write);
    // The values object becomes the input (it is not read again): no copy of every record.
    const input = (w: PendingWrite) =>
      Object.assign(w.values, linkValues(setup.links, sobject, w.row.Id, w.row.AccountId));
    if (queue === this.takeovers) {
      const converted = convertedPersons(ctx);
      return ctx.marketo.leads.sync({
        action: 'updateOnly',
        lookupField: 'id',
        input: batch.map((w) => Object.assign(input(w), { id: converted.get(w.row.Id)! })),
      });
    }
    return ctx.marketo.leads.sync({
      action: 'createOrUpdate',
      lookupField: ownLink(setup.links, sobject),
      input: batch.map(input),
    });
  }

  private record(w: PendingWrite, result: MarketoRecordOutcome): void {
    const sobject = this.setup.sobject as 'Lead' | 'Contact';
    const name = nameOf(w.row);
    if (result.status === 'skipped' || typeof result.id !== 'number') {
      const error = marketoError(result);
      this.outcomes.push({
        sfId: w.row.Id,
        outcome: 'failed',
        error,
        ...pullFailure(w),
        ...(name && { name }),
      });
      // A record synced before keeps what it owes in its state (a first write owes everything anyway).
      if (w.state) this.states.set(w.row.Id, withPullOwed(w.state, owedAfterPullFailure(w, error)));
      return;
    }
    const f = w.state ? { ...w.state.hashes, ...w.hashes } : w.hashes;
    const base = w.state ? withPullOwed(w.state, w.owed.held) : undefined;
    const entry: SyncState = { ...base, sobject, hashes: f, marketoId: result.id };
    delete entry.excluded;
    // The pull clears the record's failure flag; a push still owed is re-checked this cycle.
    if (entry.pushOwed) pushRecheck(this.ctx).push(result.id);
    if (sobject === 'Contact') entry.accountId = w.row.AccountId ?? null;
    this.states.set(w.row.Id, withWrittenNumbers(this.ctx, w, entry));
    this.outcomes.push({
      sfId: w.row.Id,
      mktoId: result.id,
      outcome: result.status === 'created' ? 'new' : 'updated',
      changes: writtenChanges(w, (field) => w.row[field.sf]),
      ...(w.owed.settles && { settles: w.owed.settles }),
      ...(name && { name }),
    });
  }

  /** The cursor up to the first row still waiting in a queue, when it differs from the stored one. */
  private cursorUpdate(): { key: string; value: string } | undefined {
    if (!this.checkpoint) return undefined;
    const heads = [this.upserts[0], this.takeovers[0]].filter((q) => q !== undefined);
    const first = heads.sort((a, b) => a.seq - b.seq)[0];
    // Nothing applied yet in this stream (the first row waits, or no row came): the stored cursor stays.
    const end = first ? first.before : this.lastRow;
    if (!end) return undefined;
    const value = this.checkpoint.format(positionOf(end));
    return value === this.cursorValue ? undefined : { key: this.checkpoint.key, value };
  }

  /** Commits what was recorded so far, behind the commits under way (commitQueue.ts). */
  private commitBehind(): void {
    const cursor = this.cursorUpdate();
    if (cursor) this.cursorValue = cursor.value;
    this.batches.add({ outcomes: this.outcomes, states: this.states, ...(cursor && { cursor }) });
    this.outcomes = [];
    this.states = new Map();
    this.commits++;
  }
}
