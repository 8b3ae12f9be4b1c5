// What the noisy-fields section's buttons change (docs/dashboard.md): a change threshold for the
// field (settings.changeThresholds, lib/sync/thresholds.ts) or its mapping no longer synced in that
// direction. Both return whole new settings, which the caller saves through the settings store's
// one save path (validated by the schema, nothing written when invalid).
import type { ObjectType, SyncDirection } from '../db/types';
import type { FieldMapping } from './defaultMappings';
import type { SyncSettings } from './schema';

/** The Salesforce object whose field mapping an object type uses; undefined: it has none. */
export function mappedSobject(objectType: ObjectType): 'Lead' | 'Contact' | 'Account' | undefined {
  if (objectType === 'Person') return 'Lead';
  return objectType === 'Contact' || objectType === 'Account' ? objectType : undefined;
}

/** The mapping of a Salesforce field on an object type, if the settings map it. */
export function mappingOf(settings: SyncSettings, objectType: ObjectType, salesforceField: string) {
  const sobject = mappedSobject(objectType);
  return sobject
    ? settings.objects[sobject]?.fields.find((f) => f.salesforceField === salesforceField)
    : undefined;
}

/**
 * The name a threshold gives the field: the side the change comes from (thresholds.ts) — its
 * Salesforce name when it travels to Marketo, its Marketo name when it travels to Salesforce.
 */
export function thresholdName(
  settings: SyncSettings,
  objectType: ObjectType,
  direction: SyncDirection,
  salesforceField: string,
): string | undefined {
  if (direction === 'toMarketo') return salesforceField;
  return mappingOf(settings, objectType, salesforceField)?.marketoField;
}

/** The threshold now set for a field name, if any. */
export const thresholdFor = (settings: SyncSettings, name: string) =>
  settings.changeThresholds.find((t) => t.field === name)?.minDelta;

/** The settings with `name`'s threshold set to `minDelta` (replacing one it had). */
export function withThreshold(settings: SyncSettings, name: string, minDelta: number): SyncSettings {
  const others = settings.changeThresholds.filter((t) => t.field !== name);
  return { ...settings, changeThresholds: [...others, { field: name, minDelta }] };
}

/**
 * The settings with the field no longer synced in `direction`: a field synced both ways keeps the
 * other direction, a one-way field stops. Undefined when the settings do not sync it that way.
 */
export function withFieldStopped(
  settings: SyncSettings,
  objectType: ObjectType,
  direction: SyncDirection,
  salesforceField: string,
): SyncSettings | undefined {
  const sobject = mappedSobject(objectType);
  const object = sobject ? settings.objects[sobject] : undefined;
  const mapping = mappingOf(settings, objectType, salesforceField);
  if (!sobject || !object || !mapping) return undefined;
  type Way = FieldMapping['direction'];
  const way: Way = direction === 'toMarketo' ? 'pull' : 'push';
  if (mapping.direction !== way && mapping.direction !== 'both') return undefined;
  const next: Way = mapping.direction === 'both' ? (way === 'pull' ? 'push' : 'pull') : 'none';
  const fields = object.fields.map((f): FieldMapping => (f === mapping ? { ...f, direction: next } : f));
  return { ...settings, objects: { ...settings.objects, [sobject]: { ...object, fields } } };
}

/** Whether a field type holds numbers (Salesforce describe or Marketo describe types). */
export function isNumberType(type: string | undefined): boolean {
  return ['double', 'int', 'long', 'currency', 'percent', 'integer', 'float', 'score'].includes(type ?? '');
}
