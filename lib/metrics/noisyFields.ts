// Noisy fields (dashboard section 5, docs/dashboard.md): per object and direction, the fields whose
// changes were part of the most updates in the window, each with its share of that object's
// updates (an update can change several fields, so the shares of one object may add up past 100 %).
import type { CycleMetrics, ObjectType, SyncDirection } from '../db/types';
import { metricKey, parseKey } from './keys';

export interface NoisyField {
  /** Salesforce API name (the log names changes by it in both directions). */
  field: string;
  /** Updated records whose write changed this field. */
  updates: number;
  /** updates / the object's updates in this direction, 0..1. */
  share: number;
}

export interface NoisyObject {
  objectType: ObjectType;
  direction: SyncDirection;
  /** Records updated in this direction in the window. */
  updates: number;
  fields: NoisyField[];
}

/** The `limit` noisiest fields of each object and direction, objects with the most updates first. */
export function noisyFields(rows: readonly CycleMetrics[], from: number, limit = 5): NoisyObject[] {
  // Summed by key first and each distinct key parsed once: a 5-day window holds 1,440 rows of a few
  // dozen field keys each, and parsing every entry cost most of the dashboard's first paint.
  const updates = new Map<string, number>();
  const byFieldKey = new Map<string, number>();
  for (const row of rows) {
    if (row.at < from) continue;
    row.updated.each((key, n) => updates.set(key, (updates.get(key) ?? 0) + n));
    row.fields.each((key, n) => byFieldKey.set(key, (byFieldKey.get(key) ?? 0) + n));
  }
  const fields = new Map<string, Map<string, number>>();
  for (const [key, n] of byFieldKey) {
    const parsed = parseKey(key);
    if (!parsed?.field) continue;
    const object = metricKey(parsed.objectType, parsed.direction);
    const counts = fields.get(object) ?? new Map<string, number>();
    counts.set(parsed.field, (counts.get(parsed.field) ?? 0) + n);
    fields.set(object, counts);
  }
  const out: NoisyObject[] = [];
  for (const [key, counts] of fields) {
    const parsed = parseKey(key)!;
    const total = updates.get(key) ?? 0;
    if (total === 0) continue;
    const ranked = [...counts]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, limit)
      .map(([field, n]) => ({ field, updates: n, share: n / total }));
    out.push({ objectType: parsed.objectType, direction: parsed.direction, updates: total, fields: ranked });
  }
  return out.sort((a, b) => b.updates - a.updates);
}
