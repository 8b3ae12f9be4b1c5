import { defaultSettings, type SyncSettings } from '../../lib/settings/schema';

/** Default settings syncing leads only (Contacts and Accounts off): the first-sync benches' setup. */
export function leadsOnlySettings(): SyncSettings {
  const settings = defaultSettings();
  settings.objects.Contact!.enabled = false;
  settings.objects.Account!.enabled = false;
  return settings;
}
