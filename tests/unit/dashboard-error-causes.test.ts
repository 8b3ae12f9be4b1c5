import { describe, expect, it } from 'vitest';
import { causeBatches } from '../../lib/dashboard/causeExport';
import {
  causeKey,
  errorCauses,
  groupFailures,
  parseCauseKey,
  withFailing,
} from '../../lib/dashboard/errorCauses';
import { finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import { scheduleRetriesNow } from '../../lib/db/retryRequests';
import type { FailureRow, ObjectType, Operation, PackedOutcome } from '../../lib/db/types';
import { writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { freshDb, MINUTE } from './db-fixtures';

const T0 = Date.UTC(2026, 10, 20, 8, 0);
const lead = (n: number) => toId18(`00QRO${String(n).padStart(10, '0')}`);
const contact = (n: number) => toId18(`003RO${String(n).padStart(10, '0')}`);
const STATE = {
  code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  message: 'Use the full state name',
  fields: ['State'],
};
const TITLE = {
  code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
  message: 'Unable to update Title',
  fields: ['Title'],
};

const failed = (sfId: string, error: PackedOutcome['error'], name?: string): PackedOutcome => ({
  sfId,
  outcome: 'failed',
  error,
  ...(name && { name }),
});

/** One step of one cycle writing these outcomes, through the engine's own batch commit. */
async function logStep(
  db: ReturnType<typeof freshDb>,
  at: number,
  operation: Operation,
  objectType: ObjectType,
  outcomes: PackedOutcome[],
) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at });
  const stepId = await startStep(db, { cycleId, operation, objectType, at });
  await writeBatch(db, { cycleId, stepId, operation, objectType, at, outcomes });
  await finishStep(db, stepId, { status: 'Completed', at });
}

describe('errors grouped by cause', () => {
  it('makes one cause per object, error code and fields, counting failures and distinct records', async () => {
    const db = freshDb();
    await logStep(db, T0, 'Push Updates', 'Person', [
      failed(lead(1), STATE, 'Ann'),
      failed(lead(2), STATE),
      failed(contact(3), STATE),
      failed(lead(4), TITLE),
    ]);
    // Lead 1 fails again with the same cause: one more failure, still one record.
    await logStep(db, T0 + 5 * MINUTE, 'Push Updates', 'Person', [failed(lead(1), STATE, 'Ann')]);
    const causes = await errorCauses(db);
    expect(causes.map((c) => [c.key, c.failures, c.records.length, c.failingNow])).toEqual([
      ['Lead|FIELD_CUSTOM_VALIDATION_EXCEPTION|State', 3, 2, 2],
      ['Contact|FIELD_CUSTOM_VALIDATION_EXCEPTION|State', 1, 1, 1],
      ['Lead|INVALID_FIELD_FOR_INSERT_UPDATE|Title', 1, 1, 1],
    ]);
    const state = causes[0]!;
    expect(state).toMatchObject({ firstAt: T0, lastAt: T0 + 5 * MINUTE, operations: ['Push Updates'] });
    // Newest failure first, with the attempts of that failure and the record's name.
    expect(state.records[0]).toMatchObject({ sfId: lead(1), name: 'Ann', attempts: 2, at: T0 + 5 * MINUTE });
  });

  it('counts a record failing now only under its newest cause in that operation, and only while failing', async () => {
    const db = freshDb();
    await logStep(db, T0, 'Push Updates', 'Person', [failed(lead(1), STATE), failed(lead(2), STATE)]);
    // Lead 1 now fails on Title instead; lead 2 succeeds (its failure clears).
    await logStep(db, T0 + MINUTE, 'Push Updates', 'Person', [
      failed(lead(1), TITLE),
      { sfId: lead(2), outcome: 'updated', changes: [{ field: 'State', old: null, new: 'Texas' }] },
    ]);
    const byKey = new Map((await errorCauses(db)).map((c) => [c.key, c]));
    const state = byKey.get('Lead|FIELD_CUSTOM_VALIDATION_EXCEPTION|State')!;
    expect(state.records.map((r) => [r.sfId, r.failingNow])).toEqual([
      [lead(1), false],
      [lead(2), false],
    ]);
    expect(state.failingNow).toBe(0);
    expect(byKey.get('Lead|INVALID_FIELD_FOR_INSERT_UPDATE|Title')?.failingNow).toBe(1);
  });

  it('keeps operations apart: a Task failure does not replace the record’s push failure', () => {
    const row = (id: number, operation: Operation, code: string, fields: string): FailureRow => ({
      id,
      cycleId: id,
      stepId: id,
      at: T0 + id,
      operation,
      objectType: 'Person',
      sfIds: [lead(1)],
      mktoIds: [7],
      names: [null],
      codes: [code],
      messages: ['m'],
      fields: [fields],
      attempts: [1],
    });
    const grouped = groupFailures([
      row(1, 'Push Updates', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'State'),
      row(2, 'Push New', 'X', ''),
    ]);
    // Before the flags are read nothing counts as failing now; the records' newest failures are known.
    expect(grouped.map((c) => [c.key, c.failingNow, c.records[0]?.latest])).toEqual([
      ['Lead|X|', 0, true],
      ['Lead|FIELD_CUSTOM_VALIDATION_EXCEPTION|State', 0, true],
    ]);
    const causes = withFailing(grouped, new Set([lead(1)]));
    // Both still failing (the newer cause first): each is its operation's newest failure.
    expect(causes.map((c) => [c.key, c.failingNow])).toEqual([
      ['Lead|X|', 1],
      ['Lead|FIELD_CUSTOM_VALIDATION_EXCEPTION|State', 1],
    ]);
  });

  it('exports exactly one cause’s failures, newest batch first', async () => {
    const db = freshDb();
    await logStep(db, T0, 'Push Updates', 'Person', [failed(lead(1), STATE), failed(lead(4), TITLE)]);
    await logStep(db, T0 + MINUTE, 'Push Updates', 'Person', [failed(lead(2), STATE)]);
    const batches = causeBatches(await db.failures.toArray(), 'Lead|FIELD_CUSTOM_VALIDATION_EXCEPTION|State');
    expect(batches.map((b) => b.sfIds)).toEqual([[lead(2)], [lead(1)]]);
    expect(batches.every((b) => b.codes.every((c) => c === STATE.code))).toBe(true);
  });

  it('reads cause keys back, refusing malformed ones', () => {
    const key = { sobject: 'Lead', code: 'X', fields: 'State; City' };
    expect(parseCauseKey(causeKey(key))).toEqual(key);
    expect(parseCauseKey('Lead|X')).toBeUndefined();
    expect(parseCauseKey('|X|')).toBeUndefined();
  });
});

describe('Retry these now', () => {
  it('makes the failures that still have the cause due now, keeping attempts and state', async () => {
    const db = freshDb();
    await logStep(db, T0, 'Push Updates', 'Person', [failed(lead(1), STATE), failed(lead(2), TITLE)]);
    const due = await scheduleRetriesNow(
      db,
      new Map([['Push Updates', [lead(1), lead(2), lead(9)]]]),
      STATE.code,
      T0 + MINUTE,
    );
    expect(due).toEqual(new Map([['Push Updates', [lead(1)]]]));
    expect(await db.records.get(lead(1))).toMatchObject({
      state: 'failed',
      attempts: 1,
      nextRetryAt: T0 + MINUTE,
      pending: { 'Push Updates': { attempts: 1, nextRetryAt: T0 + MINUTE } },
    });
    // The other cause's record is untouched: its retry stays where its backoff put it.
    expect((await db.records.get(lead(2)))?.nextRetryAt).toBe(T0 + 5 * MINUTE);
  });
});
