// How a cycle's metrics (lib/db/types.ts CycleMetrics) name what they count: `<object type>|<direction>`,
// and `<object type>|<direction>|<field>` for field changes. The rows store each key as its number
// in a dictionary (lib/db/metricKeys.ts).
import { OBJECT_TYPES, type ObjectType, type Operation, type SyncDirection } from '../db/types';

export const DIRECTIONS: readonly SyncDirection[] = ['toMarketo', 'toSalesforce'];

export const DIRECTION_LABELS: Record<SyncDirection, string> = {
  toMarketo: 'Salesforce → Marketo',
  toSalesforce: 'Marketo → Salesforce',
};

/**
 * The way an operation's records travel (docs/dashboard.md). Init Link to Program makes a pair's
 * two sides agree from the campaign's, so it counts with the pulls. Sync Schema writes no records
 * and Reconcile only finds differences (the pulls and pushes that repair them count them).
 */
export function directionOf(operation: Operation): SyncDirection | undefined {
  switch (operation) {
    case 'Pull Deletes':
    case 'Pull Updates':
    case 'Pull Conversions':
    case 'Update FKs':
    case 'Init Link to Program':
      return 'toMarketo';
    case 'Push Updates':
    case 'Push New':
    case 'Sync to Program':
    case 'Update Activities':
      return 'toSalesforce';
    case 'Sync Schema':
    case 'Reconcile':
      return undefined;
  }
}

/** The dashboard lists persons first, then the objects they hang on, then the rest (lib/db/types.ts order). */
const FIRST: readonly ObjectType[] = ['Person', 'Contact', 'Account', 'Campaign', 'Campaign Member', 'Task'];

/** Sort rank of a key's object and direction (persons first, Salesforce → Marketo before the reverse). */
export function keyRank(key: string): number {
  const parsed = parseKey(key);
  if (!parsed) return Number.POSITIVE_INFINITY;
  const first = FIRST.indexOf(parsed.objectType);
  const object = first >= 0 ? first : FIRST.length + OBJECT_TYPES.indexOf(parsed.objectType);
  return object * 2 + DIRECTIONS.indexOf(parsed.direction);
}

export const metricKey = (objectType: ObjectType, direction: SyncDirection) => `${objectType}|${direction}`;

export const fieldKey = (objectType: ObjectType, direction: SyncDirection, field: string) =>
  `${objectType}|${direction}|${field}`;

export interface ParsedKey {
  objectType: ObjectType;
  direction: SyncDirection;
  /** Set for field keys. */
  field?: string;
}

/** Reads a key back; undefined for one this code does not know (a row from a later version). */
export function parseKey(key: string): ParsedKey | undefined {
  const [objectType, direction, field] = key.split('|');
  if (!(OBJECT_TYPES as readonly string[]).includes(objectType ?? '')) return undefined;
  if (!(DIRECTIONS as readonly string[]).includes(direction ?? '')) return undefined;
  return {
    objectType: objectType as ObjectType,
    direction: direction as SyncDirection,
    ...(field && { field }),
  };
}
