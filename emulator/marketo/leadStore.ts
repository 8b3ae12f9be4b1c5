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
  private readonly indexes = new Map<string, Map<string, Set<number>>>(
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
    if (index) return [...(index.get(key) ?? [])];
    const out: number[] = [];
    for (const lead of this.byId.values()) if (indexKey(field, lead.values[field]) === key) out.push(lead.id);
    return out;
  }

  insert(lead: Lead): void {
    this.byId.set(lead.id, lead);
    if (lead.id >= this.nextId) this.nextId = lead.id + 1;
    for (const [field, index] of this.indexes) this.addToIndex(index, field, lead.values[field], lead.id);
  }

  /** Call before changing `lead.values[field]` so the index follows. */
  reindex(lead: Lead, field: string, oldValue: unknown, newValue: unknown): void {
    const index = this.indexes.get(field);
    if (!index) return;
    const oldKey = indexKey(field, oldValue);
    if (oldKey !== null) {
      const set = index.get(oldKey);
      set?.delete(lead.id);
      if (set && set.size === 0) index.delete(oldKey);
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

  private addToIndex(index: Map<string, Set<number>>, field: string, value: unknown, id: number): void {
    const key = indexKey(field, value);
    if (key === null) return;
    let set = index.get(key);
    if (!set) {
      set = new Set();
      index.set(key, set);
    }
    set.add(id);
  }
}
