// The dashboard's metric arithmetic (issue 18, docs/dashboard.md): backlog buckets and cycle
// resolution, records per hour over 24 hours, time to clear, Growing/Normal, noisy fields.
import { describe, expect, it } from 'vitest';
import { decodeMetrics, encodeMetrics, metricKeysOf } from '../../lib/db/metricKeys';
import type { CycleMetrics, CycleMetricsRecord, MetricRow } from '../../lib/db/types';
import { formatDuration } from '../../lib/format/duration';
import { BUCKET_MS, backlogBuckets, backlogByCycle, HOUR_MS, stacked } from '../../lib/metrics/backlogTrend';
import { noisyFields } from '../../lib/metrics/noisyFields';
import {
  GROWING_AFTER_MS,
  growthOf,
  hourlyThroughput,
  measurementsOf,
  remainingOf,
  timeToClear,
} from '../../lib/metrics/throughput';

const T0 = Date.UTC(2026, 11, 7, 0, 0, 0);
const MIN = 60_000;
const P = 'Person|toMarketo';
const C = 'Contact|toSalesforce';

/** A cycle's metrics as the dashboard reads them (rows stored and read back: lib/db/metricKeys.ts). */
let cycleId = 0;
function row(at: number, extra: Partial<CycleMetricsRecord> = {}): CycleMetrics {
  cycleId += 1;
  const record: CycleMetricsRecord = {
    at,
    cycleId,
    synced: {},
    updated: {},
    handled: {},
    fields: {},
    api: { salesforce: 2, marketo: 1 },
    ...extra,
  };
  const keys: string[] = [];
  return decodeMetrics({ ...encodeMetrics(record, keys), id: cycleId } as MetricRow, metricKeysOf(keys));
}

describe('backlog buckets (4 hours)', () => {
  it('keeps the last measurement of each bucket and leaves buckets without one empty', () => {
    const rows = [
      row(T0 + 10 * MIN, { backlog: { [P]: 100, [C]: 5 } }),
      row(T0 + 70 * MIN),
      row(T0 + 130 * MIN, { backlog: { [P]: 80, [C]: 9 } }),
      row(T0 + 9 * HOUR_MS, { backlog: { [P]: 40 } }),
    ];
    const trend = backlogBuckets(rows, T0 + 5 * MIN, T0 + 11 * HOUR_MS);
    expect(trend.times).toEqual([T0, T0 + BUCKET_MS, T0 + 2 * BUCKET_MS]);
    expect(trend.measured).toEqual([true, false, true]);
    expect(trend.series).toEqual([
      { key: P, values: [80, null, 40] },
      { key: C, values: [9, null, null] },
    ]);
  });

  it('leaves out measurements outside the window and keys it does not know', () => {
    const rows = [
      row(T0 - BUCKET_MS, { backlog: { [P]: 7 } }),
      row(T0 + MIN, { backlog: { [P]: 3, 'Gadget|toMarketo': 4 } }),
    ];
    const trend = backlogBuckets(rows, T0, T0 + MIN);
    expect(trend.series).toEqual([{ key: P, values: [3] }]);
  });
});

describe('backlog at cycle resolution', () => {
  it('carries the last measurement to the cycles after it, also one from before the window', () => {
    const rows = [
      row(T0, { backlog: { [P]: 50 } }),
      row(T0 + 5 * MIN),
      row(T0 + 10 * MIN, { backlog: { [P]: 20, [C]: 3 } }),
      row(T0 + 15 * MIN),
    ];
    const trend = backlogByCycle(rows, T0 + 5 * MIN, T0 + 15 * MIN);
    expect(trend.times).toEqual([T0 + 5 * MIN, T0 + 10 * MIN, T0 + 15 * MIN]);
    expect(trend.measured).toEqual([false, true, false]);
    expect(trend.series).toEqual([
      { key: P, values: [50, 20, 20] },
      { key: C, values: [null, 3, 3] },
    ]);
  });
});

describe('records per hour over the last 24 hours', () => {
  const now = T0 + 30 * HOUR_MS + 20 * MIN;
  it('sums each clock hour and takes max, min and average over the hours in which cycles ran', () => {
    const rows = [
      row(now - 25 * HOUR_MS, { synced: { [P]: 1000 } }), // before the window
      row(T0 + 7 * HOUR_MS + 5 * MIN, { synced: { [P]: 30 } }), // 23 hours before the current one
      row(T0 + 7 * HOUR_MS + 10 * MIN, { synced: { [P]: 30 } }),
      row(T0 + 20 * HOUR_MS, { synced: { [C]: 8 } }), // a cycle that synced nothing of P: 0
      row(T0 + 30 * HOUR_MS + 5 * MIN, { synced: { [P]: 90 } }),
    ];
    expect(hourlyThroughput(rows, P, now)).toEqual({ max: 90, min: 0, average: 50, hours: 3, total: 150 });
  });

  it('says nothing when no cycle ran in the window', () => {
    expect(hourlyThroughput([row(now - 30 * HOUR_MS, { synced: { [P]: 5 } })], P, now)).toBeUndefined();
  });
});

describe('what is left of the last measurement', () => {
  it('subtracts what its cycle and the later ones handled (any outcome), down to 0', () => {
    const rows = [
      row(T0 - MIN, { handled: { [P]: 99 } }), // before the measurement
      row(T0, { backlog: { [P]: 600 }, handled: { [P]: 250 }, synced: { [P]: 10 } }),
      row(T0 + 5 * MIN, { handled: { [P]: 100, [C]: 7 } }),
    ];
    const measured = { at: T0, value: 600, capped: false };
    expect(remainingOf(rows, P, measured)).toEqual({ handled: 350, remaining: 250 });
    expect(remainingOf(rows, P, { ...measured, value: 300 })).toEqual({ handled: 350, remaining: 0 });
  });
});

describe('time to clear', () => {
  it('is the backlog at the average rate, 0 when empty, and never when nothing moves', () => {
    expect(timeToClear(300, 120)).toBe(2.5 * HOUR_MS);
    expect(timeToClear(0, 0)).toBe(0);
    expect(timeToClear(10, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('Growing / Normal', () => {
  const m = (hoursAfter: number, value: number) => ({ at: T0 + hoursAfter * HOUR_MS, value, capped: false });
  it('is Growing when larger than the newest measurement at least 6 hours before the latest', () => {
    expect(growthOf([m(0, 10), m(1, 500), m(6.5, 40)])).toEqual({ status: 'Growing', earlier: m(0, 10) });
  });
  it('is Normal when not larger, and when no measurement is 6 hours old yet', () => {
    expect(growthOf([m(0, 40), m(6, 40)]).status).toBe('Normal');
    expect(growthOf([m(0, 90), m(7, 30)]).status).toBe('Normal');
    expect(growthOf([m(0, 1), m(5.9, 900)])).toEqual({ status: 'Normal' });
    expect(growthOf([])).toEqual({ status: 'Normal' });
    expect(GROWING_AFTER_MS).toBe(6 * HOUR_MS);
  });
  it('reads the measurements of one key, with the capped ones marked', () => {
    const rows = [
      row(T0 + MIN, { backlog: { [C]: 3000 }, backlogCapped: [C] }),
      row(T0, { backlog: { [C]: 10, [P]: 1 } }),
      row(T0 + 2 * MIN),
    ];
    expect(measurementsOf(rows, C)).toEqual([
      { at: T0, value: 10, capped: false },
      { at: T0 + MIN, value: 3000, capped: true },
    ]);
  });
});

describe('noisy fields', () => {
  it('ranks the fields of each object and direction by the updates they were part of, with their share', () => {
    const rows = [
      row(T0 - HOUR_MS, { updated: { [P]: 99 }, fields: { [`${P}|Title`]: 99 } }), // before the window
      row(T0, {
        updated: { [P]: 10, 'Person|toSalesforce': 40 },
        fields: { [`${P}|Title`]: 2, [`${P}|Phone`]: 9, 'Person|toSalesforce|mkto71_Lead_Score__c': 36 },
      }),
      row(T0 + MIN, { updated: { [P]: 10 }, fields: { [`${P}|Phone`]: 9, [`${P}|Email`]: 2 } }),
    ];
    expect(noisyFields(rows, T0, 2)).toEqual([
      {
        objectType: 'Person',
        direction: 'toSalesforce',
        updates: 40,
        fields: [{ field: 'mkto71_Lead_Score__c', updates: 36, share: 0.9 }],
      },
      {
        objectType: 'Person',
        direction: 'toMarketo',
        updates: 20,
        fields: [
          { field: 'Phone', updates: 18, share: 0.9 },
          { field: 'Email', updates: 2, share: 0.1 },
        ],
      },
    ]);
  });
});

describe('stacking for the chart', () => {
  it('stacks each direction on its own side of the axis and keeps the raw values', () => {
    const trend = {
      times: [T0, T0 + BUCKET_MS],
      measured: [true, true],
      series: [
        { key: P, values: [5, null] },
        { key: 'Contact|toMarketo', values: [2, 4] },
        { key: C, values: [3, 1] },
      ],
    };
    expect(stacked(trend)).toEqual([
      { key: P, raw: [5, null], edge: [5, null] },
      { key: 'Contact|toMarketo', raw: [2, 4], edge: [7, 4] },
      { key: C, raw: [3, 1], edge: [-3, -1] },
    ]);
  });
});

describe('time spans in words', () => {
  it('rounds to minutes and names days, hours and minutes', () => {
    expect(formatDuration(20_000)).toBe('under a minute');
    expect(formatDuration(45 * MIN)).toBe('45 min');
    expect(formatDuration(2.5 * HOUR_MS)).toBe('2 h 30 min');
    expect(formatDuration(3 * HOUR_MS)).toBe('3 h');
    expect(formatDuration(50 * HOUR_MS + 10 * MIN)).toBe('2 d 2 h');
  });
});
