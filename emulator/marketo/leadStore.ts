// Persons by id, plus an index per searchable field (email, sfdc ids, custom key fields…) so
// lookups by filterType / lookupField are O(1). Email matching is case-insensitive.
import { SEARCHABLE_FIELDS } from './fields';

export type LeadValue = string | number | boolean | null;

export interface Lead {
  id: number;
  createdAt: number;
  updatedAt: number;
  /** Field values other than id/createdAt/updatedAt; absent or null means empty. */
  values: Record<string, LeadValue>;
}

const INDEXED_FIELDS = SEARCHABLE_FIELDS.filter((f) => f !== 'id');

export function indexKey(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value);
  return field === 'email' ? text.toLowerCase() : text;
}

export class LeadStore {
  readonly byId = new Map<number, Lead>();
  // An index entry is a lone id (the common case, no allocation) or a Set once a value is shared.
  private readonly indexes = new Map<string, Map<string, number | Set<number>>>(
    INDEXED_FIELDS.map((f) => [f, new Map()]),
  );
  private nextId = 1;

  get size(): number {
    return this.byId.size;
  }

  allocateId(): number {
    return this.nextId++;
  }

  get(id: number): Lead | undefined {
    return this.byId.get(id);
  }

  isIndexed(field: string): boolean {
    return this.indexes.has(field);
  }

  /** Ids of persons whose `field` equals `value` (id and indexed fields O(1); others scan). */
  find(field: string, value: unknown): number[] {
    if (field === 'id') {
      const id = Number(value);
      return Number.isInteger(id) && this.byId.has(id) ? [id] : [];
    }
    const key = indexKey(field, value);
    if (key === null) return [];
    const index = this.indexes.get(field);
    if (index) {
      const entry = index.get(key);
      return entry === undefined ? [] : typeof entry === 'number' ? [entry] : [...entry];
    }
    const out: number[] = [];
    for (const lead of this.byId.values()) if (indexKey(field, lead.values[field]) === key) out.push(lead.id);
    return out;
  }

  insert(lead: Lead): void {
    this.byId.set(lead.id, lead);
    if (lead.id >= this.nextId) this.nextId = lead.id + 1;
    for (const field in lead.values) {
      const index = this.indexes.get(field);
      if (index) this.addToIndex(index, field, lead.values[field], lead.id);
    }
  }

  /** Call before changing `lead.values[field]` so the index follows. */
  reindex(lead: Lead, field: string, oldValue: unknown, newValue: unknown): void {
    const index = this.indexes.get(field);
    if (!index) return;
    const oldKey = indexKey(field, oldValue);
    if (oldKey !== null) {
      const entry = index.get(oldKey);
      if (entry === lead.id) index.delete(oldKey);
      else if (entry !== undefined && typeof entry !== 'number') {
        entry.delete(lead.id);
        if (entry.size === 1) index.set(oldKey, entry.values().next().value as number);
      }
    }
    this.addToIndex(index, field, newValue, lead.id);
  }

  remove(id: number): Lead | undefined {
    const lead = this.byId.get(id);
    if (!lead) return undefined;
    for (const field of this.indexes.keys()) this.reindex(lead, field, lead.values[field], null);
    this.byId.delete(id);
    return lead;
  }

  clear(): void {
    this.byId.clear();
    for (const index of this.indexes.values()) index.clear();
    this.nextId = 1;
  }

  private addToIndex(
    index: Map<string, number | Set<number>>,
    field: string,
    value: unknown,
    id: number,
  ): void {
    const key = indexKey(field, value);
    if (key === null) return;
    const entry = index.get(key);
    if (entry === undefined) index.set(key, id);
    else if (typeof entry === 'number') {
      if (entry !== id) index.set(key, new Set([entry, id]));
    } else entry.add(id);
  }
}
