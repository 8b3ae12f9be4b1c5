import { describe, expect, it } from 'vitest';
import {
  type DescribedObject,
  hiddenFieldsByObject,
  preflightFindings,
} from '../../lib/connections/preflight';
import type { DescribeField, DescribeSObject } from '../../lib/salesforce/schemas';
import { parseSettings, type SyncSettingsInput } from '../../lib/settings';

const field = (name: string, extra: Partial<DescribeField> = {}): DescribeField => ({
  name,
  label: name,
  type: 'string',
  calculated: false,
  createable: true,
  updateable: true,
  nillable: true,
  ...extra,
});

const describeOf = (name: string, fields: DescribeField[], extra: Partial<DescribeSObject> = {}) =>
  ({
    ok: true,
    describe: {
      name,
      label: name,
      keyPrefix: '00Q',
      custom: false,
      createable: true,
      updateable: true,
      deletable: true,
      queryable: true,
      fields,
      ...extra,
    },
  }) satisfies DescribedObject;

/** The emulator's Lead as a sync user sees it: Internal_Notes__c hidden, Territory__c read-only. */
const lead = describeOf('Lead', [
  field('Id', { type: 'id', updateable: false, createable: false }),
  field('Email', { type: 'email' }),
  field('Company'),
  field('Territory__c', { updateable: false, createable: false }),
  field('Email_Domain__c', { calculated: true, updateable: false, createable: false }),
  field('Do_Not_Sync_to_Marketo__c', { type: 'boolean' }),
]);

function settings(input: SyncSettingsInput) {
  const parsed = parseSettings(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

const onlyLead = (fields: { salesforceField: string; marketoField: string; direction: string }[]) =>
  settings({
    objects: {
      Lead: { enabled: true, fields: fields as never },
      Contact: { enabled: false },
      Account: { enabled: false },
    },
  });

describe('pre-flight of the sync user access', () => {
  it('finds nothing when every mapped field is visible and writable as mapped', () => {
    const s = onlyLead([
      { salesforceField: 'Email', marketoField: 'email', direction: 'both' },
      { salesforceField: 'company', marketoField: 'company', direction: 'push' },
      { salesforceField: 'Territory__c', marketoField: 'territory', direction: 'pull' },
    ]);
    expect(preflightFindings(s, new Map([['Lead', lead]]))).toEqual([]);
  });

  it('names hidden, read-only and formula fields, each with what to do', () => {
    const s = onlyLead([
      { salesforceField: 'Internal_Notes__c', marketoField: 'notes', direction: 'pull' },
      { salesforceField: 'Territory__c', marketoField: 'territory', direction: 'both' },
      { salesforceField: 'Email_Domain__c', marketoField: 'emailDomain', direction: 'pull' },
      { salesforceField: 'Email', marketoField: 'email', direction: 'none' },
    ]);
    const findings = preflightFindings(s, new Map([['Lead', lead]]));
    expect(findings.map((f) => [f.kind, f.field, f.severity])).toEqual([
      ['field-unreadable', 'Internal_Notes__c', 'error'],
      ['field-read-only', 'Territory__c', 'error'],
      ['formula-field', 'Email_Domain__c', 'warning'],
    ]);
    for (const f of findings) {
      expect(f.message).toContain(`Lead.${f.field}`);
      expect(f.fix.length).toBeGreaterThan(20);
    }
    expect(findings[0]!.fix).toMatch(/field-level security/);
    expect(findings[1]!.fix).toMatch(/pull/);
    expect(hiddenFieldsByObject(findings)).toEqual({ Lead: ['Internal_Notes__c'] });
  });

  it('counts a formula field mapped towards Salesforce as an error (it cannot be written)', () => {
    const s = onlyLead([{ salesforceField: 'Email_Domain__c', marketoField: 'd', direction: 'both' }]);
    const [finding] = preflightFindings(s, new Map([['Lead', lead]]));
    expect(finding).toMatchObject({ kind: 'formula-field', severity: 'error' });
  });

  it('reports an object the sync user cannot read, and skips its fields', () => {
    const s = settings({
      objects: { Lead: { enabled: true }, Contact: { enabled: false }, Account: { enabled: false } },
    });
    const findings = preflightFindings(
      s,
      new Map<string, DescribedObject>([['Lead', { ok: false, error: 'NOT_FOUND' }]]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'object-unreadable', object: 'Lead' });
    expect(findings[0]!.message).toContain('NOT_FOUND');
    const unqueryable = describeOf('Lead', [], { queryable: false });
    expect(preflightFindings(s, new Map([['Lead', unqueryable]]))[0]!.kind).toBe('object-unreadable');
  });

  it('reports an object the sync user cannot edit when fields are pushed to it', () => {
    const s = onlyLead([{ salesforceField: 'Email', marketoField: 'email', direction: 'both' }]);
    const readOnly = describeOf('Lead', lead.describe.fields, { updateable: false });
    expect(preflightFindings(s, new Map([['Lead', readOnly]])).map((f) => f.kind)).toEqual([
      'object-read-only',
    ]);
  });

  it('checks the sync filter field: missing, or not a checkbox', () => {
    const missing = settings({
      syncFilterField: 'Exclude__c',
      objects: {
        Lead: { enabled: true, fields: [] },
        Contact: { enabled: false },
        Account: { enabled: false },
      },
    });
    expect(preflightFindings(missing, new Map([['Lead', lead]]))[0]).toMatchObject({
      kind: 'filter-field-missing',
      field: 'Exclude__c',
    });
    const text = { ...missing, syncFilterField: 'Company' };
    expect(preflightFindings(text, new Map([['Lead', lead]]))[0]?.kind).toBe('filter-field-not-checkbox');
    const none = { ...missing, syncFilterField: null };
    expect(preflightFindings(none, new Map([['Lead', lead]]))).toEqual([]);
  });

  it('leaves disabled objects alone', () => {
    const s = settings({
      objects: {
        Lead: { enabled: false, fields: [] },
        Contact: { enabled: false },
        Account: { enabled: false },
      },
    });
    const findings = preflightFindings(
      s,
      new Map<string, DescribedObject>([['Lead', { ok: false, error: 'NOT_FOUND' }]]),
    );
    expect(findings).toEqual([]);
  });
});
