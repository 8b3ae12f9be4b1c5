// Change thresholds (lib/sync/thresholds.ts) and the synced numbers they keep in the sync state,
// stored compactly (`n` in the stored entry, in the packed batch row's rarer parts).
import { describe, expect, it } from 'vitest';
import { packStates, stateAt } from '../../lib/db/packedStates';
import { type SyncState, toStoredEntry, toSyncState } from '../../lib/db/syncStateTypes';
import { defaultSettings } from '../../lib/settings/schema';
import type { MappedField } from '../../lib/sync/mapping';
import { heldByThreshold, heldReason, withSyncedNumbers } from '../../lib/sync/thresholds';

const score: MappedField = {
  sf: 'mkto71_Lead_Score__c',
  mk: 'leadScore',
  sfType: 'double',
  mkType: 'integer',
  both: false,
};
const settings = { ...defaultSettings(), changeThresholds: [{ field: 'leadScore', minDelta: 5 }] };

describe('heldByThreshold', () => {
  it('holds back a change below the minimum from the last synced number, by the Marketo name when pushed', () => {
    const numbers = { mkto71_Lead_Score__c: 41 };
    expect(heldByThreshold(settings, score, 'push', 42, numbers)).toEqual({
      field: 'leadScore',
      delta: 1,
      minDelta: 5,
    });
    expect(heldByThreshold(settings, score, 'push', 36, numbers)).toBeUndefined();
    expect(heldByThreshold(settings, score, 'push', 46, numbers)).toBeUndefined();
    // Pulled, the field is named by its Salesforce name: this threshold does not apply.
    expect(heldByThreshold(settings, score, 'pull', 42, numbers)).toBeUndefined();
    // Nothing synced to measure from, or not a number: written.
    expect(heldByThreshold(settings, score, 'push', 42, undefined)).toBeUndefined();
    expect(heldByThreshold(settings, score, 'push', null, numbers)).toBeUndefined();
  });

  it('says why in plain words', () => {
    expect(heldReason([{ field: 'leadScore', delta: 0.30000000000000004, minDelta: 5 }])).toBe(
      'leadScore changed by 0.3 (< 5): not synced',
    );
  });

  it('keeps the number of written thresholded fields only', () => {
    const other: MappedField = { ...score, sf: 'Title', mk: 'title', sfType: 'string', mkType: 'string' };
    const values = new Map<MappedField, unknown>([
      [score, 46],
      [other, 'CTO'],
    ]);
    expect(
      withSyncedNumbers(settings, { mkto71_Lead_Score__c: 41 }, [score, other], (f) => values.get(f)),
    ).toEqual({
      mkto71_Lead_Score__c: 46,
    });
    expect(withSyncedNumbers(settings, { mkto71_Lead_Score__c: 41 }, [score], () => null)).toBeUndefined();
  });
});

describe('synced numbers in the stored state', () => {
  const state: SyncState = {
    sobject: 'Lead',
    hashes: { Email: 'abc' },
    marketoId: 7,
    syncedNumbers: { mkto71_Lead_Score__c: 41 },
  };

  it('round-trip through the stored entry (short key n) and the packed batch row', () => {
    expect(toStoredEntry(state)).toEqual({
      o: 'Lead',
      f: { Email: 'abc' },
      m: 7,
      n: { mkto71_Lead_Score__c: 41 },
    });
    expect(toSyncState(toStoredEntry(state))).toEqual(state);
    const packed = packStates(new Map([['00Q000000000001AAA', state]]));
    expect(packed.rest[0]).toEqual({ n: { mkto71_Lead_Score__c: 41 } });
    expect(stateAt(packed, 0)).toEqual({ ...state, indexedMarketoId: 7 });
  });

  it('old rows without n read as before', () => {
    expect(toSyncState({ o: 'Lead', f: { Email: 'abc' }, m: 7 })).toEqual({
      sobject: 'Lead',
      hashes: { Email: 'abc' },
      marketoId: 7,
    });
  });
});
