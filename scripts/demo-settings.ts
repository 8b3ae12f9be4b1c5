// Writes scripts/demo-settings.json: the settings a demo run uses (emulator/seeds/demoSettings.ts),
// as an options-page export. Run again when the demo seed's campaigns or programs change.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEmulator } from '../emulator/index';
import { demoSyncSettings } from '../emulator/seeds/demoSettings';
import { settingsToExportJson } from '../lib/settings/transfer';

const emulator = await startEmulator({ seed: 'demo' });
try {
  const settings = demoSyncSettings(emulator.salesforce, emulator.marketo.store);
  const file = resolve(import.meta.dirname, 'demo-settings.json');
  writeFileSync(file, settingsToExportJson(settings, new Date('2026-12-06T00:00:00Z')));
  console.log(`wrote ${file}`);
} finally {
  await emulator.stop();
}
