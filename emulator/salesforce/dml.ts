// The write path shared by sObject rows, collections, composite and (with checks relaxed) the
// control API. Two phases, as in the real API: JSON → typed values (request-level 400 errors:
// INVALID_FIELD, JSON_PARSER_ERROR), then per-record checks (FLS, converted leads, picklists,
// lengths, lookups, required fields, uniqueness, validation rules) that raise DmlError, which
// collections report per item with `statusCode`.
import { normalizeId } from '../ids';
import * as campaigns from './campaigns';
import * as emailTemplates from './emailTemplateRules';
import { SfApiError } from './errors';
import type { SalesforceOrg } from './org';
import * as sales from './salesRules';
import type { SObjectType } from './schema';
import type { FieldDef, SfRecord, Value } from './schema/types';
import type { UserContext } from './users';

export class DmlError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }
}

export interface DmlActor {
  user: UserContext;
  /** API calls enforce FLS and validation rules; control-API edits may skip them. */
  enforce: boolean;
  at: number;
}

const TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);
const NUMBER = new Set(['int', 'double', 'currency', 'percent']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ParsedInput {
  values: SfRecord;
  id?: unknown;
}

function parserError(value: unknown, f: FieldDef, expected: string): SfApiError {
  return new SfApiError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${expected} from ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${String(value)} or request may be missing a required field (field ${f.name})`,
  );
}

/** Request-level parsing of one record body. Unknown (or FLS-hidden) fields are INVALID_FIELD. */
export function parseInput(type: SObjectType, input: unknown, user: UserContext | null): ParsedInput {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new SfApiError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object for the record');
  }
  const out: ParsedInput = { values: {} };
  for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
    if (key === 'attributes') continue;
    const f = type.field(key);
    if (!f || (user && !user.canRead(type.name, f.name))) {
      throw new SfApiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${type.name}`);
    }
    if (f.name === 'Id') {
      out.id = raw;
      continue;
    }
    out.values[f.name] = coerce(f, raw);
  }
  return out;
}

function coerce(f: FieldDef, raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  if (TEXT.has(f.type)) {
    if (typeof raw === 'object') throw parserError(raw, f, 'String');
    // Salesforce trims text on save, from the API too, like Java's String.trim() (code points up
    // to U+0020; a non-breaking space stays), and never stores an empty text, only null: "sObject
    // String field values ... can never be empty (only null), and they can never include leading
    // and trailing whitespace" (Apex Developer Guide, Primitive Data Types).
    const text = trimLikeJava(String(raw));
    return text === '' ? null : text;
  }
  if (f.type === 'reference' || f.type === 'id') {
    if (typeof raw === 'object') throw parserError(raw, f, 'String');
    return String(raw);
  }
  if (f.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw parserError(raw, f, 'boolean');
  }
  if (NUMBER.has(f.type)) {
    const n =
      typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n)) throw parserError(raw, f, 'double');
    return f.type === 'int' ? Math.trunc(n) : n;
  }
  if (f.type === 'date') {
    if (
      typeof raw === 'string' &&
      /^\d{4}-\d{2}-\d{2}/.test(raw) &&
      !Number.isNaN(Date.parse(raw.slice(0, 10)))
    ) {
      return raw.slice(0, 10);
    }
    throw parserError(raw, f, 'date');
  }
  if (f.type === 'datetime') {
    const ms = typeof raw === 'string' ? Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
    if (Number.isNaN(ms)) throw parserError(raw, f, 'datetime');
    return Math.floor(ms / 1000) * 1000;
  }
  return raw as Value;
}

function trimLikeJava(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function checkEditable(type: SObjectType, values: SfRecord, actor: DmlActor, creating: boolean): void {
  const bad: string[] = [];
  for (const name of Object.keys(values)) {
    const f = type.field(name)!;
    const allowed = creating ? f.createable !== false : f.updateable !== false;
    if (!allowed || f.formula || (actor.enforce && !actor.user.canEdit(type.name, f.name))) bad.push(f.name);
  }
  if (bad.length && actor.enforce) {
    throw new DmlError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${bad.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      bad,
    );
  }
}

function checkValues(org: SalesforceOrg, type: SObjectType, values: SfRecord): void {
  for (const [name, v] of Object.entries(values)) {
    const f = type.field(name)!;
    if (v === null) continue;
    if (f.picklist && f.restrictedPicklist && !f.picklist.includes(String(v))) {
      throw new DmlError(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${f.label}: bad value for restricted picklist field: ${v}`,
        [f.name],
      );
    }
    if (typeof v === 'string' && f.length && TEXT.has(f.type) && v.length > f.length) {
      throw new DmlError(
        'STRING_TOO_LONG',
        `${f.label}: data value too large: ${v} (max length=${f.length})`,
        [f.name],
      );
    }
    if (f.type === 'email' && typeof v === 'string' && v !== '' && !EMAIL.test(v)) {
      throw new DmlError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${v}`, [f.name]);
    }
    if (f.type === 'reference') values[name] = checkReference(org, f, String(v));
  }
}

function checkReference(org: SalesforceOrg, f: FieldDef, raw: string): Value {
  if (raw === '') return null;
  const id = normalizeId(raw);
  if (!id) throw new DmlError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${raw}`, [f.name]);
  const target = org.store.schema.byKeyPrefix(id.slice(0, 3));
  if (!target || !f.referenceTo?.includes(target.name)) {
    throw new DmlError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${raw}`, [
      f.name,
    ]);
  }
  const row = org.store.get(id);
  if (!row || row.IsDeleted) {
    throw new DmlError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
  }
  return id;
}

function checkRecord(
  org: SalesforceOrg,
  type: SObjectType,
  merged: SfRecord,
  changed: SfRecord,
  actor: DmlActor,
): void {
  const missing = type.fields
    .filter((f) => f.required && (merged[f.name] === null || merged[f.name] === ''))
    .map((f) => f.name);
  if (missing.length)
    throw new DmlError(
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  for (const [name, v] of Object.entries(changed)) {
    const f = type.field(name)!;
    if (!(f.unique || f.externalId) || typeof v !== 'string' || v === '') continue;
    const other = org.store.findUnique(type.name, f.name, v);
    if (other && other !== merged.Id) {
      throw new DmlError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${f.name} duplicates value on record with id: ${other}`,
        [f.name],
      );
    }
  }
  if (!actor.enforce) return;
  for (const rule of type.def.validationRules ?? []) {
    if (org.store.schema.inactiveRules.has(`${type.name}.${rule.name}`)) continue;
    if (rule.fails(merged))
      throw new DmlError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, rule.field ? [rule.field] : []);
  }
}

export function insertRecord(
  org: SalesforceOrg,
  actor: DmlActor,
  type: SObjectType,
  values: SfRecord,
): string {
  if (type.def.createable === false) {
    throw new DmlError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
  }
  checkEditable(type, values, actor, true);
  checkValues(org, type, values);
  const draft: SfRecord = {};
  for (const f of type.fields) if (!f.formula) draft[f.name] = f.defaultValue ?? null;
  Object.assign(draft, values);
  for (const f of type.fields) if (f.derive) draft[f.name] = f.derive(draft);
  emailTemplates.beforeSave(org, type.name, draft, values, actor, true);
  checkRecord(org, type, draft, values, actor);
  campaigns.beforeInsert(org, type.name, values, actor.at);
  const row = org.store.insert(type.name, values, actor.user.id, actor.at);
  campaigns.afterInsert(org, type.name, row, actor.user.id, actor.at);
  sales.afterSave(org, type.name, row, actor.user.id, actor.at);
  return row.Id as string;
}

/** Resolves a raw id for update/delete: MALFORMED_ID, or ENTITY_IS_DELETED for missing rows. */
export function resolveExisting(
  org: SalesforceOrg,
  rawId: unknown,
  type?: SObjectType,
): { id: string; row: SfRecord; type: SObjectType } {
  const id = typeof rawId === 'string' ? normalizeId(rawId) : null;
  const prefixType = id ? org.store.schema.byKeyPrefix(id.slice(0, 3)) : undefined;
  if (!id || !prefixType || (type && prefixType !== type)) {
    const label = type?.def.label ?? prefixType?.def.label ?? 'Record';
    throw new DmlError('MALFORMED_ID', `${label} ID: id value of incorrect type: ${String(rawId)}`, ['Id']);
  }
  const row = org.store.get(id);
  if (!row || row.IsDeleted) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
  return { id, row, type: prefixType };
}

export function updateRecord(
  org: SalesforceOrg,
  actor: DmlActor,
  rawId: unknown,
  values: SfRecord,
  type?: SObjectType,
): string {
  if (rawId === undefined || rawId === null || rawId === '') {
    throw new DmlError('MISSING_ARGUMENT', 'Id not specified in an update call', []);
  }
  const existing = resolveExisting(org, rawId, type);
  if (existing.type.def.updateable === false) {
    throw new DmlError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
  }
  if (existing.type.name === 'Lead' && existing.row.IsConverted === true) {
    throw new DmlError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
  }
  checkEditable(existing.type, values, actor, false);
  checkValues(org, existing.type, values);
  const merged: SfRecord = { ...existing.row, ...values };
  for (const f of existing.type.fields) if (f.derive) merged[f.name] = f.derive(merged);
  emailTemplates.beforeSave(org, existing.type.name, merged, values, actor, false);
  checkRecord(org, existing.type, merged, values, actor);
  campaigns.beforeUpdate(org, existing.type.name, existing.row, values, actor.at);
  const row = org.store.update(existing.id, values, actor.user.id, actor.at);
  campaigns.afterUpdate(org, existing.type.name, row, actor.user.id, actor.at);
  sales.afterSave(org, existing.type.name, row, actor.user.id, actor.at);
  return existing.id;
}

export function deleteRecord(org: SalesforceOrg, actor: DmlActor, rawId: unknown): string {
  const id = typeof rawId === 'string' ? normalizeId(rawId) : null;
  if (!id || !org.store.schema.byKeyPrefix(id.slice(0, 3))) {
    throw new DmlError('MALFORMED_ID', `malformed id ${String(rawId)}`, []);
  }
  const found = org.store.find(id);
  if (!found || found.record.IsDeleted) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
  if (found.table.type.def.deletable === false) {
    throw new DmlError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
  }
  campaigns.beforeDelete(org, found.record, found.table.type.name);
  org.store.softDelete(id, actor.user.id, actor.at);
  campaigns.afterDelete(org, found.record, found.table.type.name, actor.user.id, actor.at);
  sales.afterDelete(org, found.record, found.table.type.name, actor.user.id, actor.at);
  return id;
}

/** Upsert by external id (or Id): 201-style created, or an update of the one match. */
export function upsertRecord(
  org: SalesforceOrg,
  actor: DmlActor,
  type: SObjectType,
  extField: FieldDef,
  values: SfRecord,
  extValue: string,
): { id: string; created: boolean } {
  const existingId =
    extField.name === 'Id'
      ? (normalizeId(extValue) ?? undefined)
      : org.store.findUnique(type.name, extField.name, extValue);
  if (existingId && org.store.get(existingId) && !org.store.get(existingId)!.IsDeleted) {
    const { [extField.name]: _ignored, ...rest } = values;
    return { id: updateRecord(org, actor, existingId, rest, type), created: false };
  }
  if (extField.name === 'Id')
    throw new DmlError('NOT_FOUND', 'Provided external ID field does not exist or is not accessible: Id', []);
  return { id: insertRecord(org, actor, type, { ...values, [extField.name]: extValue }), created: true };
}
