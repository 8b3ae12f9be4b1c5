import { z } from 'zod';
import { type FieldIssue, fieldIssues, type Parsed } from './issues';
import { migrateSettings, SettingsMigrationError } from './migrations';
import { parseSettings } from './parse';
import { SETTINGS_VERSION, type SyncSettings } from './schema';
import type { SettingsStore } from './store';

// Export/import of the sync settings as a JSON file, to copy them to another browser or keep them
// with an org's documentation. Connections and secrets are never part of it: the file only holds
// the sync settings object, which has no place for a secret.

export const EXPORT_FORMAT = 'salesforce-sync-status/settings';

const exportFileSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT, { error: `not a settings export (format must be "${EXPORT_FORMAT}")` }),
  version: z
    .number()
    .int()
    .min(1)
    .max(SETTINGS_VERSION, {
      error: (issue) =>
        `unknown settings version ${String(issue.input)}: this extension reads versions 1–${SETTINGS_VERSION}; update the extension first`,
    }),
  exportedAt: z.string().optional(),
  settings: z.record(z.string(), z.unknown()),
});

export function settingsToExportJson(settings: SyncSettings, now = new Date()): string {
  const file: z.input<typeof exportFileSchema> = {
    format: EXPORT_FORMAT,
    version: SETTINGS_VERSION,
    exportedAt: now.toISOString(),
    settings,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads an export of any known version and returns current-version settings, or the errors. */
export function settingsFromExportJson(json: string): Parsed<SyncSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return {
      ok: false,
      errors: [{ path: '', message: `the file is not JSON (${(error as Error).message})` }],
    };
  }
  const file = exportFileSchema.safeParse(raw);
  if (!file.success) return { ok: false, errors: fieldIssues(file.error) };
  let migrated: unknown;
  try {
    migrated = migrateSettings(file.data.settings, file.data.version);
  } catch (error) {
    if (!(error instanceof SettingsMigrationError)) throw error;
    return { ok: false, errors: prefixed(error.issues) };
  }
  const parsed = parseSettings(migrated);
  return parsed.ok ? parsed : { ok: false, errors: prefixed(parsed.errors) };
}

const prefixed = (issues: FieldIssue[]): FieldIssue[] =>
  issues.map((i) => ({ path: i.path ? `settings.${i.path}` : 'settings', message: i.message }));

export async function exportSettings(store: SettingsStore): Promise<string> {
  return settingsToExportJson(await store.getSettings());
}

/** Replaces the stored settings with the file's; on any error nothing changes. */
export async function importSettings(store: SettingsStore, json: string): Promise<Parsed<SyncSettings>> {
  const parsed = settingsFromExportJson(json);
  return parsed.ok ? store.saveSettings(parsed.value) : parsed;
}
