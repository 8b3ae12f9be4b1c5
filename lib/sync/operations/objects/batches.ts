// The batches of an object pull (objectPull.ts): each written by the object's writer, then
// committed — outcomes, states, position and queue in one transaction — in order.
import type { PackedOutcome } from '../../../db/types';
import type { BatchCommit, StepContext } from '../../context';
import { CommitQueue } from '../commitQueue';
import { TwoInFlight } from '../twoInFlight';
import type { ObjectPullSpec, ObjectRow, WrittenBatch } from './objectPull';
import { queuedIds } from './queue';

/**
 * Commits batches in order, each after the one before, without making the next write wait for it
 * (a batch's write needs nothing an earlier batch of the same read commits: its rows are its own).
 * The queue is kept here between batches, so each commit carries the whole list as it then stands.
 *
 * In a pull's read, a writer that says so (`spec.overlap`) is called for the next batch while the
 * one before still waits for Marketo: the engine's own work on a batch goes on during Marketo's on the previous one
 * (docs/objects.md "Two writes in flight"). At most two are in flight. Each writer awaits `inTurn`
 * once Marketo has answered and before it touches what batches share, so everything after the
 * calls — shared state, queue, commit — happens in batch order. A failure stops every later batch
 * at its turn: nothing after it is committed, and a batch Marketo took but the log did not is
 * written again by the next read (keyed createOrUpdate: the same record, not a second one).
 */
export class Batches {
  /** The batches' commits, one at a time and in batch order (not grouped: each carries the queue). */
  private readonly commits = new CommitQueue<BatchCommit>((batch) => this.ctx.commit(batch));
  /** The writers; a turn hands its batch to the commit chain. */
  private readonly writers = new TwoInFlight();

  constructor(
    private readonly ctx: StepContext,
    private readonly spec: ObjectPullSpec,
    private readonly queue: Set<string> | undefined,
  ) {}

  static async open(ctx: StepContext, spec: ObjectPullSpec): Promise<Batches> {
    const queue = spec.queue ? new Set(await queuedIds(ctx, spec.queue)) : undefined;
    return new Batches(ctx, spec, queue);
  }

  queued(): string[] {
    return [...(this.queue ?? [])];
  }

  async write(
    rows: ObjectRow[],
    cursor: { key: string; value: string } | undefined,
    quiet: ReadonlySet<string> = new Set(),
    extraOutcomes: PackedOutcome[] = [],
    gone: readonly string[] = [],
    fresh = false,
    overlap = false,
  ): Promise<void> {
    if (this.commits.failure) throw this.commits.failure.error;
    // Without overlap each batch is written before the next is read; with it, the next may start
    // as soon as this one's predecessor is through (two in flight).
    await this.writers.start(
      (inTurn): Promise<WrittenBatch> =>
        rows.length
          ? this.spec.write(rows, quiet, fresh, inTurn)
          : Promise.resolve({ outcomes: [], states: new Map() }),
      (written) => this.handOver(rows, written, cursor, extraOutcomes, gone),
      !(overlap && this.spec.overlap),
    );
  }

  /** Waits until no writer is in flight (whatever became of them): before the read's last commits. */
  async writersDone(): Promise<void> {
    await this.writers.settled();
  }

  private handOver(
    rows: ObjectRow[],
    written: WrittenBatch,
    cursor: { key: string; value: string } | undefined,
    extraOutcomes: PackedOutcome[],
    gone: readonly string[],
  ): void {
    if (this.commits.failure) throw this.commits.failure.error;
    const kept: { key: string; value: string | null }[] = [];
    if (this.queue && this.spec.queue) {
      for (const id of [...rows.map((r) => r.Id), ...gone]) this.queue.delete(id);
      for (const id of written.queued ?? []) this.queue.add(id);
      kept.push({
        key: this.spec.queue.key,
        value: this.queue.size ? JSON.stringify([...this.queue]) : null,
      });
    }
    const batch = {
      outcomes: [...written.outcomes, ...extraOutcomes],
      states: written.states,
      ...(cursor && { cursor }),
      ...(written.extraCursors && { extraCursors: written.extraCursors }),
      keptCursors: kept,
    };
    this.commits.add(batch);
  }

  /**
   * Commits a writer's batch that has no rows of its own (states, cursors), after the ones before.
   * Never throws: after a failed commit nothing more is committed, and settle() raises that failure.
   */
  commitWritten(written: WrittenBatch): void {
    this.commits.add({
      outcomes: written.outcomes,
      states: written.states,
      ...(written.extraCursors && { extraCursors: written.extraCursors }),
    });
  }

  /** Waits for every writer and commit; raises the first failure (what was handed on commits first). */
  async settle(): Promise<void> {
    const writing = await this.writers.settled();
    await this.commits.drain();
    if (writing) throw writing.error;
  }
}
