// Client-side limiter for Marketo's call limits (api-facts B2): N calls per rolling window, M calls
// in flight, and a daily budget that resets at 00:00 US Central. The goal is that 606/615/607
// never happen in normal runs, so the sync runs at the ceiling instead of bouncing off it.
//
// Sliding window log keyed on *answer* time: a call holds its window slot from admission until
// `windowMs` after its answer began to arrive. Marketo (and the emulator) may count a call when it
// arrives or when it finishes (only then is it known whether an asterisked code makes it free);
// both lie between our admission and the answer, so any two calls `callsPerWindow` apart reach the
// server at least a full window apart whichever way it counts. The cost is one call's latency per
// window (under 1 % at 20 s with quick calls), far less than a count margin would cost.
import type { ClockPort } from '../http/ports';
import { MarketoApiError } from './errors';

export interface MarketoRateLimits {
  callsPerWindow: number;
  windowMs: number;
  maxConcurrent: number;
  /** Calls per US-Central day this client may spend (Marketo's quota is 50,000 on most plans). */
  dailyBudget: number;
  /** Extra wait after a slot ages out, against timer and clock granularity. */
  marginMs: number;
}

export const MARKETO_RATE_LIMITS: MarketoRateLimits = {
  callsPerWindow: 100,
  windowMs: 20_000,
  maxConcurrent: 10,
  dailyBudget: 50_000,
  marginMs: 2,
};

export interface RateLimiterUsage {
  day: string;
  usedToday: number;
  inFlight: number;
  inWindow: number;
  waiting: number;
}

export interface RateLimitSlot {
  /**
   * Ends the call: frees the concurrency slot and starts its window slot's countdown from
   * `answeredAt` (when the server's answer began to arrive; by then it has counted the call),
   * or from now.
   */
  release(answeredAt?: number): void;
}

const centralDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Chicago',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day Marketo's quota belongs to (YYYY-MM-DD in US Central). */
export function marketoQuotaDay(ms: number): string {
  return centralDay.format(ms);
}

export class MarketoRateLimiter {
  readonly limits: MarketoRateLimits;
  private readonly finished: number[] = []; // completion times, oldest first
  private inFlight = 0;
  private day: string;
  private usedToday: number;
  private pausedUntil = 0;
  private readonly waiters: { resolve: (slot: RateLimitSlot) => void; reject: (error: unknown) => void }[] =
    [];
  private releaseSignals: (() => void)[] = [];
  private pumping = false;

  constructor(
    private readonly clock: ClockPort,
    limits: Partial<MarketoRateLimits> = {},
    /** Usage already spent today (e.g. restored from storage when the service worker restarts). */
    initialUsage?: { day: string; usedToday: number },
  ) {
    this.limits = { ...MARKETO_RATE_LIMITS, ...limits };
    this.day = marketoQuotaDay(clock.now());
    this.usedToday = initialUsage && initialUsage.day === this.day ? initialUsage.usedToday : 0;
  }

  /** Waits for a slot. Rejects with a `DAILY_BUDGET` error once today's budget is spent. */
  acquire(): Promise<RateLimitSlot> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      void this.pump();
    });
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    try {
      return await call();
    } finally {
      slot.release();
    }
  }

  /** Holds every new admission for `ms` (after a 606: the server's window is fuller than ours). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  usage(): RateLimiterUsage {
    const now = this.clock.now();
    this.rollDay(now);
    this.prune(now);
    return {
      day: this.day,
      usedToday: this.usedToday,
      inFlight: this.inFlight,
      inWindow: this.finished.length + this.inFlight,
      waiting: this.waiters.length,
    };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const now = this.clock.now();
        this.rollDay(now);
        if (this.usedToday >= this.limits.dailyBudget) {
          this.rejectAll();
          break;
        }
        if (now < this.pausedUntil) {
          await this.clock.sleep(this.pausedUntil - now);
          continue;
        }
        this.prune(now);
        if (this.inFlight >= this.limits.maxConcurrent) {
          await this.nextRelease();
          continue;
        }
        if (this.finished.length + this.inFlight >= this.limits.callsPerWindow) {
          const oldest = this.finished[0];
          // Every window slot is held by a call still running: its end starts the next countdown.
          if (oldest === undefined) await this.nextRelease();
          else await this.clock.sleep(oldest + this.limits.windowMs + this.limits.marginMs - now);
          continue;
        }
        this.inFlight++;
        this.usedToday++;
        this.waiters.shift()!.resolve(this.slot());
      }
    } finally {
      this.pumping = false;
    }
  }

  private slot(): RateLimitSlot {
    let released = false;
    return {
      release: (answeredAt?: number) => {
        if (released) return;
        released = true;
        this.inFlight--;
        const at = Math.min(answeredAt ?? Number.POSITIVE_INFINITY, this.clock.now());
        // Keep the log sorted: answers can be stamped out of order.
        let index = this.finished.length;
        while (index > 0 && this.finished[index - 1]! > at) index--;
        this.finished.splice(index, 0, at);
        const signals = this.releaseSignals;
        this.releaseSignals = [];
        for (const signal of signals) signal();
      },
    };
  }

  private nextRelease(): Promise<void> {
    return new Promise((resolve) => this.releaseSignals.push(resolve));
  }

  private prune(now: number): void {
    const expiry = now - this.limits.windowMs - this.limits.marginMs;
    while (this.finished.length > 0 && this.finished[0]! <= expiry) this.finished.shift();
  }

  private rollDay(now: number): void {
    const day = marketoQuotaDay(now);
    if (day !== this.day) {
      this.day = day;
      this.usedToday = 0;
    }
  }

  private rejectAll(): void {
    const error = new MarketoApiError(
      'DAILY_BUDGET',
      `Marketo daily API budget of ${this.limits.dailyBudget} calls is spent; calls resume after 00:00 US Central`,
      'rate limiter',
      false,
      'quota',
    );
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}
