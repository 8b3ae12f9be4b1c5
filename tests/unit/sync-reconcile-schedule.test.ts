import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../lib/settings/schema';
import {
  dailyCaps,
  readSpent,
  reconcileDue,
  reconcileDueFor,
  reconcileKeys,
  shareSpentReason,
} from '../../lib/sync/reconcileSchedule';
import { freshDb } from './db-fixtures';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 6, 8, 0);

describe('Reconcile schedule and API share', () => {
  it('caps each side at its share of the daily allowance', () => {
    const settings = defaultSettings(); // Salesforce share 0.5, Marketo 10,000 calls, Reconcile 0.2
    expect(dailyCaps(settings, 15_000)).toEqual({ salesforce: 1500, marketo: 2000 });
    // Salesforce's allowance is known only after a response reported it: no cap before.
    expect(dailyCaps(settings, undefined)).toEqual({ salesforce: undefined, marketo: 2000 });
  });

  it.each([
    [{ salesforce: 0, marketo: 0 }, { salesforce: 10, marketo: 10 }, undefined],
    [{ salesforce: 10, marketo: 0 }, { salesforce: 10, marketo: 10 }, '10 of 10 Salesforce calls'],
    [{ salesforce: 9, marketo: 10 }, { salesforce: 10, marketo: 10 }, '10 of 10 Marketo calls'],
    [{ salesforce: 999, marketo: 0 }, { salesforce: undefined, marketo: 10 }, undefined],
    [{ salesforce: 0, marketo: 0 }, { salesforce: 10, marketo: 0 }, 'the allowed share is 0'],
  ])('spent %j of caps %j: %s', (spent, caps, reason) => {
    expect(shareSpentReason({ day: 1, ...spent }, caps)).toBe(reason);
  });

  it('counts what was spent per UTC day: a new day starts at zero', async () => {
    const db = freshDb();
    const day = Math.floor(T0 / (24 * HOUR));
    await db.cursors.put({
      key: reconcileKeys.spent,
      value: JSON.stringify({ day, salesforce: 3, marketo: 4 }),
      updatedAt: T0,
    });
    expect(await readSpent(db, T0 + HOUR)).toEqual({ day, salesforce: 3, marketo: 4 });
    expect(await readSpent(db, T0 + 24 * HOUR)).toEqual({ day: day + 1, salesforce: 0, marketo: 0 });
  });

  it('starts the clock on first asking, is due after the interval, and while a check is under way', async () => {
    const db = freshDb();
    const settings = defaultSettings();
    expect(await reconcileDueFor(db, settings, 'Lead', T0)).toBe(false);
    expect(await reconcileDueFor(db, settings, 'Lead', T0 + 23 * HOUR)).toBe(false);
    expect(await reconcileDueFor(db, settings, 'Lead', T0 + 24 * HOUR)).toBe(true);
    settings.reconcile.intervalHours = 6;
    expect(await reconcileDueFor(db, settings, 'Lead', T0 + 6 * HOUR)).toBe(true);
    await db.cursors.put({ key: reconcileKeys.lastRun('Lead'), value: String(T0 + 6 * HOUR), updatedAt: T0 });
    expect(await reconcileDueFor(db, settings, 'Lead', T0 + 7 * HOUR)).toBe(false);
    await db.cursors.put({ key: reconcileKeys.progress('Lead'), value: '{"after":"x"}', updatedAt: T0 });
    expect(await reconcileDueFor(db, settings, 'Lead', T0 + 7 * HOUR)).toBe(true);
    // …unless today's share is spent, or Reconcile is turned off (share 0).
    expect(await reconcileDue(db, settings, T0 + 7 * HOUR, 15_000)).toBe(true);
    settings.reconcile.maxApiShare = 0;
    expect(await reconcileDue(db, settings, T0 + 7 * HOUR, 15_000)).toBe(false);
  });
});
