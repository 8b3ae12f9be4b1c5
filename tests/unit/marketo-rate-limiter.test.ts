import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClockPort } from '../../lib/http/ports';
import { MarketoApiError } from '../../lib/marketo/errors';
import { MarketoRateLimiter, marketoQuotaDay, type RateLimitSlot } from '../../lib/marketo/rateLimiter';

/** A clock whose time moves only when the test says so; sleepers wake in time order. */
class FakeClock implements ClockPort {
  private timers: { at: number; wake: () => void }[] = [];
  constructor(public t = Date.UTC(2026, 10, 23, 15, 0, 0)) {}
  now = () => this.t;
  sleep = (ms: number) =>
    new Promise<void>((wake) => {
      this.timers.push({ at: this.t + Math.max(0, ms), wake });
    });
  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.wake();
    }
    this.t = end;
    await settle();
  }
  /** Runs until nothing sleeps any more. */
  async runAll(limit = 1_000_000): Promise<void> {
    await settle();
    while (this.timers.length > 0) {
      const at = Math.min(...this.timers.map((t) => t.at));
      if (at - this.t > limit) throw new Error('timers too far away');
      await this.advance(at - this.t);
    }
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tracks a pending acquire so the test can see whether it was admitted yet. */
function track(limiter: MarketoRateLimiter) {
  const state: { slot?: RateLimitSlot; error?: unknown } = {};
  limiter.acquire().then(
    (slot) => {
      state.slot = slot;
    },
    (error) => {
      state.error = error;
    },
  );
  return state;
}

describe('MarketoRateLimiter', () => {
  it('admits a full window at once, then waits until the oldest finished call ages out', async () => {
    const clock = new FakeClock();
    const limiter = new MarketoRateLimiter(clock, {
      callsPerWindow: 5,
      windowMs: 1_000,
      maxConcurrent: 10,
      marginMs: 0,
    });
    const first = Array.from({ length: 5 }, () => track(limiter));
    await settle();
    expect(first.every((s) => s.slot)).toBe(true);
    for (const s of first) s.slot!.release();
    const sixth = track(limiter);
    await clock.advance(999);
    expect(sixth.slot).toBeUndefined();
    expect(limiter.usage()).toMatchObject({ inWindow: 5, waiting: 1 });
    await clock.advance(1);
    expect(sixth.slot).toBeDefined();
  });

  it('counts the window from when a call finished, so a slow call holds its slot longer', async () => {
    const clock = new FakeClock();
    const limiter = new MarketoRateLimiter(clock, {
      callsPerWindow: 2,
      windowMs: 1_000,
      maxConcurrent: 10,
      marginMs: 0,
    });
    const a = track(limiter);
    const b = track(limiter);
    await settle();
    a.slot!.release(); // finishes at 0
    const c = track(limiter);
    const d = track(limiter);
    await clock.advance(500);
    b.slot!.release(); // finishes at 500
    await clock.advance(499);
    expect(c.slot).toBeUndefined();
    await clock.advance(1); // t = 1000: a's slot is free
    expect(c.slot).toBeDefined();
    expect(d.slot).toBeUndefined();
    await clock.advance(499);
    expect(d.slot).toBeUndefined();
    await clock.advance(1); // t = 1500: b's slot is free
    expect(d.slot).toBeDefined();
  });

  it('starts a window slot from when the answer arrived, keeping the log in time order', async () => {
    const clock = new FakeClock();
    const limiter = new MarketoRateLimiter(clock, {
      callsPerWindow: 2,
      windowMs: 1_000,
      maxConcurrent: 10,
      marginMs: 0,
    });
    const a = track(limiter);
    const b = track(limiter);
    await settle();
    const t0 = clock.now();
    await clock.advance(300);
    a.slot!.release(); // answered and released at 300
    await clock.advance(100);
    b.slot!.release(t0 + 100); // answered at 100, body read until 400
    b.slot!.release(t0 + 50); // ignored: already released
    const c = track(limiter);
    const d = track(limiter);
    await clock.advance(699); // t = 1099
    expect(c.slot).toBeUndefined();
    await clock.advance(1); // t = 1100: b's slot (answered at 100) is free first
    expect(c.slot).toBeDefined();
    expect(d.slot).toBeUndefined();
    await clock.advance(200); // t = 1300: a's slot
    expect(d.slot).toBeDefined();
  });

  it('keeps at most maxConcurrent calls in flight and admits in arrival order', async () => {
    const clock = new FakeClock();
    const limiter = new MarketoRateLimiter(clock, { callsPerWindow: 100, windowMs: 1_000, maxConcurrent: 2 });
    const calls = Array.from({ length: 4 }, () => track(limiter));
    await settle();
    expect(calls.map((c) => Boolean(c.slot))).toEqual([true, true, false, false]);
    calls[1]!.slot!.release();
    calls[1]!.slot!.release(); // a second release is ignored
    await settle();
    expect(calls.map((c) => Boolean(c.slot))).toEqual([true, true, true, false]);
    expect(limiter.usage().inFlight).toBe(2);
  });

  it('holds admissions during a pause (after a 606)', async () => {
    const clock = new FakeClock();
    const limiter = new MarketoRateLimiter(clock, { windowMs: 1_000 });
    limiter.pause(300);
    const call = track(limiter);
    await clock.advance(299);
    expect(call.slot).toBeUndefined();
    await clock.advance(1);
    expect(call.slot).toBeDefined();
  });

  it('stops with a clear quota error when the daily budget is spent, and starts again the next US Central day', async () => {
    // 23:00 in Chicago (UTC-6 in November) on 23 Nov.
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 5, 0, 0));
    const day = marketoQuotaDay(clock.now());
    expect(day).toBe('2026-11-23');
    const limiter = new MarketoRateLimiter(clock, { dailyBudget: 3 }, { day, usedToday: 2 });
    await limiter.run(async () => undefined);
    const refused = track(limiter);
    await settle();
    expect(refused.error).toBeInstanceOf(MarketoApiError);
    expect(refused.error).toMatchObject({ code: 'DAILY_BUDGET', kind: 'quota', retryable: false });
    expect(String((refused.error as Error).message)).toMatch(/daily API budget of 3 calls is spent/);
    await clock.advance(60 * 60 * 1000); // midnight in Chicago
    expect(limiter.usage()).toMatchObject({ day: '2026-11-24', usedToday: 0 });
    const next = track(limiter);
    await settle();
    expect(next.slot).toBeDefined();
  });

  it('ignores usage restored from another day', () => {
    const clock = new FakeClock();
    const limiter = new MarketoRateLimiter(clock, { dailyBudget: 3 }, { day: '2000-01-01', usedToday: 3 });
    expect(limiter.usage().usedToday).toBe(0);
  });

  it('never lets a server see more than the limits, however long calls take (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 400 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        async (durations, callsPerWindow, maxConcurrent) => {
          const clock = new FakeClock();
          const windowMs = 1_000;
          const limiter = new MarketoRateLimiter(clock, {
            callsPerWindow,
            windowMs,
            maxConcurrent,
            marginMs: 0,
          });
          const spans: { start: number; end: number }[] = [];
          let inFlight = 0;
          let peak = 0;
          const runs = durations.map((ms) =>
            limiter.run(async () => {
              const span = { start: clock.now(), end: Number.POSITIVE_INFINITY };
              spans.push(span);
              peak = Math.max(peak, ++inFlight);
              await clock.sleep(ms);
              inFlight--;
              span.end = clock.now();
            }),
          );
          await clock.runAll();
          await Promise.all(runs);
          expect(peak).toBeLessThanOrEqual(maxConcurrent);
          for (const call of spans) {
            // A server counting calls when they arrive:
            const arrived = spans.filter((o) => o.start > call.start - windowMs && o.start <= call.start);
            expect(arrived.length).toBeLessThanOrEqual(callsPerWindow);
            // A server counting calls when they finish (like the emulator), checking on arrival:
            const finished = spans.filter(
              (o) => o !== call && o.end > call.start - windowMs && o.end <= call.start,
            );
            const running = spans.filter((o) => o !== call && o.start <= call.start && o.end > call.start);
            expect(finished.length + running.length).toBeLessThan(callsPerWindow);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('runs at the ceiling when calls are quick: 5 windows of calls take 4 windows of waiting', async () => {
    const clock = new FakeClock();
    const limiter = new MarketoRateLimiter(clock, {
      callsPerWindow: 100,
      windowMs: 20_000,
      maxConcurrent: 10,
    });
    const started = clock.now();
    let last = 0;
    const runs = Array.from({ length: 500 }, () =>
      limiter.run(async () => {
        last = clock.now();
        await clock.sleep(1);
      }),
    );
    await clock.runAll();
    await Promise.all(runs);
    // Each window costs its length plus one call's latency and the margin: ≥ 99 % of the ceiling.
    expect(last - started).toBeLessThanOrEqual(4 * (20_000 + 1 + 2) + 10);
    expect(last - started).toBeGreaterThanOrEqual(4 * 20_000);
  });
});
