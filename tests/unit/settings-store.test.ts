import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import {
  createSettingsStore,
  defaultSettings,
  EXPORT_FORMAT,
  exportSettings,
  importSettings,
  SETTINGS_VERSION,
  type SettingsStore,
} from '../../lib/settings';

const SECRET = 'mkto-secret-7f3a';
const REFRESH = 'sf-refresh-5Aep861';

async function storeWithEverything(): Promise<SettingsStore> {
  const store = createSettingsStore(settingsStorage());
  expect((await store.saveSettings({ intervalMinutes: 15 })).ok).toBe(true);
  expect(
    (
      await store.saveConnections({
        salesforce: { mode: 'oauth', instanceUrl: 'https://acme.my.salesforce.com', clientId: '3MVG9abc' },
        marketo: { restEndpoint: '284-RPR-133', clientId: 'c1' },
      })
    ).ok,
  ).toBe(true);
  const saved = await store.saveSecrets({
    salesforce: { refreshToken: REFRESH, accessToken: { value: 'sf-access', expiresAt: 1 } },
    marketo: { clientSecret: SECRET },
  });
  expect(saved.ok).toBe(true);
  return store;
}

describe('settings store', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('returns the defaults when nothing was saved', async () => {
    expect(await createSettingsStore(settingsStorage()).getSettings()).toEqual(defaultSettings());
  });

  it('saves valid settings, filling defaults, and reads them back', async () => {
    const store = createSettingsStore(settingsStorage());
    const saved = await store.saveSettings({ intervalMinutes: 15, personLabel: 'Person' });
    expect(saved.ok).toBe(true);
    expect(await store.getSettings()).toEqual({
      ...defaultSettings(),
      intervalMinutes: 15,
      personLabel: 'Person',
    });
  });

  it('refuses invalid settings with the field named and writes nothing', async () => {
    const store = createSettingsStore(settingsStorage());
    await store.saveSettings({ intervalMinutes: 15 });
    const before = await fakeBrowser.storage.local.get();
    const result = await store.saveSettings({ intervalMinutes: '30', pollEvery: 3 });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'intervalMinutes', message: expect.any(String) },
        { path: 'pollEvery', message: 'unknown setting' },
      ],
    });
    expect(await fakeBrowser.storage.local.get()).toEqual(before);
  });

  it('updates one setting, validating the whole', async () => {
    const store = createSettingsStore(settingsStorage());
    await store.saveSettings({ intervalMinutes: 15 });
    expect((await store.updateSettings({ paused: true })).ok).toBe(true);
    expect(await store.getSettings()).toMatchObject({ paused: true, intervalMinutes: 15 });
    const bad = await store.updateSettings({ retentionDays: 0 });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['retentionDays']);
    expect((await store.getSettings()).retentionDays).toBe(5);
  });

  it('reports stored settings that were edited into something invalid, naming the field', async () => {
    await fakeBrowser.storage.local.set({
      settings: { version: 3, retentionDays: 'forever' },
      settings$: { v: 3 },
    });
    await expect(createSettingsStore(settingsStorage()).getSettings()).rejects.toThrowError(/retentionDays/);
  });

  it('keeps secrets in storage.local under their own key, never in storage.sync', async () => {
    const store = await storeWithEverything();
    expect(await fakeBrowser.storage.sync.get()).toEqual({});
    const local = await fakeBrowser.storage.local.get();
    expect(Object.keys(local).sort()).toEqual(['connections', 'secrets', 'settings', 'settings$']);
    expect(JSON.stringify(local.settings)).not.toContain(SECRET);
    expect(JSON.stringify(local.connections)).not.toContain(SECRET);
    expect((await store.getSecrets()).marketo.clientSecret).toBe(SECRET);
    expect((await store.getConnections()).marketo.restEndpoint).toBe('https://284-rpr-133.mktorest.com/rest');
  });

  it('refuses invalid connection settings and secrets without writing', async () => {
    const store = await storeWithEverything();
    const before = await fakeBrowser.storage.local.get();
    const conn = await store.saveConnections({ marketo: { restEndpoint: 'https://example.com' } });
    expect(conn.ok ? [] : conn.errors.map((e) => e.path)).toEqual(['marketo.restEndpoint']);
    const secrets = await store.saveSecrets({ marketo: { clientSecret: 42 } });
    expect(secrets.ok ? [] : secrets.errors.map((e) => e.path)).toEqual(['marketo.clientSecret']);
    expect(await fakeBrowser.storage.local.get()).toEqual(before);
  });

  it('clears the secrets on request', async () => {
    const store = await storeWithEverything();
    await store.clearSecrets();
    expect(await store.getSecrets()).toEqual({ salesforce: {}, marketo: {} });
  });
});

describe('settings export and import', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('exports the sync settings without any secret or connection detail', async () => {
    const store = await storeWithEverything();
    const json = await exportSettings(store);
    const file = JSON.parse(json);
    expect(file).toMatchObject({
      format: EXPORT_FORMAT,
      version: SETTINGS_VERSION,
      settings: { intervalMinutes: 15 },
    });
    for (const secret of [SECRET, REFRESH, 'sf-access', '3MVG9abc', 'mktorest'])
      expect(json).not.toContain(secret);
  });

  it('imports an export into another browser', async () => {
    const json = await exportSettings(await storeWithEverything());
    fakeBrowser.reset();
    const other = createSettingsStore(settingsStorage());
    expect((await importSettings(other, json)).ok).toBe(true);
    expect((await other.getSettings()).intervalMinutes).toBe(15);
  });

  it('imports an export made by version 1, migrating it', async () => {
    const store = createSettingsStore(settingsStorage());
    const v1File = JSON.stringify({
      format: EXPORT_FORMAT,
      version: 1,
      settings: { intervalMinutes: '30', historyDays: 10, enabledObjects: ['Lead'] },
    });
    expect((await importSettings(store, v1File)).ok).toBe(true);
    expect(await store.getSettings()).toMatchObject({ intervalMinutes: 30, retentionDays: 10 });
  });

  async function refusedImport(json: string) {
    const store = await storeWithEverything();
    const before = await fakeBrowser.storage.local.get();
    const result = await importSettings(store, json);
    expect(await fakeBrowser.storage.local.get()).toEqual(before);
    if (result.ok) throw new Error('expected the import to be refused');
    return result.errors;
  }

  it('refuses a file that is not JSON, changing nothing', async () => {
    const errors = await refusedImport('{"format": "salesforce-sync-status/settings", ');
    expect(errors).toEqual([{ path: '', message: expect.stringContaining('not JSON') }]);
  });

  it('refuses an unknown (newer) version, changing nothing', async () => {
    const errors = await refusedImport(JSON.stringify({ format: EXPORT_FORMAT, version: 9, settings: {} }));
    expect(errors).toEqual([
      { path: 'version', message: expect.stringContaining('unknown settings version 9') },
    ]);
  });

  it('refuses a file of another kind, changing nothing', async () => {
    const errors = await refusedImport(JSON.stringify({ intervalMinutes: 5 }));
    expect(errors.map((e) => e.path)).toEqual(['format', 'version', 'settings', 'intervalMinutes']);
  });

  it('refuses invalid settings inside the file, naming the field, changing nothing', async () => {
    const errors = await refusedImport(
      JSON.stringify({ format: EXPORT_FORMAT, version: 3, settings: { intervalMinutes: 500, secret: 'x' } }),
    );
    expect(errors.map((e) => e.path)).toEqual(['settings.intervalMinutes', 'settings.secret']);
  });

  it('refuses an old file whose migration fails, naming the field, changing nothing', async () => {
    const errors = await refusedImport(
      JSON.stringify({ format: EXPORT_FORMAT, version: 1, settings: { intervalMinutes: 'often' } }),
    );
    expect(errors.map((e) => e.path)).toEqual(['settings.intervalMinutes']);
  });
});
