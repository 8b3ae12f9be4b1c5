import { type ConnectionSettings, connectionSettingsSchema, type Secrets, secretsSchema } from './connection';
import { describeIssues, type FieldIssue, type Parsed, parseWithIssues } from './issues';
import { parseSettings } from './parse';
import { SETTINGS_VERSION, type SyncSettings } from './schema';

// The settings, the connections and the secrets, each read through zod. Where they are kept is the
// extension's business (components/storage/settings.ts: WXT storage items in storage.local, the
// settings versioned with lib/settings/migrations.ts); this module only sees the port below, so
// lib/ stays free of wxt and the browser. Secrets sit in their own item, are never exported and
// never leave the background.

/** One stored value. What it gives back is unknown: every read here is parsed. */
export interface StoredItem<T> {
  getValue(): Promise<unknown>;
  setValue(value: T): Promise<void>;
  removeValue(): Promise<void>;
  /** Calls back with each new stored value; returns the unsubscribe. */
  watch(callback: (value: unknown) => void): () => void;
}

/** A stored value whose shape has changed between versions: its version marker is kept with it. */
export interface VersionedItem<T> extends StoredItem<T> {
  setMeta(meta: { v: number }): Promise<void>;
}

/** Where the store keeps what it keeps. */
export interface SettingsStorage {
  settings: VersionedItem<SyncSettings>;
  connections: StoredItem<ConnectionSettings>;
  secrets: StoredItem<Secrets>;
}

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

export function createSettingsStore(storage: SettingsStorage) {
  const { settings: settingsItem, connections: connectionsItem, secrets: secretsItem } = storage;

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
    // Keeps the version marker in step with the data, also after a migration had failed.
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

  /** Calls back when the stored connections change (the popup's view shows them). */
  function watchConnections(callback: () => void): () => void {
    return connectionsItem.watch(() => callback());
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
    getSettings,
    saveSettings,
    updateSettings,
    watchSettings,
    watchConnections,
    getConnections,
    saveConnections,
    getSecrets,
    saveSecrets,
    clearSecrets: () => secretsItem.removeValue(),
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
