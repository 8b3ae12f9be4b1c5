import type { StepFilter, StepSort } from '../lib/db/stepFilter';
import {
  OBJECT_TYPES,
  type ObjectType,
  OPERATIONS,
  type Operation,
  STEP_STATUSES,
  type StepStatus,
} from '../lib/db/types';
import { formatDateTime } from '../lib/format/time';
import { objectLabel, type PersonLabel } from './objectLabel';
import { fromDateTimeInput, toDateTimeInput } from './zonedTime';

// The filter panel's state, kept apart from the components so it can be tested in Node: what the
// admin is editing (the draft, as the inputs hold it) and what the table shows (the applied
// StepFilter). Apply turns a valid draft into the filter; Reset goes back to the default window.

/** The seed dashboard's default: the last 5 days, most recently started first. */
export const DEFAULT_WINDOW_DAYS = 5;
const DAY = 24 * 60 * 60 * 1000;

export interface FilterDraft {
  /** `<input type="datetime-local">` text in the table's time zone; '' = open. */
  from: string;
  to: string;
  objectTypes: ObjectType[];
  operations: Operation[];
  statuses: StepStatus[];
}

export function defaultFilter(now: number): StepFilter {
  return { from: now - DEFAULT_WINDOW_DAYS * DAY };
}

export function draftOf(filter: StepFilter, timeZone?: string): FilterDraft {
  return {
    from: filter.from === undefined ? '' : toDateTimeInput(filter.from, timeZone),
    to: filter.to === undefined ? '' : toDateTimeInput(filter.to, timeZone),
    objectTypes: [...(filter.objectTypes ?? [])],
    operations: [...(filter.operations ?? [])],
    statuses: [...(filter.statuses ?? [])],
  };
}

export type DraftResult = { ok: true; filter: StepFilter } | { ok: false; error: string };

/** Keeps the lists in their canonical order, so equal selections compare equal. */
const ordered = <T extends string>(values: T[], all: readonly T[]) => all.filter((v) => values.includes(v));

/**
 * The filter a draft asks for. "To" is inclusive to the end of its minute (the input has no seconds),
 * so "to 10:05" keeps a step started at 10:05:30.
 */
export function filterOf(draft: FilterDraft, timeZone?: string): DraftResult {
  const from = draft.from.trim() ? fromDateTimeInput(draft.from, timeZone) : undefined;
  if (draft.from.trim() && from === undefined) return { ok: false, error: '"From" is not a date and time' };
  const toStart = draft.to.trim() ? fromDateTimeInput(draft.to, timeZone) : undefined;
  if (draft.to.trim() && toStart === undefined) return { ok: false, error: '"To" is not a date and time' };
  const to = toStart === undefined ? undefined : toStart + 59_999;
  if (from !== undefined && to !== undefined && from > to) {
    return { ok: false, error: '"From" must not be after "To"' };
  }
  const filter: StepFilter = {};
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  const objectTypes = ordered(draft.objectTypes, OBJECT_TYPES);
  const operations = ordered(draft.operations, OPERATIONS);
  const statuses = ordered(draft.statuses, STEP_STATUSES);
  if (objectTypes.length) filter.objectTypes = objectTypes;
  if (operations.length) filter.operations = operations;
  if (statuses.length) filter.statuses = statuses;
  return { ok: true, filter };
}

export function sameFilter(a: StepFilter, b: StepFilter): boolean {
  const list = (v: readonly string[] | undefined) => (v ?? []).join('\u0000');
  return (
    a.from === b.from &&
    a.to === b.to &&
    list(a.objectTypes) === list(b.objectTypes) &&
    list(a.operations) === list(b.operations) &&
    list(a.statuses) === list(b.statuses)
  );
}

/** Adds or removes one value of a multi-select. */
export function toggled<T extends string>(values: T[], value: T, on: boolean): T[] {
  return on ? (values.includes(value) ? values : [...values, value]) : values.filter((v) => v !== value);
}

/**
 * What the applied filter is, as short phrases for the summary line ("Started 20/11/2026, 10:00:00 →",
 * "Object: Lead, Contact"). The date range applies to the column the table is sorted by.
 */
export function describeFilter(
  filter: StepFilter,
  options: { sort: StepSort; personLabel: PersonLabel; timeZone?: string },
): string[] {
  const parts: string[] = [];
  const column = options.sort === 'startedAt' ? 'Started' : 'Ended';
  if (filter.from !== undefined || filter.to !== undefined) {
    const from = filter.from === undefined ? '…' : formatDateTime(filter.from, options.timeZone);
    const to = filter.to === undefined ? 'now' : formatDateTime(filter.to, options.timeZone);
    parts.push(`${column} ${from} → ${to}`);
  } else {
    parts.push('All dates');
  }
  if (filter.objectTypes?.length) {
    parts.push(`Object: ${filter.objectTypes.map((o) => objectLabel(o, options.personLabel)).join(', ')}`);
  }
  if (filter.operations?.length) parts.push(`Operation: ${filter.operations.join(', ')}`);
  if (filter.statuses?.length) parts.push(`Status: ${filter.statuses.join(', ')}`);
  return parts;
}
