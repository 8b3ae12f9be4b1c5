import { describe, expect, it } from 'vitest';
import { causeSuggestions, suggestable } from '../../lib/dashboard/causeSuggestions';
import type { ErrorCause } from '../../lib/dashboard/errorCauses';
import {
  editDistance,
  refusedPicklistValue,
  suggestionsFor,
  suggestValue,
} from '../../lib/dashboard/valueSuggestions';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { freshDb } from './db-fixtures';

const INTERESTS = {
  name: 'Product_Interest__c',
  picklist: ['Analytics', 'Automation', 'Integration', 'Support'],
};

describe('value-fix suggestions', () => {
  it('suggests the full name of a state code in a field a validation rule guards (no picklist)', () => {
    expect(suggestValue({ name: 'State' }, 'CA')).toEqual({
      to: 'California',
      why: 'the standard name of "CA"',
    });
    expect(suggestValue({ name: 'MailingState' }, ' tx ')?.to).toBe('Texas');
    expect(suggestValue({ name: 'Country' }, 'UK')?.to).toBe('United Kingdom');
    // "CA" in a country field is Canada, not California.
    expect(suggestValue({ name: 'MailingCountry' }, 'CA')?.to).toBe('Canada');
    // A field that is neither: no guess without a picklist.
    expect(suggestValue({ name: 'Title' }, 'CA')).toBeUndefined();
    expect(suggestValue({ name: 'State' }, 'California')).toBeUndefined();
  });

  it('suggests the picklist’s own value: its case, its spelling, a unique prefix or a near typo', () => {
    expect(suggestValue(INTERESTS, 'analytics')?.to).toBe('Analytics');
    expect(suggestValue({ name: 'Rating', picklist: ['Follow-up', 'Hot'] }, 'followup')?.to).toBe(
      'Follow-up',
    );
    expect(suggestValue(INTERESTS, 'Integ')?.to).toBe('Integration');
    expect(suggestValue(INTERESTS, 'Suport')?.to).toBe('Support');
    // Two values equally near, or none near: no suggestion rather than a guess.
    expect(suggestValue({ name: 'X', picklist: ['Bat', 'Cat'] }, 'Hat')).toBeUndefined();
    expect(suggestValue(INTERESTS, 'Hardware')).toBeUndefined();
    // "Au" is a prefix of Automation only, but too short to be taken for it.
    expect(suggestValue(INTERESTS, 'Au')).toBeUndefined();
  });

  it('takes a state picklist’s name for a code only when the picklist has it', () => {
    const states = { name: 'State', picklist: ['California', 'Oregon'] };
    expect(suggestValue(states, 'ca')?.to).toBe('California');
    expect(suggestValue(states, 'TX')).toBeUndefined();
  });

  it('counts each refused value once per record, most common first', () => {
    expect(suggestionsFor('Lead', { name: 'State' }, ['CA', 'TX', 'CA', 'Narnia'])).toEqual([
      {
        object: 'Lead',
        field: 'State',
        from: 'CA',
        to: 'California',
        records: 2,
        why: 'the standard name of "CA"',
      },
      {
        object: 'Lead',
        field: 'State',
        from: 'TX',
        to: 'Texas',
        records: 1,
        why: 'the standard name of "TX"',
      },
    ]);
  });

  it('reads the value out of a restricted-picklist refusal', () => {
    expect(refusedPicklistValue('Product Interest: bad value for restricted picklist field: Analytcs')).toBe(
      'Analytcs',
    );
    expect(refusedPicklistValue('Something else')).toBeUndefined();
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('finds the refused values of a cause in its failing records’ owed fields, marking accepted ones', async () => {
    const db = freshDb();
    const at = Date.UTC(2026, 10, 20);
    const cycleId = await startCycle(db, { trigger: 'schedule', at });
    const stepId = await startStep(db, { cycleId, operation: 'Push Updates', objectType: 'Person', at });
    const ids = [1, 2, 3].map((n) => toId18(`00QRO${String(n).padStart(10, '0')}`));
    const error = {
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Use the full state name',
      fields: ['State'],
    };
    await writeBatch(db, {
      cycleId,
      stepId,
      operation: 'Push Updates',
      objectType: 'Person',
      at,
      outcomes: [
        { sfId: ids[0]!, outcome: 'failed', error, owes: { State: 'CA', Title: 'CTO' } },
        { sfId: ids[1]!, outcome: 'failed', error, owes: { State: 'CA' } },
        { sfId: ids[2]!, outcome: 'failed', error, owes: { State: 'NY' } },
      ],
    });
    await finishStep(db, stepId, { status: 'Completed', at });
    const cause: ErrorCause = {
      key: 'Lead|FIELD_CUSTOM_VALIDATION_EXCEPTION|State',
      sobject: 'Lead',
      code: error.code,
      fields: 'State',
      message: error.message,
      failures: 3,
      failingNow: 3,
      operations: ['Push Updates'],
      firstAt: at,
      lastAt: at,
      records: ids.map((sfId) => ({
        sfId,
        objectType: 'Person',
        operation: 'Push Updates',
        at,
        attempts: 1,
        message: error.message,
        latest: true,
        failingNow: true,
      })),
    };
    expect(suggestable(cause)).toBe(true);
    expect(suggestable({ ...cause, operations: ['Pull Updates'] })).toBe(false);
    const rules = [{ object: 'Lead' as const, field: 'State', from: 'ny', to: 'New York' }];
    expect(
      (await causeSuggestions(db, cause, rules)).map((s) => [s.from, s.to, s.records, s.accepted]),
    ).toEqual([
      ['CA', 'California', 2, false],
      ['NY', 'New York', 1, true],
    ]);
  });
});
