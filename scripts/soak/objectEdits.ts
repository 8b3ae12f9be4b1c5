// What the soak's object actions share (objects.ts): the records a user can pick among, the values
// a user types, and Salesforce's refusals logged rather than thrown.
import type { Emulator } from '../../emulator/index';
import type { SyncSettings } from '../../lib/settings/schema';
import { valueFor } from './actions';
import type { ObjectAction } from './objects';

export type Row = Record<string, unknown>;

/** Live rows of an object (not deleted, not converted; persons the sync filter excludes only when asked). */
export function live(emu: Emulator, object: string, filter: string | null, withExcluded = false): Row[] {
  const out: Row[] = [];
  for (const row of emu.salesforce.store.tables.get(object)?.records.values() ?? []) {
    if (row.IsDeleted || row.IsConverted) continue;
    if (!withExcluded && filter && row[filter] === true) continue;
    out.push(row);
  }
  return out;
}

export const at = <T>(list: readonly T[], n: number): T | undefined => list[n % Math.max(1, list.length)];
export const idOf = (row: Row | undefined) => (row ? String(row.Id) : undefined);

export const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

/** A date around the run's time: `n` picks one of a few, or none. */
export function dateFor(emu: Emulator, n: number): string | null {
  if (n % 7 === 6) return null;
  return new Date(emu.core.clock.now() + ((n % 7) - 3) * 86_400_000 * 9).toISOString().slice(0, 10);
}

/** The value a user types into a field: hostile texts, numbers, picklist values, dates. */
export function userValue(
  emu: Emulator,
  object: string,
  field: string,
  n: number,
  current: unknown,
): unknown {
  const def = emu.salesforce.store.schema.get(object)?.field(field);
  if (def?.type === 'date') return dateFor(emu, n);
  if (def?.type === 'boolean') return n % 2 === 0;
  return valueFor(
    { type: def?.type ?? 'string', ...(def?.picklist && { picklist: def.picklist }) },
    n,
    current,
    'salesforce',
  );
}

/** Tries a Salesforce write as a user would: a refusal (validation, required field) is logged, not thrown. */
export function attempt(what: string, write: () => unknown): string {
  try {
    write();
    return what;
  } catch (error) {
    return `Salesforce refused: ${what}: ${(error as Error).message}`;
  }
}

/** What an action sees when it is applied: the live records to pick among. */
export interface Scene {
  emu: Emulator;
  a: ObjectAction;
  filter: string | null;
  opportunities: Row[];
  roles: Row[];
  customs: Row[];
  accounts: Row[];
  /** Excluded contacts and leads too: a record re-parented onto one is Excluded (counted). */
  contacts: Row[];
  leads: Row[];
  users: Row[];
}

export function sceneOf(emu: Emulator, settings: SyncSettings, a: ObjectAction, custom: string): Scene {
  const filter = settings.syncFilterField;
  return {
    emu,
    a,
    filter,
    opportunities: live(emu, 'Opportunity', null),
    roles: live(emu, 'OpportunityContactRole', null),
    customs: live(emu, custom, null),
    accounts: live(emu, 'Account', null),
    contacts: live(emu, 'Contact', filter, true),
    leads: live(emu, 'Lead', filter, true),
    users: live(emu, 'User', null).filter((u) => u.IsActive !== false),
  };
}
