// Field mapping for one object under the sync user's permissions (design §3, §5): a mapping is
// pulled when the sync user can read the Salesforce field and Marketo can write its field, pushed
// when the sync user can read the Salesforce field. One the sync user may read but not update is
// still pushed: Salesforce refuses the change per record (INVALID_FIELD_FOR_INSERT_UPDATE naming
// the field), so the record shows Failed and is retried until the admin gives Edit access, and no
// Marketo change is dropped unseen (the describe now notices field-security edits at once, see
// lib/salesforce/describe.ts; Test connection flags the field beforehand). Formula fields never
// bump SystemModstamp, so their changes would be missed: they are excluded and flagged (best
// practice, seed 001).
import type { SchemaFieldInfo, SchemaRow } from '../db/types';
import type { ObjectSettings } from '../settings/schema';

export interface MappedField {
  sf: string;
  mk: string;
  sfType: string;
  mkType: string;
  /** 'both' fields are the ones where a conflict winner matters. */
  both: boolean;
  /** A value the sync derives rather than copies (a person's owner: only users are sales persons). */
  derive?: (value: unknown) => unknown;
}

export interface FieldIssue {
  field: string;
  reason: string;
}

export interface ResolvedMapping {
  pull: MappedField[];
  push: MappedField[];
  issues: FieldIssue[];
}

export function resolveMapping(
  object: ObjectSettings | undefined,
  salesforce: SchemaRow,
  marketo: SchemaRow,
): ResolvedMapping {
  const sfFields = new Map(salesforce.fields.map((f) => [f.name, f]));
  const mkFields = new Map(marketo.fields.map((f) => [f.name, f]));
  const out: ResolvedMapping = { pull: [], push: [], issues: [] };
  for (const mapping of object?.fields ?? []) {
    if (mapping.direction === 'none') continue;
    const sf = sfFields.get(mapping.salesforceField);
    const mk = mkFields.get(mapping.marketoField);
    if (!sf) {
      out.issues.push({
        field: mapping.salesforceField,
        reason: 'not readable by the sync user (or no such field): not synced',
      });
      continue;
    }
    if (!mk) {
      out.issues.push({
        field: mapping.salesforceField,
        reason: `Marketo has no field ${mapping.marketoField}`,
      });
      continue;
    }
    if (sf.calculated) {
      out.issues.push({
        field: mapping.salesforceField,
        reason: 'formula field: excluded (its changes do not bump SystemModstamp)',
      });
      continue;
    }
    const field: MappedField = {
      sf: sf.name,
      mk: mk.name,
      sfType: sf.type,
      mkType: mk.type,
      both: mapping.direction === 'both',
    };
    if (mapping.direction !== 'push') {
      if (mk.updateable) out.pull.push(field);
      else out.issues.push({ field: sf.name, reason: `Marketo field ${mk.name} is read-only: not pulled` });
    }
    if (mapping.direction !== 'pull') {
      out.push.push(field);
      if (!sf.updateable)
        out.issues.push({
          field: sf.name,
          reason:
            'the sync user cannot update it: Salesforce refuses its changes (records fail and are retried)',
        });
    }
  }
  return out;
}

const NUMERIC = new Set(['double', 'int', 'currency', 'percent', 'long']);

/** A Marketo value as Salesforce wants it (numbers as numbers, booleans as booleans). */
export function toSalesforceValue(
  value: unknown,
  field: Pick<SchemaFieldInfo, 'type'> | MappedField,
): unknown {
  const type = 'sfType' in field ? field.sfType : field.type;
  if (value === null || value === undefined || value === '') return null;
  if (NUMERIC.has(type)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (type === 'boolean') return value === true || value === 'true';
  return typeof value === 'string' ? value : String(value);
}

const MARKETO_NUMERIC = new Set(['integer', 'float', 'currency', 'percent', 'score']);

/** A Salesforce value as Marketo wants it. */
export function toMarketoValue(raw: unknown, field: MappedField): unknown {
  const value = field.derive ? field.derive(raw) : raw;
  if (value === null || value === undefined || value === '') return null;
  if (MARKETO_NUMERIC.has(field.mkType)) {
    const n = Number(value);
    if (!Number.isFinite(n)) return value;
    return field.mkType === 'integer' || field.mkType === 'score' ? Math.round(n) : n;
  }
  return value;
}
