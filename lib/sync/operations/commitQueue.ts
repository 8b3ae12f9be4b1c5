// A step's batch commits, one at a time and in order, each behind the work that follows it: the
// person pull (personWriter.ts) and the object pulls (objects/batches.ts). With `join`, group
// commit: what is recorded while one commit is being written joins the commit queued behind it, so
// a log slower than Marketo's answers (PostgreSQL on a busy machine) writes fewer, larger batches
// instead of a queue of them (docs/engine-cursors.md "Group commit").
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';

/** Outcomes one group commit takes at most: a page's worth, as a page of skipped rows makes. */
export const GROUP_COMMIT_UP_TO = 2000;

export class CommitQueue<B> {
  /** The last commit queued: settled once it and every one before it were written. */
  private last: Promise<void> | undefined;
  /** The batch queued behind the commit being written, which what is recorded meanwhile may join. */
  private waiting: B | undefined;
  /** The first commit that failed (every later one fails with it). */
  failure: { error: unknown } | undefined;

  constructor(
    private readonly write: (batch: B) => Promise<void>,
    /** Takes `batch` into `waiting` and says so, or leaves both and says not (no join: never). */
    private readonly join?: (waiting: B, batch: B) => boolean,
  ) {}

  /** Queues the batch behind the commits under way, or adds it to the one waiting when it joins. */
  add(batch: B): void {
    if (this.waiting && this.join?.(this.waiting, batch)) return;
    this.waiting = batch;
    const previous = this.last;
    const commit = (async () => {
      await previous;
      // From here on it is being written: nothing joins it.
      if (this.waiting === batch) this.waiting = undefined;
      await this.write(batch);
    })();
    // Raised by drain() or by the caller's next look at `failure`; never an unhandled rejection.
    commit.catch((error) => {
      this.failure ??= { error };
    });
    this.last = commit;
  }

  /** Waits for every commit queued; throws the first failure. */
  async drain(): Promise<void> {
    const last = this.last;
    this.last = undefined;
    await last;
  }
}

export interface GroupBatch {
  outcomes: PackedOutcome[];
  states: Map<string, SyncState | null>;
  /** The step's position after the batch: a later batch's, when several were grouped. */
  cursor?: { key: string; value: string };
}

/**
 * Group commit of outcomes, states and a position, up to `upTo` outcomes: the later state of a
 * record and the later position win (a batch's position covers every batch before it).
 */
export function joinUpTo(upTo = GROUP_COMMIT_UP_TO) {
  return (waiting: GroupBatch, batch: GroupBatch): boolean => {
    if (waiting.outcomes.length + batch.outcomes.length > upTo) return false;
    for (const outcome of batch.outcomes) waiting.outcomes.push(outcome);
    for (const [id, state] of batch.states) waiting.states.set(id, state);
    if (batch.cursor) waiting.cursor = batch.cursor;
    return true;
  };
}
