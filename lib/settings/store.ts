// biome-ignore lint/style/noRestrictedImports: the one wxt import left in lib/ — the typed storage items (storage.defineItem, versioned); to go behind a port with issue 15's code habits.
import { storage } from 'wxt/utils/storage';
import { type ConnectionSettings, connectionSettingsSchema, type Secrets, secretsSchema } from './connection';
import { describeIssues, type FieldIssue, type Parsed, parseWithIssues } from './issues';
import { STORAGE_KEYS } from './keys';
import { settingsMigrations } from './migrations';
import { parseSettings } from './parse';
import { SETTINGS_VERSION, type SyncSettings } from './schema';

// Typed storage items. Everything lives in storage.local, none of it in storage.sync: sync storage
// would copy the settings to every browser the admin signs into (another org's Salesforce, a
// personal machine), its quota (8 KB per item) is too small for field mappings, and keeping one
// area makes the rule for secrets simple to check: secrets sit in their own key, are never
// exported and never leave the background. Copying settings between browsers is export/import.
// Note: a content script *can* read storage.local unless the background restricts its access level,
// so content scripts never read settings, connections or secrets; they ask the background through
// lib/messaging (the record panel keeps only its own position there, lib/pages/panelUiState.ts).

export { STORAGE_KEYS } from './keys';

/** Stored settings that fail validation (hand-edited storage, a failed migration). */
export class SettingsError extends Error {
  constructor(
    readonly what: string,
    readonly issues: FieldIssue[],
  ) {
    super(`Stored ${what} are invalid: ${describeIssues(issues)}`);
    this.name = 'SettingsError';
  }
}

type VersionMeta = { v: number };

export function createSettingsStore() {
  const settingsItem = storage.defineItem<SyncSettings | null, VersionMeta>(STORAGE_KEYS.settings, {
    version: SETTINGS_VERSION,
    migrations: settingsMigrations,
  });
  const connectionsItem = storage.defineItem<ConnectionSettings | null>(STORAGE_KEYS.connections);
  const secretsItem = storage.defineItem<Secrets | null>(STORAGE_KEYS.secrets);

  function orThrow<T>(what: string, parsed: Parsed<T>): T {
    if (!parsed.ok) throw new SettingsError(what, parsed.errors);
    return parsed.value;
  }

  /** The stored settings, defaults when none were saved. Throws SettingsError if they are invalid. */
  async function getSettings(): Promise<SyncSettings> {
    return orThrow('settings', parseSettings((await settingsItem.getValue()) ?? {}));
  }

  /** Validates and stores; invalid input is refused with the errors and nothing is written. */
  async function saveSettings(input: unknown): Promise<Parsed<SyncSettings>> {
    const parsed = parseSettings(input);
    if (!parsed.ok) return parsed;
    await settingsItem.setValue(parsed.value);
    // Keeps WXT's version marker in step with the data, also after a migration had failed.
    await settingsItem.setMeta({ v: SETTINGS_VERSION });
    return parsed;
  }

  /** Applies a change to the current settings, validated as a whole before anything is written. */
  async function updateSettings(change: Partial<SyncSettings>): Promise<Parsed<SyncSettings>> {
    return saveSettings({ ...(await getSettings()), ...change });
  }

  function watchSettings(callback: (settings: Parsed<SyncSettings>) => void): () => void {
    return settingsItem.watch((value) => callback(parseSettings(value ?? {})));
  }

  async function getConnections(): Promise<ConnectionSettings> {
    const stored = (await connectionsItem.getValue()) ?? {};
    return orThrow('connection settings', parseWithIssues(connectionSettingsSchema, stored));
  }

  async function saveConnections(input: unknown): Promise<Parsed<ConnectionSettings>> {
    const parsed = parseWithIssues(connectionSettingsSchema, input);
    if (parsed.ok) await connectionsItem.setValue(parsed.value);
    return parsed;
  }

  /** Background only: never pass the result to a content script or into a message response. */
  async function getSecrets(): Promise<Secrets> {
    return orThrow('secrets', parseWithIssues(secretsSchema, (await secretsItem.getValue()) ?? {}));
  }

  async function saveSecrets(input: unknown): Promise<Parsed<Secrets>> {
    const parsed = parseWithIssues(secretsSchema, input);
    if (parsed.ok) await secretsItem.setValue(parsed.value);
    return parsed;
  }

  return {
    settingsItem,
    getSettings,
    saveSettings,
    updateSettings,
    watchSettings,
    getConnections,
    saveConnections,
    getSecrets,
    saveSecrets,
    clearSecrets: () => secretsItem.removeValue(),
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;

let shared: SettingsStore | undefined;

/** The store of this context, created on first use so importing this module touches no storage. */
export function settingsStore(): SettingsStore {
  shared ??= createSettingsStore();
  return shared;
}
