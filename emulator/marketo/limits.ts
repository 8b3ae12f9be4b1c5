// Marketo's call limits (api-facts B2): 100 calls per rolling 20 s, 10 concurrent calls, a daily
// quota that resets at 00:00 US Central. Identity calls and calls failing with the asterisked
// codes are not counted; neither are calls the limiter itself refused.

export interface MarketoLimits {
  callsPerWindow: number;
  windowMs: number;
  maxConcurrent: number;
  dailyQuota: number;
  enabled: boolean;
}

export const DEFAULT_LIMITS: MarketoLimits = {
  callsPerWindow: 100,
  windowMs: 20_000,
  maxConcurrent: 10,
  dailyQuota: 50_000,
  enabled: true,
};

export type LimitRefusal = { code: '606' | '607' | '615'; message: string };

const centralDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Chicago',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day (YYYY-MM-DD) in US Central time, the day Marketo's quota belongs to. */
export function quotaDay(ms: number): string {
  return centralDate.format(ms);
}

interface DayUsage {
  total: number;
  users: Map<string, number>;
  errors: Map<string, number>;
}

export class RateLimiter {
  limits: MarketoLimits;
  private windowCalls: number[] = [];
  private windowHead = 0;
  private inFlight = 0;
  private readonly days = new Map<string, DayUsage>();

  constructor(
    private readonly now: () => number,
    limits: Partial<MarketoLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  set(partial: Partial<MarketoLimits>): void {
    this.limits = { ...this.limits, ...partial };
  }

  /** Checks the limits for a new call; on success the call holds a concurrency slot. */
  admit(): LimitRefusal | null {
    const { enabled, callsPerWindow, windowMs, maxConcurrent, dailyQuota } = this.limits;
    if (enabled) {
      const now = this.now();
      if ((this.days.get(quotaDay(now))?.total ?? 0) >= dailyQuota) {
        return { code: '607', message: 'Daily quota reached' };
      }
      if (this.inFlight >= maxConcurrent) {
        return { code: '615', message: `Concurrent access limit '${maxConcurrent}' reached` };
      }
      if (this.callsInWindow(now) >= callsPerWindow) {
        return {
          code: '606',
          message: `Max rate limit '${callsPerWindow}' exceeded with in '${Math.round(windowMs / 1000)}' secs`,
        };
      }
    }
    this.inFlight++;
    return null;
  }

  release(): void {
    if (this.inFlight > 0) this.inFlight--;
  }

  get concurrent(): number {
    return this.inFlight;
  }

  /** Records a finished, counted call against the window and the daily usage. */
  count(userId: string, errorCode?: string): void {
    const now = this.now();
    this.windowCalls.push(now);
    const day = this.day(quotaDay(now));
    day.total++;
    day.users.set(userId, (day.users.get(userId) ?? 0) + 1);
    if (errorCode) day.errors.set(errorCode, (day.errors.get(errorCode) ?? 0) + 1);
  }

  /** Errors that were not counted as calls still show up in stats/errors.json. */
  countErrorOnly(errorCode: string): void {
    const day = this.day(quotaDay(this.now()));
    day.errors.set(errorCode, (day.errors.get(errorCode) ?? 0) + 1);
  }

  callsInWindow(now = this.now()): number {
    const cutoff = now - this.limits.windowMs;
    while (this.windowHead < this.windowCalls.length && this.windowCalls[this.windowHead]! <= cutoff) {
      this.windowHead++;
    }
    if (this.windowHead > 1024 && this.windowHead * 2 > this.windowCalls.length) {
      this.windowCalls = this.windowCalls.slice(this.windowHead);
      this.windowHead = 0;
    }
    return this.windowCalls.length - this.windowHead;
  }

  usage(days: string[]): { date: string; total: number; users: { userId: string; count: number }[] }[] {
    return days.map((date) => {
      const day = this.days.get(date);
      return {
        date,
        total: day?.total ?? 0,
        users: [...(day?.users ?? [])].map(([userId, count]) => ({ userId, count })),
      };
    });
  }

  errors(days: string[]): { date: string; total: number; errors: { errorCode: string; count: number }[] }[] {
    return days.map((date) => {
      const errors = [...(this.days.get(date)?.errors ?? [])].map(([errorCode, count]) => ({
        errorCode,
        count,
      }));
      return { date, total: errors.reduce((sum, e) => sum + e.count, 0), errors };
    });
  }

  /** Clears usage counters and the rolling window (not the configured limits). */
  resetUsage(): void {
    this.windowCalls = [];
    this.windowHead = 0;
    this.days.clear();
  }

  private day(date: string): DayUsage {
    let day = this.days.get(date);
    if (!day) {
      day = { total: 0, users: new Map(), errors: new Map() };
      this.days.set(date, day);
    }
    return day;
  }
}
