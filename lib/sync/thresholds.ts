// Change thresholds for noisy number fields (settings changeThresholds; issue 15): a change whose
// distance from the value LAST SYNCED is below the field's minimum is not written — the record is
// Skipped with the reason — and the sync state keeps the last synced value (SyncState.syncedNumbers),
// so small changes add up: 41 → 42 → 43 → 44 → 46 syncs at 46, 5 away from 41.
//
// A threshold names the field on the side the change comes from: Push Updates (Marketo →
// Salesforce) looks it up by the Marketo name (leadScore), Pull Updates (Salesforce → Marketo) by
// the Salesforce API name (NumberOfEmployees). So a field synced both ways can be noisy on one side
// only, and a name is never ambiguous (one Marketo field may be fed by Lead and Contact fields).
// Reconcile compares the two sides with the threshold of the direction it would repair in.
import type { SyncState } from '../db/syncStateTypes';
import type { SyncSettings } from '../settings/schema';
import type { MappedField } from './mapping';

export type Direction = 'push' | 'pull';

/** The minimum change of `field` in this direction, if a threshold names it. */
export function thresholdOf(
  settings: SyncSettings,
  field: MappedField,
  direction: Direction,
): number | undefined {
  const name = direction === 'push' ? field.mk : field.sf;
  return settings.changeThresholds.find((t) => t.field === name)?.minDelta;
}

/** Whether the last synced number of this field is kept (a threshold names it in either direction). */
export function isThresholded(settings: SyncSettings, field: MappedField): boolean {
  return (
    thresholdOf(settings, field, 'push') !== undefined || thresholdOf(settings, field, 'pull') !== undefined
  );
}

/** A change held back by a threshold: what the record panel and the log say. */
export interface HeldChange {
  /** The field's name on the side the change comes from (as the threshold names it). */
  field: string;
  delta: number;
  minDelta: number;
}

/**
 * The held change when `value` moved less than the threshold from the last synced number, else
 * undefined (no threshold, not numbers, or no synced number known: rows synced before thresholds
 * were kept write the change and keep the number from then on).
 */
export function heldByThreshold(
  settings: SyncSettings,
  field: MappedField,
  direction: Direction,
  value: unknown,
  /** The record's synced numbers (SyncState.syncedNumbers). */
  numbers: Readonly<Record<string, number>> | undefined,
): HeldChange | undefined {
  // The record's last synced number first: a first sync has none, for every field of every record.
  const last = numbers?.[field.sf];
  if (last === undefined || typeof value !== 'number') return undefined;
  const minDelta = thresholdOf(settings, field, direction);
  if (minDelta === undefined) return undefined;
  const delta = Math.abs(value - last);
  if (delta >= minDelta) return undefined;
  return { field: direction === 'push' ? field.mk : field.sf, delta, minDelta };
}

/** "leadScore changed by 1 (< 5): not synced" — several held fields joined with "; ". */
export function heldReason(held: readonly HeldChange[]): string {
  return held.map((h) => `${h.field} changed by ${round(h.delta)} (< ${h.minDelta}): not synced`).join('; ');
}

/** Float noise (0.1 + 0.2) is not what the admin should read. */
const round = (n: number) => Number(n.toPrecision(12));

/**
 * The state's synced numbers after writing `fields` with `writtenValue` (the values as written):
 * thresholded numeric fields keep their number, an emptied one loses it. Undefined when none is kept.
 */
export function withSyncedNumbers(
  settings: SyncSettings,
  numbers: Readonly<Record<string, number>> | undefined,
  fields: readonly MappedField[],
  writtenValue: (field: MappedField) => unknown,
): Record<string, number> | undefined {
  let next: Record<string, number> | undefined;
  for (const field of fields) {
    if (!isThresholded(settings, field)) continue;
    next ??= { ...numbers };
    const value = writtenValue(field);
    if (typeof value === 'number' && Number.isFinite(value)) next[field.sf] = value;
    else delete next[field.sf];
  }
  if (!next) return numbers && { ...numbers };
  return Object.keys(next).length ? next : undefined;
}

/** The state with these synced numbers (the key left out when there are none). */
export function withNumbers<S extends SyncState>(state: S, numbers: Record<string, number> | undefined): S {
  const next = { ...state };
  if (numbers) next.syncedNumbers = numbers;
  else delete next.syncedNumbers;
  return next;
}
