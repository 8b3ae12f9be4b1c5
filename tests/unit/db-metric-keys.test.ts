// Metric rows store numbers, their keys in one dictionary (lib/db/metricKeys.ts): a row reads back
// as it was written, a key keeps its number across cycles, and a lost dictionary loses no new row.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { SyncLogDatabase } from '../../lib/db/database';
import {
  decodeMetrics,
  encodeMetrics,
  METRIC_KEYS_KEY,
  metricKeysOf,
  parseKeys,
  readMetricKeys,
  recordOf,
} from '../../lib/db/metricKeys';
import { readDashboardMetrics } from '../../lib/db/metrics';
import type { CycleMetricsRecord, MetricRow } from '../../lib/db/types';
import { writeCycleMetrics } from '../../lib/sync/cycleMetrics';
import { MetricsTally } from '../../lib/sync/metricsTally';

const metrics: CycleMetricsRecord = {
  at: 1000,
  cycleId: 7,
  synced: { 'Person|toMarketo': 3, 'Contact|toSalesforce': 1 },
  updated: { 'Person|toMarketo': 2 },
  handled: { 'Person|toMarketo': 5, 'Contact|toSalesforce': 1 },
  fields: { 'Person|toMarketo|Title': 2 },
  api: { salesforce: 4, marketo: 2, salesforceOrgUsed: 10, salesforceOrgMax: 15000 },
  backlog: { 'Person|toMarketo': 40, 'Person|toSalesforce': 3000 },
  backlogCapped: ['Person|toSalesforce'],
  backlogError: 'Marketo not counted: …',
};

describe('metric rows', () => {
  it('store numbers only and read back as written', () => {
    const keys = ['Account|toMarketo'];
    const row = encodeMetrics(metrics, keys);
    expect(keys).toEqual([
      'Account|toMarketo',
      'Person|toMarketo',
      'Contact|toSalesforce',
      'Person|toMarketo|Title',
      'Person|toSalesforce',
    ]);
    expect(row).toMatchObject({ synced: [1, 3, 2, 1], updated: [1, 2], fields: [3, 2], backlogCapped: [4] });
    expect(recordOf(decodeMetrics({ ...row, id: 1 } as MetricRow, metricKeysOf(keys)))).toEqual(metrics);
  });

  it('leave out numbers the dictionary does not name, and read unreadable dictionaries as empty', () => {
    const row = { ...encodeMetrics(metrics, []), id: 1 } as MetricRow;
    expect(decodeMetrics(row, metricKeysOf(['Person|toMarketo'])).synced.toRecord()).toEqual({
      'Person|toMarketo': 3,
    });
    expect(parseKeys('{"not":"a list"}')).toEqual([]);
    expect(parseKeys('[1, 2]')).toEqual([]);
    expect(parseKeys('not json')).toEqual([]);
  });

  it('keep a key under its number across cycles, adding new ones to the stored dictionary', async () => {
    const db = new SyncLogDatabase(`metric-keys-${Math.random()}`);
    const cycle = (cycleId: number, outcomes: Record<string, number>) => {
      const tally = new MetricsTally();
      for (const [sfId, n] of Object.entries(outcomes))
        for (let i = 0; i < n; i++)
          tally.add('Pull Updates', sfId === 'a' ? 'Person' : 'Account', [{ sfId, outcome: 'new' }]);
      return writeCycleMetrics(
        db,
        {
          cycleId,
          startedAt: cycleId * 1000,
          tally,
          calls: { salesforce: 1, marketo: 1 },
          orgUsage: undefined,
          backlog: undefined,
        },
        [],
        cycleId * 1000,
      );
    };
    await cycle(1, { a: 2 });
    await cycle(2, { b: 1, a: 5 });
    expect(await readMetricKeys(db)).toEqual(['Person|toMarketo', 'Account|toMarketo']);
    expect((await db.metrics.toArray()).map((r) => r.synced)).toEqual([
      [0, 2],
      [1, 1, 0, 5],
    ]);
    expect((await readDashboardMetrics(db, 0)).rows.map((r) => r.synced.toRecord())).toEqual([
      { 'Person|toMarketo': 2 },
      { 'Account|toMarketo': 1, 'Person|toMarketo': 5 },
    ]);
    expect((await db.cursors.get(METRIC_KEYS_KEY))?.updatedAt).toBe(2000);
    db.close();
  });
});

describe('the cycle tally', () => {
  it('counts synced, updated and per-field changes by direction, and every outcome as handled', () => {
    const tally = new MetricsTally();
    tally.add('Pull Updates', 'Person', [
      { sfId: 'a', outcome: 'updated', changes: [{ field: 'Title', old: null, new: 'CEO' }] },
      { sfId: 'b', outcome: 'updated', cw: ['Title', null, 'CTO', 'Phone', null, '1'] },
      { sfId: 'c', outcome: 'skipped' },
      { sfId: 'd', outcome: 'failed' },
      { sfId: 'e', outcome: 'new' },
    ]);
    tally.add('Push Updates', 'Person', [{ sfId: 'a', outcome: 'excluded' }]);
    tally.add('Reconcile', 'Person', [{ sfId: 'a', outcome: 'drifted' }]);
    expect(tally.synced).toEqual({ 'Person|toMarketo': 3 });
    expect(tally.updated).toEqual({ 'Person|toMarketo': 2 });
    // Skipped records are mostly re-reads and echoes, not backlog: not counted as handled.
    expect(tally.handled).toEqual({ 'Person|toMarketo': 4, 'Person|toSalesforce': 1 });
    expect(tally.fields).toEqual({ 'Person|toMarketo|Title': 2, 'Person|toMarketo|Phone': 1 });
  });
});
