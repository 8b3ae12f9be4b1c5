import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_DAYS,
  defaultFilter,
  describeFilter,
  draftOf,
  type FilterDraft,
  filterOf,
  sameFilter,
  toggled,
} from '../../components/stepFilterState';
import { fromDateTimeInput, toDateTimeInput } from '../../components/zonedTime';
import { formatDateTime } from '../../lib/format/time';

const NOW = Date.UTC(2026, 10, 20, 10, 0);
const empty: FilterDraft = { from: '', to: '', objectTypes: [], operations: [], statuses: [] };

describe('filter state', () => {
  it('defaults to the last 5 days, open-ended', () => {
    expect(DEFAULT_WINDOW_DAYS).toBe(5);
    expect(defaultFilter(NOW)).toEqual({ from: NOW - 5 * 24 * 3600 * 1000 });
  });

  it('turns a draft into the filter, in the table time zone, "To" inclusive to the end of its minute', () => {
    const result = filterOf(
      { ...empty, from: '2026-11-20T09:00', to: '2026-11-20T10:05' },
      'Europe/Amsterdam', // UTC+1 in November
    );
    expect(result).toEqual({
      ok: true,
      filter: { from: Date.UTC(2026, 10, 20, 8, 0), to: Date.UTC(2026, 10, 20, 9, 5, 59, 999) },
    });
  });

  it('keeps the multi-selects in canonical order and drops empty ones', () => {
    const result = filterOf({ ...empty, objectTypes: ['Task', 'Account'], statuses: ['Purged', 'Failed'] });
    expect(result).toEqual({
      ok: true,
      filter: { objectTypes: ['Account', 'Task'], statuses: ['Failed', 'Purged'] },
    });
    expect(filterOf(empty)).toEqual({ ok: true, filter: {} });
  });

  it('refuses a range that ends before it starts, and text that is not a date', () => {
    expect(filterOf({ ...empty, from: '2026-11-20T11:00', to: '2026-11-20T10:00' }, 'UTC')).toEqual({
      ok: false,
      error: '"From" must not be after "To"',
    });
    expect(filterOf({ ...empty, from: '2026-02-30T10:00' })).toEqual({
      ok: false,
      error: '"From" is not a date and time',
    });
    expect(filterOf({ ...empty, to: 'yesterday' })).toMatchObject({
      ok: false,
      error: '"To" is not a date and time',
    });
  });

  it('round-trips a filter through the draft the inputs show', () => {
    const filter = { from: Date.UTC(2026, 10, 15, 7, 30), objectTypes: ['Person' as const] };
    const draft = draftOf(filter, 'America/New_York');
    expect(draft.from).toBe('2026-11-15T02:30');
    expect(filterOf(draft, 'America/New_York')).toEqual({ ok: true, filter });
  });

  it('compares filters by value, and toggles multi-select values', () => {
    expect(sameFilter({ from: 1, statuses: ['Failed'] }, { from: 1, statuses: ['Failed'] })).toBe(true);
    expect(sameFilter({ from: 1 }, { from: 1, statuses: [] })).toBe(true);
    expect(sameFilter({ from: 1 }, { from: 2 })).toBe(false);
    expect(sameFilter({ operations: ['Pull Updates'] }, {})).toBe(false);
    expect(toggled(['Failed'], 'Purged', true)).toEqual(['Failed', 'Purged']);
    expect(toggled(['Failed'], 'Failed', true)).toEqual(['Failed']);
    expect(toggled(['Failed', 'Purged'], 'Failed', false)).toEqual(['Purged']);
  });

  it('describes what is active, with the Person label and the sorted column', () => {
    const parts = describeFilter(
      {
        from: Date.UTC(2026, 10, 20, 8, 0),
        objectTypes: ['Person', 'Contact'],
        operations: ['Pull Updates'],
        statuses: ['Failed'],
      },
      { sort: 'endedAt', personLabel: 'Lead', timeZone: 'UTC' },
    );
    expect(parts[0]).toBe(`Ended ${formatDateTime(Date.UTC(2026, 10, 20, 8, 0), 'UTC')} → now`);
    expect(parts.slice(1)).toEqual(['Object: Lead, Contact', 'Operation: Pull Updates', 'Status: Failed']);
    expect(describeFilter({}, { sort: 'startedAt', personLabel: 'Person' })).toEqual(['All dates']);
  });
});

describe('zoned date-time inputs', () => {
  it('converts across a DST change', () => {
    // Amsterdam leaves summer time on 2026-10-25 at 03:00 local (01:00 UTC).
    expect(fromDateTimeInput('2026-10-24T12:00', 'Europe/Amsterdam')).toBe(Date.UTC(2026, 9, 24, 10, 0));
    expect(fromDateTimeInput('2026-10-26T12:00', 'Europe/Amsterdam')).toBe(Date.UTC(2026, 9, 26, 11, 0));
    expect(toDateTimeInput(Date.UTC(2026, 9, 26, 11, 0), 'Europe/Amsterdam')).toBe('2026-10-26T12:00');
  });

  it('falls back to the browser zone for an unknown zone name, and refuses malformed text', () => {
    expect(fromDateTimeInput('2026-11-20T10:00', 'Not/AZone')).toBe(fromDateTimeInput('2026-11-20T10:00'));
    expect(fromDateTimeInput('2026-11-20 10:00:00x', 'UTC')).toBeUndefined();
    expect(fromDateTimeInput('2026-11-20T25:00', 'UTC')).toBeUndefined();
  });
});
