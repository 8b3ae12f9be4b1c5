// Small builders so object definitions read like a field list.
import type { FieldDef, FieldType, Value } from './types';

type Extra = Partial<Omit<FieldDef, 'name' | 'type'>>;

function labelFor(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/Id$/, ' ID')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

export function field(name: string, type: FieldType, extra: Extra = {}): FieldDef {
  return { name, type, label: labelFor(name), custom: name.endsWith('__c'), ...extra };
}

export const text = (name: string, length = 255, extra: Extra = {}) =>
  field(name, 'string', { length, ...extra });
export const bool = (name: string, extra: Extra = {}) =>
  field(name, 'boolean', { nillable: false, defaultValue: false, ...extra });
export const picklist = (name: string, values: readonly string[], extra: Extra = {}) =>
  field(name, 'picklist', { length: 255, picklist: values, ...extra });
export const lookup = (name: string, to: readonly string[], relationshipName: string, extra: Extra = {}) =>
  field(name, 'reference', { length: 18, referenceTo: to, relationshipName, ...extra });

const readOnlySystem: Extra = { createable: false, updateable: false };

/** Fields every object has; timestamps and audit fields are maintained by the store. */
export function systemFields(opts: { owner?: boolean } = {}): FieldDef[] {
  const fields: FieldDef[] = [
    field('Id', 'id', { ...readOnlySystem, nillable: false, length: 18, label: 'Record ID' }),
    bool('IsDeleted', readOnlySystem),
    field('CreatedDate', 'datetime', { ...readOnlySystem, nillable: false }),
    lookup('CreatedById', ['User'], 'CreatedBy', readOnlySystem),
    field('LastModifiedDate', 'datetime', { ...readOnlySystem, nillable: false }),
    lookup('LastModifiedById', ['User'], 'LastModifiedBy', readOnlySystem),
    field('SystemModstamp', 'datetime', { ...readOnlySystem, nillable: false, label: 'System Modstamp' }),
  ];
  if (opts.owner) fields.push(lookup('OwnerId', ['User'], 'Owner', { nillable: false }));
  return fields;
}

/** A formula field: calculated, never createable/updateable. */
export function formula(
  name: string,
  type: FieldType,
  text: string,
  compute: (record: Record<string, Value>) => Value,
): FieldDef {
  return field(name, type, { ...readOnlySystem, formula: { text, compute } });
}
