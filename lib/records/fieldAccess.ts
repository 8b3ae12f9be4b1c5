import type { SchemaRow } from '../db/types';
import type { ObjectSettings } from '../settings/schema';

export interface FieldAccess {
  /** Mapped fields the sync user cannot read: the sync neither reads nor writes them. */
  hidden: string[];
  /** Mapped fields Marketo should write (push or both) that the sync user cannot update. */
  readOnly: string[];
}

/**
 * The mapped fields of one object that the sync user cannot read or update, from the describe
 * snapshot Sync Schema stored (made as the sync user: Salesforce leaves the fields the user cannot
 * see out of the describe altogether, and `updateable` already reflects field-level security).
 * Without a snapshot (no cycle yet) nothing is known, and nothing is claimed.
 */
export function fieldAccess(object: ObjectSettings | undefined, schema: SchemaRow | undefined): FieldAccess {
  const access: FieldAccess = { hidden: [], readOnly: [] };
  if (!object || !schema) return access;
  const fields = new Map(schema.fields.map((f) => [f.name, f]));
  for (const mapping of object.fields) {
    if (mapping.direction === 'none') continue;
    const field = fields.get(mapping.salesforceField);
    if (!field?.readable) access.hidden.push(mapping.salesforceField);
    else if (mapping.direction !== 'pull' && !field.updateable) access.readOnly.push(mapping.salesforceField);
  }
  return access;
}
