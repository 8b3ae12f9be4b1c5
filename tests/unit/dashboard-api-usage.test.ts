import { describe, expect, it } from 'vitest';
import { apiUsageView, nextCentralMidnight, paceOf } from '../../lib/dashboard/apiUsage';
import type { CycleRow } from '../../lib/db/types';
import { emptyCounters } from '../../lib/db/types';
import { marketoQuotaDay } from '../../lib/marketo/rateLimiter';
import { defaultSettings } from '../../lib/settings/schema';
import type { DailyUsage } from '../../lib/sync/dailyUsage';
import { retryPause, retryPauseText } from '../../lib/sync/retryPause';

const HOUR = 3_600_000;
// 2026-11-20 15:00 UTC = 09:00 US Central (CST, UTC−6).
const NOW = Date.UTC(2026, 10, 20, 15, 0);

const cycle = (id: number, startedAt: number, salesforce: number, marketo: number): CycleRow => ({
  id,
  trigger: 'schedule',
  startedAt,
  endedAt: startedAt + 30_000,
  status: 'Completed',
  totals: emptyCounters(),
  apiCalls: { salesforce, marketo },
});

describe('the day’s projection', () => {
  it('paces by the cycles of the last three hours', () => {
    const cycles = [
      { id: 1, startedAt: NOW - 5 * HOUR, salesforce: 500, marketo: 500 }, // outside the window
      { id: 2, startedAt: NOW - 3 * HOUR, salesforce: 30, marketo: 60 },
      { id: 3, startedAt: NOW - HOUR, salesforce: 30, marketo: 60 },
    ];
    expect(paceOf(cycles, NOW)).toEqual({ salesforce: 20, marketo: 40 });
  });

  it('measures a young sync over its own age, at least a quarter hour', () => {
    expect(paceOf([{ id: 1, startedAt: NOW - 30 * 60_000, salesforce: 10, marketo: 5 }], NOW)).toEqual({
      salesforce: 20,
      marketo: 10,
    });
    expect(paceOf([{ id: 1, startedAt: NOW - 60_000, salesforce: 3, marketo: 1 }], NOW)).toEqual({
      salesforce: 12,
      marketo: 4,
    });
    expect(paceOf([], NOW)).toEqual({ salesforce: 0, marketo: 0 });
  });

  it('finds Marketo’s next reset at midnight US Central, in winter and in summer', () => {
    expect(nextCentralMidnight(NOW)).toBe(Date.UTC(2026, 10, 21, 6, 0));
    expect(nextCentralMidnight(Date.UTC(2026, 6, 1, 12, 0))).toBe(Date.UTC(2026, 6, 2, 5, 0));
    // Just before midnight Central: the reset is a minute away.
    expect(nextCentralMidnight(Date.UTC(2026, 10, 21, 5, 59))).toBe(Date.UTC(2026, 10, 21, 6, 0));
  });

  it('projects Salesforce over the next 24 hours and Marketo to its reset, against limits and allocation', () => {
    const settings = defaultSettings();
    const hour = Math.floor(NOW / HOUR);
    const usage: DailyUsage = {
      salesforceHours: { [hour - 30]: 999, [hour - 2]: 400, [hour]: 200 },
      salesforceMax: 15_000,
      marketoDay: marketoQuotaDay(NOW),
      marketoCalls: 1_000,
    };
    const view = apiUsageView(
      usage,
      [cycle(1, NOW - 2 * HOUR, 40, 100), cycle(2, NOW - HOUR, 20, 50)],
      settings,
      NOW,
    );
    expect(view.salesforce).toMatchObject({ used: 600, limit: 15_000, allocation: 7_500, projected: 720 });
    expect(view.salesforce.hourly).toHaveLength(24);
    expect(view.salesforce.hourly.at(-1)).toBe(200);
    // 75 calls an hour for the 15 hours left of the Central day.
    expect(view.marketo).toMatchObject({ used: 1_000, limit: 50_000, allocation: 10_000, projected: 2_125 });
    expect(view.cycles.map((c) => c.id)).toEqual([1, 2]);
    expect(view.pause).toBeUndefined();
    expect(view.pauseAt).toBe(0.75);
  });

  it('says retries are paused past the threshold, on the side furthest past it', () => {
    const settings = defaultSettings();
    const usage: DailyUsage = {
      salesforceHours: { [Math.floor(NOW / HOUR)]: 6_000 },
      salesforceMax: 10_000,
      marketoDay: marketoQuotaDay(NOW),
      marketoCalls: 7_600,
    };
    const view = apiUsageView(usage, [], settings, NOW);
    expect(view.pause).toEqual({ side: 'Salesforce', used: 6_000, cap: 5_000, at: 0.75 });
    expect(retryPauseText(view.pause!)).toBe(
      "120 % of today's Salesforce API allocation is used (6000 of 5000 calls); automatic retries of failed records pause at 75 % (Options → Failed records)",
    );
    // Just under the threshold on both sides: no pause; at 1, only a spent allocation pauses.
    expect(retryPause({ marketo: { used: 7_499, cap: 10_000 } }, 0.75)).toBeUndefined();
    expect(retryPause({ marketo: { used: 9_999, cap: 10_000 } }, 1)).toBeUndefined();
    expect(retryPause({ marketo: { used: 10_000, cap: 10_000 } }, 1)?.side).toBe('Marketo');
  });
});
