// The data dictionary (dashboard section 6, docs/dashboard-errors.md; seed 001 "keep a data
// dictionary of synced fields"): every field the mapping syncs, per object, with what the sync
// user's describe says of it (the schemas table) and how often the log saw it change.

import { rowOutcomes } from '../db/eventRowBody';
import type { LogDatabase } from '../db/logPort';
import { changesOf } from '../db/packedChanges';
import type { SchemaRow } from '../db/types';
import { csvLines } from '../export/failuresCsv';
import { salesforceObjectOf } from '../export/recordUrl';
import { FIELD_MAPPED_OBJECTS, type SyncSettings } from '../settings/schema';
import { MARKETO_LEAD_SCHEMA } from '../sync/schemaCache';

export interface DictionaryRow {
  object: string;
  /** Salesforce API name and label (the label is the API name when the describe lacks the field). */
  apiName: string;
  label: string;
  type: string;
  direction: 'pull' | 'push' | 'both';
  marketoField: string;
  marketoLabel?: string;
  formula: boolean;
  /** The sync user cannot see it (absent from its describe). Undefined before the first describe. */
  hidden?: boolean;
  /** The sync user can see but not update it. */
  readOnly?: boolean;
  /** Writes of it in the log's window, either way, and the newest one's time. */
  changes: number;
  lastChange?: number;
}

/** `Object.Field` → changes written and the newest one, over the log's window. */
export type FieldChangeCounts = ReadonlyMap<string, { count: number; last: number }>;

const DIRECTION_WORDS = { pull: 'Salesforce → Marketo', push: 'Marketo → Salesforce', both: 'Both ways' };

export function dataDictionary(
  settings: Pick<SyncSettings, 'objects'>,
  schemas: ReadonlyMap<string, SchemaRow>,
  changes: FieldChangeCounts,
): DictionaryRow[] {
  const marketo = new Map(schemas.get(MARKETO_LEAD_SCHEMA)?.fields.map((f) => [f.name, f]));
  const rows: DictionaryRow[] = [];
  for (const object of FIELD_MAPPED_OBJECTS) {
    const config = settings.objects[object];
    if (!config?.enabled) continue;
    const schema = schemas.get(object);
    const described = new Map(schema?.fields.map((f) => [f.name, f]));
    for (const mapping of config.fields) {
      if (mapping.direction === 'none') continue;
      const field = described.get(mapping.salesforceField);
      const counted = changes.get(`${object}.${mapping.salesforceField}`);
      const marketoLabel = marketo.get(mapping.marketoField)?.label;
      rows.push({
        object,
        apiName: mapping.salesforceField,
        label: field?.label ?? mapping.salesforceField,
        type: field?.type ?? '',
        direction: mapping.direction,
        marketoField: mapping.marketoField,
        ...(marketoLabel !== undefined && { marketoLabel }),
        formula: field?.calculated ?? false,
        ...(schema && { hidden: !field, readOnly: field !== undefined && !field.updateable }),
        changes: counted?.count ?? 0,
        ...(counted && { lastChange: counted.last }),
      });
    }
  }
  return rows;
}

/**
 * Field writes in the log (every outcome that wrote fields, either direction), by `Object.Field`.
 * One pass over the batch rows of the retention window.
 */
export async function fieldChangeCounts(
  db: LogDatabase,
): Promise<Map<string, { count: number; last: number }>> {
  const counts = new Map<string, { count: number; last: number }>();
  await db.recordEvents.each((row) => {
    for (const outcome of rowOutcomes(row)) {
      if (outcome.outcome !== 'new' && outcome.outcome !== 'updated') continue;
      const object = salesforceObjectOf(row.objectType, outcome.sfId) ?? row.objectType;
      for (const change of changesOf(outcome) ?? []) {
        const key = `${object}.${change.field}`;
        const seen = counts.get(key);
        if (seen) {
          seen.count++;
          seen.last = Math.max(seen.last, row.at);
        } else counts.set(key, { count: 1, last: row.at });
      }
    }
  });
  return counts;
}

export const DICTIONARY_CSV_COLUMNS = [
  'Object',
  'Label',
  'API Name',
  'Type',
  'Direction',
  'Marketo Field',
  'Marketo Label',
  'Formula',
  'Hidden from Sync User',
  'Read-only for Sync User',
  'Changes',
  'Last Change',
] as const;

const yesNo = (flag: boolean | undefined) => (flag === undefined ? 'unknown' : flag ? 'yes' : 'no');

/** The dictionary as CSV (formula-safe, every cell quoted: lib/export/failuresCsv.ts), one row per field. */
export function dictionaryCsv(rows: readonly DictionaryRow[]): string {
  const cells = rows.map((r) => [
    r.object,
    r.label,
    r.apiName,
    r.type,
    DIRECTION_WORDS[r.direction],
    r.marketoField,
    r.marketoLabel ?? '',
    r.formula ? 'yes' : 'no',
    yesNo(r.hidden),
    yesNo(r.readOnly),
    r.changes,
    r.lastChange === undefined ? '' : new Date(r.lastChange).toISOString(),
  ]);
  return `\uFEFF${csvLines([[...DICTIONARY_CSV_COLUMNS], ...cells])}\r\n`;
}

export const directionWords = (direction: DictionaryRow['direction']) => DIRECTION_WORDS[direction];
