import { storage } from 'wxt/utils/storage';
import type { ConnectionSettings, Secrets } from '../../lib/settings/connection';
import { settingsMigrations } from '../../lib/settings/migrations';
import { SETTINGS_VERSION, type SyncSettings } from '../../lib/settings/schema';
import { createSettingsStore, type SettingsStorage, type SettingsStore } from '../../lib/settings/store';

// The storage items of the settings, the connections and the secrets (every storage key of the
// extension is declared in components/storage/, once). Everything lives in storage.local, none of it
// in storage.sync: sync storage would copy the settings to every browser the admin signs into
// (another org's Salesforce, a personal machine), its quota (8 KB per item) is too small for field
// mappings, and keeping one area makes the rule for secrets simple to check: secrets sit in their
// own key, are never exported and never leave the background. Copying settings between browsers is
// export/import.
// Note: a content script *can* read storage.local unless the background restricts its access level,
// so content scripts never read settings, connections or secrets; they ask the background through
// lib/messaging (the record panel keeps only its own position there, components/storage/panelUi.ts).

/** The storage.local keys (WXT's `local:` area prefix). */
export const SETTINGS_KEYS = {
  settings: 'local:settings',
  connections: 'local:connections',
  secrets: 'local:secrets',
} as const;

/**
 * The items, defined on each call: WXT runs a versioned item's migrations when the item is
 * defined, so importing this module touches no storage (tests set up old data first).
 */
export function settingsStorage(): SettingsStorage {
  return {
    // Versioned: its shape changed in every release so far (the shapes: lib/settings/migrations.ts).
    settings: storage.defineItem<SyncSettings | null, { v: number }>(SETTINGS_KEYS.settings, {
      version: SETTINGS_VERSION,
      migrations: settingsMigrations,
    }),
    // One shape so far: WXT counts an item without a version marker as version 1, so a future shape
    // adds `version: 2` and its migration here; until then what is read is parsed.
    connections: storage.defineItem<ConnectionSettings | null>(SETTINGS_KEYS.connections),
    secrets: storage.defineItem<Secrets | null>(SETTINGS_KEYS.secrets),
  };
}

let shared: SettingsStore | undefined;

/** The store of this context (the worker, the options page), created on first use. */
export function settingsStore(): SettingsStore {
  shared ??= createSettingsStore(settingsStorage());
  return shared;
}
