export * from './connection';
export type { Direction, FieldMapping } from './defaultMappings';
export * from './issues';
export {
  migrateSettings,
  migrateV1toV2,
  migrateV2toV3,
  migrateV3toV4,
  migrateV4toV5,
  migrateV5toV6,
  migrateV6toV7,
  migrateV7toV8,
  SettingsMigrationError,
  settingsMigrations,
} from './migrations';
export { parseSettings } from './parse';
export * from './schema';
export * from './store';
export {
  EXPORT_FORMAT,
  exportSettings,
  importSettings,
  settingsFromExportJson,
  settingsToExportJson,
} from './transfer';
