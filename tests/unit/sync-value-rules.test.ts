import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../lib/settings';
import { defaultSettings } from '../../lib/settings/schema';
import { salesforceHash } from '../../lib/sync/hash';
import type { MappedField } from '../../lib/sync/mapping';
import { pushCandidates } from '../../lib/sync/operations/pushOwed';
import { applyValueRule, valueRulesOf } from '../../lib/sync/valueRules';

const STATE: MappedField = { sf: 'State', mk: 'state', sfType: 'string', mkType: 'string', both: true };
const EMPLOYEES: MappedField = {
  sf: 'NumberOfEmployees',
  mk: 'numberOfEmployees',
  sfType: 'int',
  mkType: 'integer',
  both: true,
};
const withRules = (valueRules: unknown[]) => parseSettings({ ...defaultSettings(), valueRules });

describe('value rules in the settings', () => {
  it('accepts a rule per field and value, trimmed', () => {
    const parsed = withRules([{ object: 'Lead', field: 'State', from: ' CA ', to: 'California' }]);
    expect(parsed.ok && parsed.value.valueRules).toEqual([
      { object: 'Lead', field: 'State', from: 'CA', to: 'California' },
    ]);
  });

  it('refuses a second rule for the same value of a field, and a rule that changes nothing, naming them', () => {
    const parsed = withRules([
      { object: 'Lead', field: 'State', from: 'CA', to: 'California' },
      { object: 'Lead', field: 'state', from: 'ca', to: 'Canada' },
      { object: 'Contact', field: 'MailingState', from: 'Ohio', to: 'OHIO' },
    ]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      { path: 'valueRules[1].from', message: 'Lead.state already has a rule for "CA"' },
      { path: 'valueRules[2].to', message: '"Ohio" → "OHIO" changes nothing' },
    ]);
  });

  it('refuses objects the sync does not push to, and empty values', () => {
    const parsed = withRules([{ object: 'Account', field: 'BillingState', from: 'CA', to: '' }]);
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.path)).toEqual([
      'valueRules[0].object',
      'valueRules[0].to',
    ]);
  });
});

describe('value rules on the way out', () => {
  const rules = valueRulesOf(
    {
      valueRules: [
        { object: 'Lead', field: 'State', from: 'CA', to: 'California' },
        { object: 'Contact', field: 'MailingState', from: 'TX', to: 'Texas' },
      ],
    },
    'Lead',
  );

  it('replaces the value of that field of that object, ignoring case and surrounding spaces', () => {
    expect(applyValueRule(rules, 'State', 'ca ')).toEqual({
      value: 'California',
      applied: { field: 'State', from: 'ca ', to: 'California' },
    });
    expect(applyValueRule(rules, 'State', 'Oregon')).toEqual({ value: 'Oregon' });
    expect(applyValueRule(rules, 'City', 'CA')).toEqual({ value: 'CA' });
    // Another object's rule does not apply to leads.
    expect(applyValueRule(rules, 'MailingState', 'TX')).toEqual({ value: 'TX' });
    expect(applyValueRule(rules, 'State', null)).toEqual({ value: null });
  });

  it('hashes what Salesforce will store, so an unchanged "CA" is not pushed again after "California"', () => {
    const [state, employees] = pushCandidates(
      [STATE, EMPLOYEES],
      { state: 'CA', numberOfEmployees: '12' },
      rules,
    );
    expect(state).toMatchObject({
      value: 'California',
      hash: salesforceHash('California'),
      rule: { field: 'State', from: 'CA', to: 'California' },
    });
    expect(employees).toMatchObject({ value: 12, hash: salesforceHash(12) });
    expect(employees?.rule).toBeUndefined();
  });
});
