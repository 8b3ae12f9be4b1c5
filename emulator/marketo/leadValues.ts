// Converting sync input to stored lead values by field type, and stored leads to result rows.
// Null or unset fields are omitted from results: absent means null (api-facts B5).
import { FIELD_BY_NAME, type LeadField } from './fields';
import { isoSeconds, parseDateTime } from './format';
import type { Lead, LeadValue } from './leadStore';

export type Coerced = { ok: true; value: LeadValue } | { ok: false; message: string };

function invalid(raw: unknown, field: LeadField): Coerced {
  return { ok: false, message: `Invalid value '${String(raw)}'. Required of type '${field.dataType}'` };
}

export function coerceLeadValue(field: LeadField, raw: unknown): Coerced {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  switch (field.dataType) {
    case 'integer':
    case 'float':
    case 'currency':
    case 'score': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value)) return invalid(raw, field);
      if ((field.dataType === 'integer' || field.dataType === 'score') && !Number.isInteger(value)) {
        return invalid(raw, field);
      }
      return { ok: true, value };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === '1' || raw === 1) return { ok: true, value: true };
      if (raw === 'false' || raw === '0' || raw === 0) return { ok: true, value: false };
      return invalid(raw, field);
    }
    case 'datetime': {
      const ms = typeof raw === 'string' ? parseDateTime(raw) : null;
      return ms === null ? invalid(raw, field) : { ok: true, value: isoSeconds(ms) };
    }
    case 'date': {
      if (typeof raw !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(raw)) return invalid(raw, field);
      return { ok: true, value: raw };
    }
    case 'email': {
      // Only ASCII is accepted in email addresses (leads.md).
      if (typeof raw !== 'string' || !/^[\x21-\x7e]+$/.test(raw)) return invalid(raw, field);
      return { ok: true, value: raw };
    }
    default: {
      if (typeof raw === 'object') return invalid(raw, field);
      return { ok: true, value: String(raw) };
    }
  }
}

/** The requested fields of a lead, leaving out empty ones. */
export function leadRow(lead: Lead, fields: string[]): Record<string, LeadValue> {
  const row: Record<string, LeadValue> = {};
  for (const name of fields) {
    if (name === 'id') row.id = lead.id;
    else if (name === 'createdAt') row.createdAt = isoSeconds(lead.createdAt);
    else if (name === 'updatedAt') row.updatedAt = isoSeconds(lead.updatedAt);
    else {
      const value = lead.values[name];
      if (value !== null && value !== undefined) row[name] = value;
    }
  }
  return row;
}

/** Unknown names in a `fields` parameter (answered with 1006 by the routes). */
export function unknownFields(fields: string[]): string[] {
  return fields.filter((f) => !FIELD_BY_NAME.has(f));
}
