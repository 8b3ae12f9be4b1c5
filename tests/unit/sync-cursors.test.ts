// Pull cursors as positions in the (SystemModstamp, Id) order (lib/sync/cursors.ts), including the
// cursors an older version stored (a watermark and a "settled" flag).
import { describe, expect, it } from 'vitest';
import { afterPosition, formatPullCursor, parsePullCursor, settledPosition } from '../../lib/sync/cursors';

const T = Date.parse('2026-03-02T09:00:00.000Z');
const ID = '00Q5e0000000042AAA';

describe('pull cursors', () => {
  it('round-trips a position with and without an Id', () => {
    expect(parsePullCursor(formatPullCursor({ at: T, id: ID }))).toEqual({ at: T, id: ID });
    expect(parsePullCursor(formatPullCursor({ at: T }))).toEqual({ at: T });
  });

  it('reads the older watermark cursors as a position without an Id (that second is read again)', () => {
    expect(parsePullCursor('2026-03-02T09:00:00.000Z|')).toEqual({ at: T });
    expect(parsePullCursor('2026-03-02T09:00:00.000Z|*')).toEqual({ at: T });
    expect(parsePullCursor('2026-03-02T09:00:00.000Z')).toEqual({ at: T });
  });

  it('reads nothing from an empty or broken value', () => {
    expect(parsePullCursor(undefined)).toBeUndefined();
    expect(parsePullCursor('')).toBeUndefined();
    expect(parsePullCursor('yesterday|x')).toBeUndefined();
  });

  it('asks for the rows after the position in SOQL', () => {
    expect(afterPosition({ at: T, id: ID })).toBe(
      `(SystemModstamp > 2026-03-02T09:00:00Z OR (SystemModstamp = 2026-03-02T09:00:00Z AND Id > '${ID}'))`,
    );
    expect(afterPosition({ at: T })).toBe('SystemModstamp >= 2026-03-02T09:00:00Z');
  });

  it("keeps the read's own second open: a row changed later in it keeps the stamp", () => {
    expect(settledPosition({ at: T, id: ID }, T + 999)).toEqual({ at: T });
    expect(settledPosition({ at: T, id: ID }, T + 1000)).toEqual({ at: T, id: ID });
  });
});
