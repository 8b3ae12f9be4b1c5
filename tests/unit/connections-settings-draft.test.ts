import { describe, expect, it } from 'vitest';
import { filterFieldIssue, friendlyIssues, fromDraft, toDraft } from '../../components/settingsDraft';
import type { FieldChoice } from '../../lib/messaging/connectionViews';
import { defaultSettings, parseSettings } from '../../lib/settings';

const choice = (name: string, type: string): FieldChoice => ({
  name,
  label: name,
  type,
  formula: false,
  updateable: true,
});

describe('the options form draft', () => {
  it('round-trips the settings unchanged', () => {
    const settings = defaultSettings();
    const parsed = parseSettings(fromDraft(settings, toDraft(settings)));
    expect(parsed).toEqual({ ok: true, value: settings });
  });

  it('shows the Salesforce share as a percentage and stores it as 0–1', () => {
    const settings = defaultSettings();
    const draft = { ...toDraft(settings), salesforceSharePercent: '12.5' };
    expect(toDraft(settings).salesforceSharePercent).toBe('50');
    const parsed = parseSettings(fromDraft(settings, draft));
    expect(parsed.ok && parsed.value.apiBudget.salesforceDailyShare).toBe(0.125);
  });

  it('keeps the retry pause as a percentage and the value rules, one removed on the form', () => {
    const settings = defaultSettings();
    settings.retry.pauseAtAllocationShare = 0.9;
    settings.valueRules = [
      { object: 'Lead', field: 'State', from: 'CA', to: 'California' },
      { object: 'Contact', field: 'MailingState', from: 'TX', to: 'Texas' },
    ];
    const draft = toDraft(settings);
    expect(draft.retryPausePercent).toBe('90');
    const parsed = parseSettings(
      fromDraft(settings, { ...draft, retryPausePercent: '80', valueRules: draft.valueRules.slice(1) }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.value.retry.pauseAtAllocationShare).toBe(0.8);
    expect(parsed.value.valueRules).toEqual([settings.valueRules[1]]);
    const bad = parseSettings(fromDraft(settings, { ...draft, retryPausePercent: '120' }));
    expect(bad.ok ? [] : friendlyIssues(bad.errors)).toEqual([
      { path: 'retry.pauseAtAllocationShare', message: 'Expected a percentage from 0 to 100' },
    ]);
  });

  it('hands what was typed to the schema, which names the field', () => {
    const settings = defaultSettings();
    const draft = {
      ...toDraft(settings),
      intervalMinutes: '0',
      retentionDays: 'five',
      salesforceSharePercent: '150',
    };
    const parsed = parseSettings(fromDraft(settings, draft));
    if (parsed.ok) throw new Error('expected errors');
    const issues = friendlyIssues(parsed.errors);
    expect(issues.map((i) => i.path).sort()).toEqual([
      'apiBudget.salesforceDailyShare',
      'intervalMinutes',
      'retentionDays',
    ]);
    expect(issues.find((i) => i.path === 'intervalMinutes')?.message).toMatch(/1 to 60/);
    expect(issues.find((i) => i.path === 'apiBudget.salesforceDailyShare')?.message).toMatch(/0 to 100/);
  });

  it('edits the Reconcile schedule and its API share (a percentage on the form)', () => {
    const settings = defaultSettings();
    expect(toDraft(settings)).toMatchObject({ reconcileIntervalHours: '24', reconcileSharePercent: '20' });
    const draft = { ...toDraft(settings), reconcileIntervalHours: '6', reconcileSharePercent: '5' };
    const parsed = parseSettings(fromDraft(settings, draft));
    expect(parsed.ok && parsed.value.reconcile).toEqual({ intervalHours: 6, maxApiShare: 0.05 });
    const bad = parseSettings(
      fromDraft(settings, { ...draft, reconcileIntervalHours: '0', reconcileSharePercent: '120' }),
    );
    if (bad.ok) throw new Error('expected errors');
    const issues = friendlyIssues(bad.errors);
    expect(issues.map((i) => i.path).sort()).toEqual(['reconcile.intervalHours', 'reconcile.maxApiShare']);
    expect(issues.find((i) => i.path === 'reconcile.intervalHours')?.message).toMatch(/1 to 720/);
  });

  it('blank filter field means no filter', () => {
    const settings = defaultSettings();
    const parsed = parseSettings(fromDraft(settings, { ...toDraft(settings), syncFilterField: '  ' }));
    expect(parsed.ok && parsed.value.syncFilterField).toBeNull();
  });

  it('checks the filter field against Lead: must exist and be a checkbox', () => {
    const lead = [choice('Do_Not_Sync_to_Marketo__c', 'boolean'), choice('Company', 'string')];
    expect(filterFieldIssue('do_not_sync_to_marketo__c', lead)).toEqual([]);
    expect(filterFieldIssue('No_Such__c', lead)[0]?.message).toMatch(/no field No_Such__c/);
    expect(filterFieldIssue('Company', lead)[0]?.message).toMatch(/not a checkbox/);
    // Unknown describe (not connected): only the schema checks it.
    expect(filterFieldIssue('No_Such__c', undefined)).toEqual([]);
    expect(filterFieldIssue('', lead)).toEqual([]);
  });
});

describe('numbers typed into the options form', () => {
  it.each(['0x10', '1e1', 'Infinity', '0b11', '16 minutes'])(
    '%s is refused, naming the field, not read as a number',
    (typed) => {
      const settings = defaultSettings();
      const parsed = parseSettings(fromDraft(settings, { ...toDraft(settings), intervalMinutes: typed }));
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.errors.map((e) => e.path)).toEqual(['intervalMinutes']);
    },
  );

  it.each([
    ['16', 16],
    [' 16 ', 16],
    ['+7', 7],
  ])('%s is the decimal %d', (typed, value) => {
    const settings = defaultSettings();
    const parsed = parseSettings(fromDraft(settings, { ...toDraft(settings), intervalMinutes: typed }));
    expect(parsed.ok && parsed.value.intervalMinutes).toBe(value);
  });
});
