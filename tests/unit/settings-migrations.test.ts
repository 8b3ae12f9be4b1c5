import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import {
  createSettingsStore,
  defaultSettings,
  migrateSettings,
  migrateV1toV2,
  migrateV2toV3,
  migrateV3toV4,
  migrateV4toV5,
  migrateV5toV6,
  migrateV6toV7,
  migrateV7toV8,
  parseSettings,
  SETTINGS_VERSION,
  SettingsError,
  SettingsMigrationError,
  settingsMigrations,
} from '../../lib/settings';

// What version 1 (0.1) wrote: the interval as the form's string, `historyDays`, a list of enabled
// objects and per-object mappings with the old direction names.
const V1 = {
  version: 1,
  intervalMinutes: '10',
  paused: true,
  historyDays: 7,
  enabledObjects: ['Lead', 'Campaign'],
  fieldMappings: {
    Lead: [
      { salesforceField: 'Email', marketoField: 'email', direction: 'both' },
      { salesforceField: 'Industry', marketoField: 'industry', direction: 'toMarketo' },
      { salesforceField: 'mkto71_Lead_Score__c', marketoField: 'leadScore', direction: 'toSalesforce' },
      { salesforceField: 'Fax', marketoField: 'fax', direction: 'off' },
    ],
  },
  syncFilterField: 'Exclude_From_Marketing__c',
  personLabel: 'Person',
};

// What version 4 (0.4) wrote: a full settings object, frozen here as it shipped.
const V4 = {
  version: 4,
  intervalMinutes: 10,
  paused: false,
  objects: {
    Lead: {
      enabled: true,
      conflictWinner: 'salesforce',
      fields: [{ salesforceField: 'Email', marketoField: 'email', direction: 'both' }],
    },
    Contact: { enabled: true, conflictWinner: 'marketo', fields: [] },
    Account: { enabled: false, conflictWinner: 'salesforce', fields: [] },
  },
  syncFilterField: 'Do_Not_Sync_to_Marketo__c',
  taskActivityTypes: [{ id: 2, name: 'Fill Out Form' }],
  personLabel: 'Lead',
  retentionDays: 5,
  apiBudget: { salesforceDailyShare: 0.5, marketoDailyCalls: 10000 },
  notifyOnFailure: true,
  changeThresholds: [{ field: 'leadScore', minDelta: 5 }],
  reconcile: { intervalHours: 6, maxApiShare: 0.1 },
  retry: { maxAttempts: 5, backoffBaseMinutes: 5 },
};

// What version 5 (0.5) wrote: V4 plus its campaign ⇄ program pairs, frozen here as it shipped.
const V5 = {
  ...V4,
  version: 5,
  programPairs: [
    {
      campaignId: '701000000000001AAA',
      campaignName: 'Spring Webinar',
      programId: 1001,
      programName: 'Spring Webinar Program',
      direction: 'both',
      campaignStatuses: ['Sent', 'Responded'],
      programStatuses: ['Invited', 'Attended'],
      statusMap: [{ salesforceStatus: 'Responded', marketoStatus: 'Attended' }],
    },
  ],
};

// What version 6 (0.6) wrote: V5 plus its value rules and the retry pause, frozen here as it
// shipped (a custom object could be switched on by an imported file, though nothing synced it).
const V6 = {
  ...V5,
  version: 6,
  objects: {
    ...V4.objects,
    Subscription__c: { enabled: true, conflictWinner: 'salesforce', fields: [] },
  },
  retry: { maxAttempts: 5, backoffBaseMinutes: 5, pauseAtAllocationShare: 0.5 },
  valueRules: [{ object: 'Lead', field: 'State', from: 'CA', to: 'California' }],
};

describe('settings migrations', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('has one migration per version step', () => {
    expect(Object.keys(settingsMigrations).map(Number)).toEqual(
      Array.from({ length: SETTINGS_VERSION - 1 }, (_, i) => i + 2),
    );
  });

  describe('1 → 2', () => {
    it('turns the interval string into a number and renames historyDays to retentionDays', () => {
      const v2 = migrateV1toV2(V1);
      expect(v2).toMatchObject({ version: 2, intervalMinutes: 10, retentionDays: 7, paused: true });
      expect(v2).not.toHaveProperty('historyDays');
    });

    it('treats a blank interval as "use the default"', () => {
      const v2 = migrateV1toV2({ ...V1, intervalMinutes: '  ' });
      expect(v2).not.toHaveProperty('intervalMinutes');
      const settings = parseSettings(
        migrateV7toV8(migrateV6toV7(migrateV5toV6(migrateV4toV5(migrateV3toV4(migrateV2toV3(v2)))))),
      );
      expect(settings.ok && settings.value.intervalMinutes).toBe(5);
    });

    it('refuses an interval that is not a number, naming the field', () => {
      expect(() => migrateV1toV2({ ...V1, intervalMinutes: 'ten' })).toThrowError(SettingsMigrationError);
      expect(() => migrateV1toV2({ ...V1, intervalMinutes: 'ten' })).toThrowError(/intervalMinutes: /);
    });

    it('leaves data that is already version 2 alone', () => {
      const v2 = { version: 2, intervalMinutes: 15, retentionDays: 3 };
      expect(migrateV1toV2(v2)).toBe(v2);
    });
  });

  describe('2 → 3', () => {
    it('builds the objects map with the new direction names and a Salesforce conflict winner', () => {
      const v3 = migrateV2toV3(migrateV1toV2(V1));
      const parsed = parseSettings(
        migrateV7toV8(migrateV6toV7(migrateV5toV6(migrateV4toV5(migrateV3toV4(v3))))),
      );
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const { objects } = parsed.value;
      expect(objects.Lead).toEqual({
        enabled: true,
        conflictWinner: 'salesforce',
        fields: [
          { salesforceField: 'Email', marketoField: 'email', direction: 'both' },
          { salesforceField: 'Industry', marketoField: 'industry', direction: 'pull' },
          { salesforceField: 'mkto71_Lead_Score__c', marketoField: 'leadScore', direction: 'push' },
          { salesforceField: 'Fax', marketoField: 'fax', direction: 'none' },
        ],
      });
      expect(objects.Campaign?.enabled).toBe(true);
      // Not in v1's enabled list: switched off, keeping today's default mapping.
      expect(objects.Contact?.enabled).toBe(false);
      expect(objects.Contact?.fields).toEqual(defaultSettings().objects.Contact?.fields);
      expect(parsed.value).toMatchObject({
        intervalMinutes: 10,
        retentionDays: 7,
        syncFilterField: 'Exclude_From_Marketing__c',
        personLabel: 'Person',
        version: 8,
      });
      expect(v3).toMatchObject({ version: 3 });
    });

    it('keeps custom objects named in the old lists', () => {
      const v3 = migrateV2toV3({ version: 2, enabledObjects: ['Invoice__c'] }) as {
        objects: Record<string, { enabled: boolean }>;
      };
      expect(v3.objects.Invoice__c?.enabled).toBe(true);
      expect(v3.objects.Lead?.enabled).toBe(false);
    });

    it('refuses an unknown old direction, naming the row', () => {
      const bad = {
        version: 2,
        fieldMappings: { Lead: [{ salesforceField: 'A', marketoField: 'a', direction: 'up' }] },
      };
      expect(() => migrateV2toV3(bad)).toThrowError(/fieldMappings\.Lead\[0\]\.direction/);
    });
  });

  describe('3 → 4', () => {
    it('gives Reconcile its defaults: daily, at most a fifth of the API allowance', () => {
      const v3 = { version: 3, intervalMinutes: 15, objects: defaultSettings().objects };
      const parsed = parseSettings(
        migrateV7toV8(migrateV6toV7(migrateV5toV6(migrateV4toV5(migrateV3toV4(v3))))),
      );
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      expect(parsed.value).toMatchObject({
        version: 8,
        intervalMinutes: 15,
        reconcile: { intervalHours: 24, maxApiShare: 0.2 },
      });
    });

    it('leaves data that is already version 4 alone', () => {
      const v4 = { version: 4, reconcile: { intervalHours: 6, maxApiShare: 0.5 } };
      expect(migrateV3toV4(v4)).toBe(v4);
    });
  });

  describe('4 → 5', () => {
    it('keeps a version 4 file as 0.4 wrote it and adds no campaign ⇄ program pairs', () => {
      const parsed = parseSettings(migrateV7toV8(migrateV6toV7(migrateV5toV6(migrateV4toV5(V4)))));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      expect(parsed.value).toMatchObject({
        version: 8,
        intervalMinutes: 10,
        reconcile: { intervalHours: 6, maxApiShare: 0.1 },
        programPairs: [],
      });
      expect(parsed.value.objects.Lead?.fields).toEqual(V4.objects.Lead.fields);
      expect(parseSettings(V4).ok).toBe(false);
    });

    it('leaves data that is already version 5 alone', () => {
      const v5 = { version: 5, programPairs: [] };
      expect(migrateV4toV5(v5)).toBe(v5);
    });

    it('migrates version 4 data found in storage.local (WXT version marker 4)', async () => {
      await fakeBrowser.storage.local.set({ settings: V4, settings$: { v: 4 } });
      const settings = await createSettingsStore(settingsStorage()).getSettings();
      expect(settings).toMatchObject({ version: 8, intervalMinutes: 10, programPairs: [] });
    });
  });

  describe('5 → 6', () => {
    it('keeps a version 5 file as 0.5 wrote it, with no value rules and retries pausing at 75 %', () => {
      const parsed = parseSettings(migrateV7toV8(migrateV6toV7(migrateV5toV6(V5))));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      expect(parsed.value).toMatchObject({
        version: 8,
        intervalMinutes: 10,
        programPairs: V5.programPairs,
        valueRules: [],
        retry: { maxAttempts: 5, backoffBaseMinutes: 5, pauseAtAllocationShare: 0.75 },
      });
      expect(parseSettings(V5).ok).toBe(false);
    });

    it('leaves data that is already version 6 alone', () => {
      const v6 = { version: 6, valueRules: [] };
      expect(migrateV5toV6(v6)).toBe(v6);
    });

    it('migrates version 5 data found in storage.local (WXT version marker 5)', async () => {
      await fakeBrowser.storage.local.set({ settings: V5, settings$: { v: 5 } });
      const settings = await createSettingsStore(settingsStorage()).getSettings();
      expect(settings).toMatchObject({ version: 8, valueRules: [], programPairs: V5.programPairs });
    });
  });

  describe('6 → 7', () => {
    it('adds no custom object targets and switches off the custom objects nothing could sync', () => {
      const parsed = parseSettings(migrateV7toV8(migrateV6toV7(V6)));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      expect(parsed.value).toMatchObject({
        version: 8,
        customObjects: {},
        programPairs: V5.programPairs,
        valueRules: V6.valueRules,
        retry: V6.retry,
      });
      expect(parsed.value.objects.Subscription__c?.enabled).toBe(false);
      expect(parsed.value.objects.Lead).toEqual(V4.objects.Lead);
      expect(parseSettings(V6).ok).toBe(false);
    });

    it('leaves data that is already version 7 alone', () => {
      const v7 = { version: 7, customObjects: {} };
      expect(migrateV6toV7(v7)).toBe(v7);
    });

    it('migrates version 6 data found in storage.local (WXT version marker 6)', async () => {
      await fakeBrowser.storage.local.set({ settings: V6, settings$: { v: 6 } });
      const settings = await createSettingsStore(settingsStorage()).getSettings();
      expect(settings).toMatchObject({ version: 8, customObjects: {}, valueRules: V6.valueRules });
      expect(settings.objects.Subscription__c?.enabled).toBe(false);
    });
  });

  describe('7 → 8', () => {
    const V7 = migrateV6toV7(V6);

    it('adds Update Activities with its default types and email templates without folders', () => {
      const parsed = parseSettings(migrateV7toV8(V7));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      expect(parsed.value).toMatchObject({
        version: 8,
        updateActivities: { taskTypes: ['Call', 'Meeting'], eventTypes: ['Meeting'] },
        emailTemplates: { marketoFolders: [], salesforceFolderId: null, salesforceFolderName: '' },
        valueRules: V6.valueRules,
      });
      expect(parsed.value.objects.Lead).toEqual(V4.objects.Lead);
      expect(parseSettings(V7).ok).toBe(false);
    });

    it('leaves data that is already version 8 alone', () => {
      const v8 = { version: 8 };
      expect(migrateV7toV8(v8)).toBe(v8);
    });

    it('migrates version 7 data found in storage.local (WXT version marker 7)', async () => {
      await fakeBrowser.storage.local.set({ settings: V7, settings$: { v: 7 } });
      const settings = await createSettingsStore(settingsStorage()).getSettings();
      expect(settings).toMatchObject({ version: 8, updateActivities: { taskTypes: ['Call', 'Meeting'] } });
    });
  });

  it('migrateSettings runs every step from the given version', () => {
    expect(parseSettings(migrateSettings(V1, 1)).ok).toBe(true);
    const current = defaultSettings();
    expect(migrateSettings(current, SETTINGS_VERSION)).toBe(current);
  });

  describe('through the storage item', () => {
    it('migrates version 1 data found in storage.local when the store is created', async () => {
      await fakeBrowser.storage.local.set({ settings: V1 });
      const store = createSettingsStore(settingsStorage());
      const settings = await store.getSettings();
      expect(settings).toMatchObject({ version: 8, intervalMinutes: 10, retentionDays: 7 });
      const stored = await fakeBrowser.storage.local.get(['settings', 'settings$']);
      expect(stored.settings).toMatchObject({ version: 8, intervalMinutes: 10 });
      expect(stored.settings$).toEqual({ v: 8 });
    });

    it('migrates version 2 data (WXT version marker 2)', async () => {
      await fakeBrowser.storage.local.set({
        settings: { version: 2, intervalMinutes: 20, enabledObjects: ['Contact'] },
        settings$: { v: 2 },
      });
      const settings = await createSettingsStore(settingsStorage()).getSettings();
      expect(settings.intervalMinutes).toBe(20);
      expect(settings.objects.Contact?.enabled).toBe(true);
      expect(settings.objects.Lead?.enabled).toBe(false);
    });

    it('a failed migration leaves the data as it was and reading names the field', async () => {
      await fakeBrowser.storage.local.set({ settings: { ...V1, intervalMinutes: 'ten' } });
      const errors: unknown[] = [];
      const originalError = console.error;
      console.error = (...args: unknown[]) => errors.push(args);
      try {
        const store = createSettingsStore(settingsStorage());
        await expect(store.getSettings()).rejects.toThrowError(SettingsError);
        await expect(store.getSettings()).rejects.toThrowError(/intervalMinutes/);
      } finally {
        console.error = originalError;
      }
      expect(errors).toHaveLength(1);
      expect((await fakeBrowser.storage.local.get('settings')).settings).toMatchObject({
        intervalMinutes: 'ten',
      });
    });
  });
});
