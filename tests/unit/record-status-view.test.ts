import { describe, expect, it } from 'vitest';
import type { RecordStatus } from '../../lib/db/recordStatus';
import type { RecordFlagsRow } from '../../lib/db/types';
import { recordStatusView } from '../../lib/records/statusView';

const ID = '00Q5e00000AbCdEEAV';
const event = (at: number, outcome: 'updated' | 'failed', extra: object = {}) => ({
  sfId: ID,
  outcome,
  eventId: at,
  at,
  cycleId: at,
  stepId: at,
  operation: 'Pull Updates' as const,
  objectType: 'Person' as const,
  ...extra,
});

describe('recordStatusView', () => {
  it('takes the newest event as the state and keeps the last synced time of an older one', () => {
    const status: RecordStatus = {
      sfId: ID,
      events: [
        event(200, 'failed', {
          error: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'State', fields: ['State'] },
        }),
        event(100, 'updated', { mktoId: 9, changes: [{ field: 'Title', old: 'a', new: 'b' }] }),
      ],
    };
    const view = recordStatusView('Lead', status);
    expect(view.state).toBe('failed');
    expect(view.lastSyncedAt).toBe(100);
    expect(view.mktoId).toBe(9);
    expect(view.lastError?.hint).toMatch(/validation rule/);
    expect(view.history.map((h) => h.at)).toEqual([200, 100]);
  });

  it('falls back to the flags row folded from pruned events, with its older history', () => {
    const flags: RecordFlagsRow = {
      sfId: ID,
      objectType: 'Person',
      state: 'excluded',
      excludedReason: 'Do_Not_Sync_to_Marketo__c is checked',
      updatedAt: 50,
      history: [{ at: 50, cycleId: 1, operation: 'Pull Updates', outcome: 'excluded' }],
    };
    const view = recordStatusView('Lead', { sfId: ID, flags, events: [] });
    expect(view.state).toBe('excluded');
    expect(view.excludedReason).toContain('Do_Not_Sync');
    expect(view.history).toHaveLength(1);
  });

  it('keeps the time of an earlier sync when the failure’s flags row does not carry it', () => {
    const failed = event(200, 'failed', { error: { code: 'X', message: 'm', fields: [] } });
    const flags: RecordFlagsRow = {
      sfId: ID,
      objectType: 'Person',
      state: 'failed',
      lastOperation: 'Pull Updates',
      lastCycleId: 200,
      lastError: { code: 'X', message: 'm', fields: [] },
      updatedAt: 200,
      history: [],
    };
    const view = recordStatusView('Lead', { sfId: ID, flags, events: [failed, event(100, 'updated')] });
    expect(view).toMatchObject({ state: 'failed', lastSyncedAt: 100, direction: 'pull' });
  });

  it('shows what Reconcile found drifted, without a direction, and keeps the last written fields', () => {
    const drifted = {
      ...event(300, 'updated'),
      outcome: 'drifted' as const,
      operation: 'Reconcile' as const,
      changes: [{ field: 'Title', old: 'Engineer', new: 'CTO' }],
    };
    const written = event(100, 'updated', { changes: [{ field: 'Phone', old: null, new: '+1 555 0100' }] });
    const view = recordStatusView('Lead', { sfId: ID, events: [drifted, written] });
    expect(view).toMatchObject({ state: 'drifted', operation: 'Reconcile', lastSyncedAt: 100 });
    expect(view.direction).toBeUndefined();
    expect(view.drifted).toEqual([{ field: 'Title', old: 'Engineer', new: 'CTO' }]);
    expect(view.lastChanges).toEqual([{ field: 'Phone', old: undefined, new: '+1 555 0100' }]);
  });

  it('says unknown for a record the log has never seen', () => {
    expect(recordStatusView('Lead', { sfId: ID, events: [] }).state).toBe('unknown');
  });
});
