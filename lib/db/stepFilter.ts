import {
  OBJECT_TYPES,
  type ObjectType,
  OPERATIONS,
  type Operation,
  STEP_STATUSES,
  type StepRow,
  type StepStatus,
} from './types';

/**
 * The popup's and dashboard's step filter. `from`/`to` (epoch ms, inclusive) apply to the column
 * the table is sorted by: Started At, or Ended At (a running step has no end yet, so it matches an
 * Ended-At range only while `to` is unset). That way the query reads one index range and never a
 * row outside the dates. Empty or missing lists mean "all". Its zod schema, for messages and URLs,
 * is in ./stepFilterSchemas so that the pages' query code does not bundle zod.
 */
export interface StepFilter {
  from?: number | undefined;
  to?: number | undefined;
  objectTypes?: ObjectType[] | undefined;
  operations?: Operation[] | undefined;
  statuses?: StepStatus[] | undefined;
}

export const STEP_SORTS = ['startedAt', 'endedAt'] as const;
export type StepSort = (typeof STEP_SORTS)[number];

/** The last row of a page: its sort key (startedAt, or endSort) and id. */
export type PageCursor = [sortKey: number, id: number];

/** The row field that holds the key of a sort. */
export const sortKeyOf = (sort: StepSort): 'startedAt' | 'endSort' =>
  sort === 'startedAt' ? 'startedAt' : 'endSort';

/** One filter dimension that has an index of its own, with the values asked for. */
export interface IndexedDimension {
  field: 'status' | 'objectType' | 'operation';
  values: string[];
}

/** A list that selects every value filters nothing; dropping it saves index ranges. */
function selective<T extends string>(values: readonly T[] | undefined, all: readonly T[]): T[] | undefined {
  if (!values || values.length === 0) return undefined;
  const unique = [...new Set(values)];
  return all.every((v) => unique.includes(v)) ? undefined : unique;
}

export interface NormalizedFilter {
  from: number;
  to: number;
  statuses?: StepStatus[];
  objectTypes?: ObjectType[];
  operations?: Operation[];
}

export function normalizeFilter(filter: StepFilter): NormalizedFilter {
  return {
    from: filter.from ?? Number.NEGATIVE_INFINITY,
    to: filter.to ?? Number.POSITIVE_INFINITY,
    statuses: selective(filter.statuses, STEP_STATUSES),
    objectTypes: selective(filter.objectTypes, OBJECT_TYPES),
    operations: selective(filter.operations, OPERATIONS),
  };
}

/**
 * The dimension whose index the query walks: statuses first (the usual filter is Failed or In
 * Process, a small slice), then object types, then operations. Undefined when none is set.
 */
export function pickIndexedDimension(filter: NormalizedFilter): IndexedDimension | undefined {
  if (filter.statuses) return { field: 'status', values: filter.statuses };
  if (filter.objectTypes) return { field: 'objectType', values: filter.objectTypes };
  if (filter.operations) return { field: 'operation', values: filter.operations };
  return undefined;
}

/** Whether a row passes the list filters (the date range is left to the index range). */
export function matchesLists(row: StepRow, filter: NormalizedFilter): boolean {
  return (
    (!filter.statuses || filter.statuses.includes(row.status)) &&
    (!filter.objectTypes || filter.objectTypes.includes(row.objectType)) &&
    (!filter.operations || filter.operations.includes(row.operation))
  );
}
