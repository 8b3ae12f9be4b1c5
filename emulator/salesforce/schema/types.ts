// Metadata model of the emulated org: objects, fields, validation rules. Describe is generated
// from it, SOQL validates against it and DML enforces it.

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'picklist'
  | 'reference';

/** Stored values: datetimes as epoch ms, dates as 'YYYY-MM-DD', everything else as JSON scalars. */
export type Value = string | number | boolean | null;
export type SfRecord = Record<string, Value>;

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  precision?: number;
  scale?: number;
  custom?: boolean;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  /** Required on create (not nillable, no default). */
  required?: boolean;
  defaultValue?: Value;
  unique?: boolean;
  externalId?: boolean;
  nameField?: boolean;
  picklist?: readonly string[];
  restrictedPicklist?: boolean;
  referenceTo?: readonly string[];
  relationshipName?: string;
  /** Read-only fields the platform keeps in step with others (Lead.Name, Opportunity.IsClosed). */
  derive?: (record: SfRecord) => Value;
  /** Formula fields: computed on read, never stored, never bump timestamps. */
  formula?: { text: string; compute: (record: SfRecord) => Value };
}

export interface ValidationRule {
  name: string;
  /** Returns true when the record is invalid (Salesforce semantics: the formula "fires"). */
  fails: (record: SfRecord) => boolean;
  message: string;
  field?: string;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom?: boolean;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  replicateable?: boolean;
  fields: FieldDef[];
  validationRules?: ValidationRule[];
}

/** Field-level security of a profile: what it cannot read, and what it can read but not edit. */
export interface FieldSecurity {
  hidden: Set<string>;
  readOnly: Set<string>;
}

export function fieldKey(object: string, field: string): string {
  return `${object}.${field}`;
}
