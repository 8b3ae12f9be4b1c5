// Resolves field paths (`Name`, `Account.Owner.Name`, `Who.Name`) against the schema and the
// user's field-level security, and builds fast getters over stored rows.
import type { SObjectType } from '../salesforce/schema';
import type { FieldDef, Value } from '../salesforce/schema/types';
import { SalesforceStore } from '../salesforce/store';
import type { FieldRef } from './ast';
import { soqlError } from './errors';

export interface FieldAccess {
  canRead(objectName: string, fieldName: string): boolean;
}

export interface Resolver {
  soql: string;
  store: SalesforceStore;
  access: FieldAccess;
}

export interface ResolvedPath {
  /** Lookup fields walked, in order (empty for a direct field). */
  steps: FieldDef[];
  /** The final field (from the first candidate type for polymorphic paths). */
  field: FieldDef;
  /** Canonical output keys: relationship names then the field name. */
  keys: string[];
  get: (record: Record<string, Value>) => Value;
}

const noSuchColumn = (name: string, object: string) =>
  `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;
const noSuchRelationship = (name: string) =>
  `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;

export function resolvePath(r: Resolver, root: SObjectType, ref: FieldRef): ResolvedPath {
  let parts = ref.path.split('.');
  if (parts.length > 1 && parts[0]!.toLowerCase() === root.name.toLowerCase()) parts = parts.slice(1);
  let candidates: SObjectType[] = [root];
  const steps: FieldDef[] = [];
  const keys: string[] = [];
  for (const part of parts.slice(0, -1)) {
    const lookup = firstMatch(candidates, (t) => t.relationship(part), r.access);
    if (!lookup) throw soqlError('INVALID_FIELD', r.soql, ref.offset, noSuchRelationship(part));
    steps.push(lookup);
    keys.push(lookup.relationshipName!);
    candidates = (lookup.referenceTo ?? [])
      .map((n) => r.store.schema.get(n))
      .filter((t): t is SObjectType => !!t);
  }
  const last = parts.at(-1)!;
  const field = firstMatch(candidates, (t) => t.field(last), r.access);
  if (!field) {
    const entity =
      candidates.length === 1 || steps.length === 0
        ? candidates[0]!.name
        : candidates.map((c) => c.name).join(', ');
    throw soqlError(
      'INVALID_FIELD',
      r.soql,
      ref.offset,
      noSuchColumn(last, steps.length ? entity : root.name),
    );
  }
  keys.push(field.name);
  return { steps, field, keys, get: makeGetter(r.store, root, steps, field.name) };
}

function firstMatch(
  types: SObjectType[],
  pick: (t: SObjectType) => FieldDef | undefined,
  access: FieldAccess,
): FieldDef | undefined {
  for (const t of types) {
    const f = pick(t);
    if (f && access.canRead(t.name, f.name)) return f;
  }
  return undefined;
}

function makeGetter(store: SalesforceStore, root: SObjectType, steps: FieldDef[], fieldName: string) {
  if (steps.length === 0) {
    const f = root.field(fieldName)!;
    if (f.formula) return f.formula.compute;
    return (record: Record<string, Value>) => record[fieldName] ?? null;
  }
  return (record: Record<string, Value>): Value => {
    let current = record;
    let type = root;
    for (const step of steps) {
      const id = current[step.name];
      if (typeof id !== 'string') return null;
      const found = store.find(id);
      if (!found) return null;
      current = found.record;
      type = found.table.type;
    }
    return SalesforceStore.read(type, current, fieldName);
  };
}
