// Records of the CRM objects (crmObjects.ts): one table per object, keyed by its id (marketoGUID or
// integer id), with an index on the dedupe key and on each single searchable field, so lookups by
// key are O(1) at the bench's 100,000 roles.
import { CRM_OBJECTS, type CrmKind, type CrmObjectDef } from './crmObjects';

export type CrmValue = string | number | boolean | null;

export interface CrmRecord {
  /** marketoGUID or integer id, per the object's idField. */
  key: string | number;
  createdAt: number;
  updatedAt: number;
  values: Record<string, CrmValue>;
}

const text = (value: unknown) =>
  value === null || value === undefined || value === '' ? null : String(value);

export class CrmTable {
  readonly records = new Map<string | number, CrmRecord>();
  private readonly dedupe = new Map<string, string | number>();
  private readonly indexes = new Map<string, Map<string, Set<string | number>>>();

  constructor(readonly def: CrmObjectDef) {
    for (const [field] of def.searchable.filter((f) => f.length === 1 && f[0] !== def.idField))
      this.indexes.set(field!, new Map());
  }

  /** The dedupe key of values (null when a key field is empty). */
  dedupeKey(values: Record<string, unknown>): string | null {
    const parts: string[] = [];
    for (const field of this.def.dedupeFields) {
      const value = text(values[field]);
      if (value === null) return null;
      parts.push(value);
    }
    return JSON.stringify(parts);
  }

  byDedupe(values: Record<string, unknown>): CrmRecord | undefined {
    const key = this.dedupeKey(values);
    const id = key === null ? undefined : this.dedupe.get(key);
    return id === undefined ? undefined : this.records.get(id);
  }

  byId(raw: unknown): CrmRecord | undefined {
    if (this.def.idField === 'id') {
      const id = Number(raw);
      return Number.isInteger(id) ? this.records.get(id) : undefined;
    }
    return typeof raw === 'string' ? this.records.get(raw) : undefined;
  }

  /** Records whose single searchable field equals value (indexed). */
  find(field: string, value: unknown): CrmRecord[] {
    if (field === this.def.idField) {
      const found = this.byId(value);
      return found ? [found] : [];
    }
    const index = this.indexes.get(field);
    const key = text(value);
    if (!index || key === null) return [];
    return [...(index.get(key) ?? [])].flatMap((id) => this.records.get(id) ?? []);
  }

  insert(record: CrmRecord): void {
    this.records.set(record.key, record);
    this.link(record);
  }

  /** Sets values on a record, keeping the indexes in step. */
  assign(record: CrmRecord, values: Record<string, CrmValue>, at: number): void {
    this.unlink(record);
    Object.assign(record.values, values);
    record.updatedAt = at;
    this.link(record);
  }

  remove(record: CrmRecord): void {
    this.unlink(record);
    this.records.delete(record.key);
  }

  clear(): void {
    this.records.clear();
    this.dedupe.clear();
    for (const index of this.indexes.values()) index.clear();
  }

  private link(record: CrmRecord): void {
    const key = this.dedupeKey(record.values);
    if (key !== null) this.dedupe.set(key, record.key);
    for (const [field, index] of this.indexes) {
      const value = text(record.values[field]);
      if (value === null) continue;
      if (!index.has(value)) index.set(value, new Set());
      index.get(value)!.add(record.key);
    }
  }

  private unlink(record: CrmRecord): void {
    const key = this.dedupeKey(record.values);
    if (key !== null && this.dedupe.get(key) === record.key) this.dedupe.delete(key);
    for (const [field, index] of this.indexes) {
      const value = text(record.values[field]);
      const set = value === null ? undefined : index.get(value);
      set?.delete(record.key);
      if (set && set.size === 0) index.delete(value!);
    }
  }
}

export class CrmObjectStore {
  readonly tables: Record<CrmKind, CrmTable>;
  private nextGuid = 1;
  private nextId = 1;

  constructor() {
    this.tables = Object.fromEntries(CRM_OBJECTS.map((def) => [def.kind, new CrmTable(def)])) as Record<
      CrmKind,
      CrmTable
    >;
  }

  clear(): void {
    for (const table of Object.values(this.tables)) table.clear();
    this.nextGuid = 1;
    this.nextId = 1;
  }

  /** A new key: deterministic GUIDs (like custom objects') or integer ids. */
  newKey(def: CrmObjectDef): string | number {
    if (def.idField === 'id') return this.nextId++;
    const n = (this.nextGuid++).toString(16).padStart(12, '0');
    return `00000000-0000-4000-9000-${n}`;
  }

  /** A deleted or merged-away lead takes its opportunity roles with it (unconfirmed; docs/objects.md). */
  removeLead(leadId: number): void {
    const roles = this.tables.opportunityRole;
    for (const role of roles.find('leadId', leadId)) roles.remove(role);
  }

  /** A merge moves the losers' roles to the winner (a role the winner already has is dropped). */
  mergeLead(winner: number, loser: number, at: number): void {
    const roles = this.tables.opportunityRole;
    for (const role of roles.find('leadId', loser)) {
      const moved = { ...role.values, leadId: winner };
      if (roles.byDedupe(moved)) roles.remove(role);
      else roles.assign(role, { leadId: winner }, at);
    }
  }
}
