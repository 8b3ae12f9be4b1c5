import { z } from 'zod';
import { describeIssues, type FieldIssue, fieldIssues } from './issues';
import { defaultObjects, SETTINGS_VERSION } from './schema';

// Numbered migrations of the stored settings. Migration N turns version N-1 into version N. They
// run from WXT's storage item (stored settings) and from importSettings (exported files), from the
// same table. Each one first checks the data's own `version`, so running it twice changes nothing.
//
// Shapes that shipped:
// - v1 (0.1): `intervalMinutes` was the options form's <input type=number> `.value`, a string;
//   the history setting was `historyDays`; objects were `enabledObjects: string[]` with
//   `fieldMappings: { [object]: [{salesforceField, marketoField, direction}] }`, directions
//   'toMarketo' | 'toSalesforce' | 'both' | 'off'.
// - v2 (0.2): `intervalMinutes` a number; `historyDays` renamed `retentionDays` (design §2 calls it
//   retention, the dashboard shows "History kept").
// - v3 (0.3): one `objects` map, each `{enabled, conflictWinner, fields}`, directions named as in
//   the design (pull = Salesforce → Marketo, push = Marketo → Salesforce); the per-object conflict
//   winner is new and defaults to Salesforce.
// - v4 (0.4): `reconcile` ({intervalHours, maxApiShare}) is new; older data takes its defaults.
// - v5 (0.5): `programPairs` (campaign ⇄ program pairs with their status mapping) is new, empty.
// - v6 (0.6): `valueRules` (values Salesforce refuses, written as the value it takes) is new, empty;
//   `retry.pauseAtAllocationShare` (retries pause past this share of the API allocation) is new, 0.75.
// - v7: `customObjects` (each Salesforce custom object's Marketo custom object and link fields) is
//   new, empty; a custom object switched on before it had nowhere to sync to, so it is switched off
//   (nothing ever synced it: the engine had no custom object steps).

export class SettingsMigrationError extends Error {
  constructor(
    readonly toVersion: number,
    readonly issues: FieldIssue[],
  ) {
    super(`Settings could not be migrated to version ${toVersion}: ${describeIssues(issues)}`);
    this.name = 'SettingsMigrationError';
  }
}

type Migration = (old: unknown) => Record<string, unknown>;

function parseOld<T extends z.ZodType>(schema: T, old: unknown, toVersion: number): z.output<T> {
  const result = schema.safeParse(old);
  if (!result.success) throw new SettingsMigrationError(toVersion, fieldIssues(result.error));
  return result.data;
}

const alreadyAt = (old: unknown, version: number) =>
  typeof old === 'object' && old !== null && typeof (old as { version?: unknown }).version === 'number'
    ? (old as { version: number }).version >= version
    : false;

const v1 = z.looseObject({
  intervalMinutes: z
    .union([z.number(), z.string().trim().regex(/^\d*$/, 'not a whole number of minutes')])
    .optional(),
  historyDays: z.number().optional(),
});

/** 1 → 2: interval from string to number (a blank field meant "default"), historyDays → retentionDays. */
export const migrateV1toV2: Migration = (old) => {
  if (alreadyAt(old, 2)) return old as Record<string, unknown>;
  const { intervalMinutes, historyDays, ...rest } = parseOld(v1, old, 2);
  const out: Record<string, unknown> = { ...rest, version: 2 };
  if (typeof intervalMinutes === 'number') out.intervalMinutes = intervalMinutes;
  else if (intervalMinutes) out.intervalMinutes = Number(intervalMinutes);
  if (historyDays !== undefined) out.retentionDays = historyDays;
  return out;
};

const V2_DIRECTIONS = { toMarketo: 'pull', toSalesforce: 'push', both: 'both', off: 'none' } as const;
const v2 = z.looseObject({
  enabledObjects: z.array(z.string()).optional(),
  fieldMappings: z
    .record(
      z.string(),
      z.array(
        z.looseObject({
          salesforceField: z.string(),
          marketoField: z.string(),
          direction: z.enum(['toMarketo', 'toSalesforce', 'both', 'off']),
        }),
      ),
    )
    .optional(),
});

/** 2 → 3: enabledObjects + fieldMappings → objects, with the design's direction names. */
export const migrateV2toV3: Migration = (old) => {
  if (alreadyAt(old, 3)) return old as Record<string, unknown>;
  const { enabledObjects, fieldMappings, ...rest } = parseOld(v2, old, 3);
  const objects = defaultObjects();
  const named = new Set([...(enabledObjects ?? []), ...Object.keys(fieldMappings ?? {})]);
  for (const name of named) objects[name] ??= { enabled: false, conflictWinner: 'salesforce', fields: [] };
  for (const [name, settings] of Object.entries(objects)) {
    if (enabledObjects) settings.enabled = enabledObjects.includes(name);
    const mapped = fieldMappings?.[name];
    if (mapped) {
      settings.fields = mapped.map((m) => ({
        salesforceField: m.salesforceField,
        marketoField: m.marketoField,
        direction: V2_DIRECTIONS[m.direction],
      }));
    }
  }
  return { ...rest, objects, version: 3 };
};

const v3 = z.looseObject({});

/** 3 → 4: nothing to convert; `reconcile` takes its defaults (daily, a fifth of the allowance). */
export const migrateV3toV4: Migration = (old) => {
  if (alreadyAt(old, 4)) return old as Record<string, unknown>;
  return { ...parseOld(v3, old, 4), version: 4 };
};

const v4 = z.looseObject({});

/** 4 → 5: nothing to convert; `programPairs` (campaign ⇄ program) starts empty. */
export const migrateV4toV5: Migration = (old) => {
  if (alreadyAt(old, 5)) return old as Record<string, unknown>;
  return { ...parseOld(v4, old, 5), version: 5 };
};

const v5 = z.looseObject({});

/** 5 → 6: nothing to convert; no value rules yet, and retries pause at 75 % of the allocation. */
export const migrateV5toV6: Migration = (old) => {
  if (alreadyAt(old, 6)) return old as Record<string, unknown>;
  return { ...parseOld(v5, old, 6), version: 6 };
};

const v6 = z.looseObject({
  objects: z.record(z.string(), z.looseObject({ enabled: z.boolean().optional() })).optional(),
});

/** 6 → 7: `customObjects` starts empty; custom objects switched on are switched off (see above). */
export const migrateV6toV7: Migration = (old) => {
  if (alreadyAt(old, 7)) return old as Record<string, unknown>;
  const parsed = parseOld(v6, old, 7);
  const objects = Object.fromEntries(
    Object.entries(parsed.objects ?? {}).map(([name, object]) => [
      name,
      name.endsWith('__c') ? { ...object, enabled: false } : object,
    ]),
  );
  return { ...parsed, ...(parsed.objects && { objects }), version: 7 };
};

const v7 = z.looseObject({});

/**
 * 7 → 8: nothing to convert; Update Activities takes its default types (Call and Meeting Tasks,
 * Meeting Events — sent only once `objects.Task` / `objects.Event` are switched on) and email
 * templates start without folders (`objects.EmailTemplate` is new and off).
 */
export const migrateV7toV8: Migration = (old) => {
  if (alreadyAt(old, 8)) return old as Record<string, unknown>;
  return { ...parseOld(v7, old, 8), version: 8 };
};

/** Keyed by the version each migration produces, as WXT's `defineItem({ migrations })` expects. */
export const settingsMigrations: Record<number, Migration> = {
  2: migrateV1toV2,
  3: migrateV2toV3,
  4: migrateV3toV4,
  5: migrateV4toV5,
  6: migrateV5toV6,
  7: migrateV6toV7,
  8: migrateV7toV8,
};

/** Brings data of an older version up to SETTINGS_VERSION (throws SettingsMigrationError). */
export function migrateSettings(value: unknown, fromVersion: number): unknown {
  let current = value;
  for (let version = fromVersion + 1; version <= SETTINGS_VERSION; version++) {
    const migration = settingsMigrations[version];
    if (!migration) throw new Error(`No settings migration to version ${version}`);
    current = migration(current);
  }
  return current;
}
