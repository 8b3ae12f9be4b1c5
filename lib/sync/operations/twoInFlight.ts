// Calls that overlap two at a time, their results taken in the order the calls started: the pulls'
// Marketo writes (objects/batches.ts, personWriter.ts; docs/engine-cursors.md "Two calls in
// flight", docs/objects.md "Two writes in flight"). Marketo's time on one call overlaps the
// engine's on the next, while everything after the answers — shared state, queues, commits —
// happens in call order.

export class TwoInFlight {
  /** The last call's turn: settled once its result was taken (or it failed). */
  private last: Promise<void> = Promise.resolve();
  private failed = false;

  /**
   * Starts `call` now and `take`s its result in its turn, after every earlier result was taken.
   * `call` may await `inTurn()` itself before it changes what the calls share. Returns once the
   * call before it is through (at most this one still in flight), or with `wait` once this one is.
   * A failed call fails every later turn, only after the turns before it are through (what they
   * took is handed on first); after a failure no call starts: this throws that failure.
   */
  async start<T>(
    call: (inTurn: () => Promise<void>) => Promise<T>,
    take: (result: T) => void,
    wait = false,
  ): Promise<void> {
    const previous = this.last;
    if (this.failed) await previous;
    const turn = (async () => {
      const result = await call(() => previous).finally(() => previous.catch(() => undefined));
      await previous;
      take(result);
    })();
    // Seen by the next start() or done(); never an unhandled rejection meanwhile.
    turn.catch(() => {
      this.failed = true;
    });
    this.last = turn;
    await (wait ? turn : previous);
  }

  /** A call failed: the next start() or done() throws. */
  get hasFailed(): boolean {
    return this.failed;
  }

  /** Every call started is through and its result taken; throws the first failure. */
  done(): Promise<void> {
    return this.last;
  }

  /** Waits as done() does, and returns the first failure instead of throwing it. */
  settled(): Promise<{ error: unknown } | undefined> {
    return this.last.then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
  }
}
