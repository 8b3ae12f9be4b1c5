import { describe, expect, it } from 'vitest';
import { cycleEndNews, endedCycleId } from '../../components/syncHeaderState';
import { emptyCounters } from '../../lib/db/types';
import type { SyncStateView } from '../../lib/messaging/views';

const base: SyncStateView = {
  paused: false,
  running: false,
  nextRunAt: null,
  connection: {
    salesforce: { state: 'connected', label: 'acme' },
    marketo: { state: 'connected', label: 'mkto' },
  },
};
const cycle = (id: number, endedAt: number | null, status: 'Completed' | 'Failed' | 'In Process') => ({
  id,
  trigger: 'manual' as const,
  startedAt: 1000,
  endedAt,
  status,
  totals: emptyCounters(),
});

// The popup announces a cycle's end when the last ended cycle changes while it is open (issue 22).
describe('the end of a cycle, as the popup announces it', () => {
  it('knows the last ended cycle, and none while the first one runs', () => {
    expect(endedCycleId(base)).toBeNull();
    expect(endedCycleId({ ...base, running: true, lastCycle: cycle(1, null, 'In Process') })).toBeNull();
    expect(endedCycleId({ ...base, lastCycle: cycle(1, 5000, 'Failed') })).toBe(1);
  });

  it('says which cycle ended and how', () => {
    expect(cycleEndNews(cycle(12, 5000, 'Completed'))).toBe('Sync cycle 12 ended: Completed');
    expect(cycleEndNews(cycle(13, 5000, 'Failed'))).toBe('Sync cycle 13 ended: Failed');
  });
});
