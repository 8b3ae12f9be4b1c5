// The noisy-fields section's two actions (issue 18, docs/dashboard.md) as settings changes: a
// threshold named as lib/sync/thresholds.ts looks it up, and a mapping stopped in one direction.
import { describe, expect, it } from 'vitest';
import {
  isNumberType,
  thresholdFor,
  thresholdName,
  withFieldStopped,
  withThreshold,
} from '../../lib/settings/noisyFieldActions';
import { parseSettings } from '../../lib/settings/parse';
import { defaultSettings } from '../../lib/settings/schema';

const direction = (s: ReturnType<typeof defaultSettings>, sobject: string, field: string) =>
  s.objects[sobject]!.fields.find((f) => f.salesforceField === field)!.direction;

describe('a change threshold for a noisy field', () => {
  it('names it on the side the change comes from', () => {
    const s = defaultSettings();
    expect(thresholdName(s, 'Person', 'toSalesforce', 'mkto71_Lead_Score__c')).toBe('leadScore');
    expect(thresholdName(s, 'Account', 'toMarketo', 'NumberOfEmployees')).toBe('NumberOfEmployees');
    expect(thresholdName(s, 'Person', 'toSalesforce', 'NoSuchField__c')).toBeUndefined();
  });

  it('replaces the threshold the field had, keeps the others, and passes the schema', () => {
    const s = {
      ...defaultSettings(),
      changeThresholds: [
        { field: 'leadScore', minDelta: 5 },
        { field: 'A', minDelta: 1 },
      ],
    };
    const next = withThreshold(s, 'leadScore', 10);
    expect(next.changeThresholds).toEqual([
      { field: 'A', minDelta: 1 },
      { field: 'leadScore', minDelta: 10 },
    ]);
    expect(thresholdFor(next, 'leadScore')).toBe(10);
    expect(parseSettings(next).ok).toBe(true);
    expect(s.changeThresholds).toHaveLength(2); // not changed in place
  });
});

describe('stop syncing a noisy field', () => {
  it('keeps the other direction of a field synced both ways', () => {
    const next = withFieldStopped(defaultSettings(), 'Person', 'toMarketo', 'Title')!;
    expect(direction(next, 'Lead', 'Title')).toBe('push');
    const back = withFieldStopped(defaultSettings(), 'Person', 'toSalesforce', 'Title')!;
    expect(direction(back, 'Lead', 'Title')).toBe('pull');
    expect(parseSettings(next).ok).toBe(true);
  });

  it('stops a one-way field, and refuses a direction it is not synced in or an unmapped object', () => {
    const s = defaultSettings();
    expect(
      direction(
        withFieldStopped(s, 'Person', 'toSalesforce', 'mkto71_Lead_Score__c')!,
        'Lead',
        'mkto71_Lead_Score__c',
      ),
    ).toBe('none');
    expect(withFieldStopped(s, 'Person', 'toMarketo', 'mkto71_Lead_Score__c')).toBeUndefined();
    expect(withFieldStopped(s, 'Campaign', 'toMarketo', 'Name')).toBeUndefined();
    expect(direction(s, 'Lead', 'mkto71_Lead_Score__c')).toBe('push');
  });
});

describe('number fields', () => {
  it('knows the number types of both describes', () => {
    expect(['double', 'int', 'currency', 'percent', 'integer', 'float', 'score'].every(isNumberType)).toBe(
      true,
    );
    expect(isNumberType('string')).toBe(false);
    expect(isNumberType(undefined)).toBe(false);
  });
});
