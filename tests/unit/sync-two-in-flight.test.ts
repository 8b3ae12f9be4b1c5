// The pulls' two Marketo calls in flight (lib/sync/operations/twoInFlight.ts): results are taken in
// the order the calls started whatever order the answers come in, never more than two run at once,
// and a failed call fails later turns only after the earlier ones have taken their results.
import { describe, expect, it } from 'vitest';
import { TwoInFlight } from '../../lib/sync/operations/twoInFlight';

/** A call answered when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TwoInFlight', () => {
  it('takes results in start order when the answers come reversed; at most two run at once', async () => {
    const calls = new TwoInFlight();
    const answers = [deferred<number>(), deferred<number>(), deferred<number>()];
    const taken: number[] = [];
    let running = 0;
    let peak = 0;
    const start = (i: number) =>
      calls.start(
        async () => {
          peak = Math.max(peak, ++running);
          try {
            return await answers[i]!.promise;
          } finally {
            running--;
          }
        },
        (n) => taken.push(n),
      );
    await start(0); // returns at once: nothing before it
    const second = start(1); // returns once the first is through
    let secondReturned = false;
    void second.then(() => {
      secondReturned = true;
    });
    answers[1]!.resolve(1);
    await tick();
    expect(taken).toEqual([]); // the second answered first, but waits for its turn
    expect(secondReturned).toBe(false);
    answers[0]!.resolve(0);
    await second; // the first is through; the second's result follows in its own turn
    expect(taken[0]).toBe(0);
    await tick();
    expect(taken).toEqual([0, 1]);
    const third = start(2);
    answers[2]!.resolve(2);
    await third;
    await calls.done();
    expect(taken).toEqual([0, 1, 2]);
    expect(peak).toBe(2);
  });

  it('a call failing while the one before still runs: that one is taken first, then the failure, and no call starts after', async () => {
    const calls = new TwoInFlight();
    const first = deferred<string>();
    const taken: string[] = [];
    await calls.start(
      () => first.promise,
      (s) => taken.push(s),
    );
    const second = calls.start(
      () => Promise.reject(new Error('refused')),
      (s: string) => taken.push(s),
    );
    let failedBeforeFirstTaken = false;
    void calls.done().catch(() => {
      failedBeforeFirstTaken = taken.length === 0;
    });
    await tick();
    first.resolve('first');
    await second; // the first is through: the second's own failure comes from done()
    await expect(calls.done()).rejects.toThrow('refused');
    expect(taken).toEqual(['first']);
    expect(failedBeforeFirstTaken).toBe(false);
    let called = false;
    await expect(
      calls.start(
        async () => {
          called = true;
          return 'third';
        },
        (s) => taken.push(s),
      ),
    ).rejects.toThrow('refused');
    expect(called).toBe(false);
  });

  it('with wait, returns only once its own result is taken', async () => {
    const calls = new TwoInFlight();
    const taken: number[] = [];
    await calls.start(
      async () => 1,
      (n) => taken.push(n),
      true,
    );
    expect(taken).toEqual([1]);
  });
});
