import { describe, expect, it } from 'vitest';
import type { SyncLogDatabase } from '../../lib/db/database';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import { finishCycle, finishStep, startCycle, startStep } from '../../lib/db/lifecycle';
import { DEFAULT_RETRY_POLICY, isRetryDue } from '../../lib/db/recordFlags';
import { type Operation, OUTCOMES, type Outcome, type PackedOutcome } from '../../lib/db/types';
import { dueRetries, type FailingIds, writeBatch } from '../../lib/db/writeBatch';
import { toId18 } from '../../lib/salesforce/ids';
import { freshDb, MINUTE } from './db-fixtures';

const T0 = Date.UTC(2026, 10, 20, 8, 0);

/** A valid 15-character Contact id for a number (prefix 003, pod RO, base-10 counter). */
const contactId = (n: number) => `003RO${String(n).padStart(10, '0')}`;

function outcome(n: number, kind: Outcome): PackedOutcome {
  const base: PackedOutcome = { sfId: contactId(n), mktoId: 1000 + n, name: `Contact ${n}`, outcome: kind };
  if (kind === 'failed')
    return { ...base, error: { code: 'INVALID_EMAIL_ADDRESS', message: 'bad email', fields: ['Email'] } };
  if (kind === 'excluded') return { ...base, reason: 'Do Not Sync to Marketo is checked' };
  if (kind === 'updated') return { ...base, changes: [{ field: 'Title', old: 'A', new: 'B' }] };
  return base;
}

async function runningStep(db: SyncLogDatabase) {
  const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
  const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Contact', at: T0 });
  const batch = (at: number, outcomes: PackedOutcome[], cursor?: { key: string; value: string }) =>
    writeBatch(db, {
      cycleId,
      stepId,
      operation: 'Pull Updates',
      objectType: 'Contact',
      at,
      outcomes,
      ...(cursor && { cursor }),
    });
  return { cycleId, stepId, batch };
}

describe('writeBatch', () => {
  it('writes one packed row, the counters and the cursor; sums hold across batches', async () => {
    const db = freshDb();
    const { cycleId, stepId, batch } = await runningStep(db);
    const kinds: Outcome[] = [];
    // A stride coprime to the number of outcomes, so that every kind occurs (drifted included).
    for (let i = 0; i < 300; i++) kinds.push(OUTCOMES[(i * 5) % OUTCOMES.length]!);
    const first = await batch(
      T0 + 1,
      kinds.slice(0, 200).map((k, i) => outcome(i, k)),
      { key: 'pull:Contact', value: 'm1' },
    );
    await batch(
      T0 + 2,
      kinds.slice(200).map((k, i) => outcome(200 + i, k)),
      { key: 'pull:Contact', value: 'm2' },
    );

    expect(await db.recordEvents.count()).toBe(2);
    const row = await db.recordEvents.get(first.eventId!);
    expect(rowOutcomes(row!)).toHaveLength(200);
    expect(row?.failedCount).toBe(first.counters.failed);
    // The failures also get their own compact row (for the popup and the CSV export).
    const failureRows = await db.failures
      .where('[stepId+id]')
      .between([stepId, -Infinity], [stepId, Infinity])
      .toArray();
    const failed = rowOutcomes(row!).filter((o) => o.outcome === 'failed');
    expect(failureRows.find((f) => f.at === T0 + 1)).toMatchObject({
      sfIds: failed.map((o) => o.sfId),
      codes: failed.map((o) => o.error!.code),
      fields: failed.map((o) => o.error!.fields.join('; ')),
      attempts: failed.map(() => 1),
    });
    // Skipped records are kept in the row but cost no index entry.
    const skippedIds = rowOutcomes(row!)
      .filter((o) => o.outcome === 'skipped')
      .map((o) => o.sfId);
    expect(skippedIds.length).toBeGreaterThan(0);
    expect(row!.sfIds.some((id) => skippedIds.includes(id))).toBe(false);
    expect(row!.sfIds).toHaveLength(200 - skippedIds.length);
    expect(row!.sfIds.every((id) => id.length === 18)).toBe(true);

    expect(await db.cursors.get('pull:Contact')).toEqual({
      key: 'pull:Contact',
      value: 'm2',
      updatedAt: T0 + 2,
    });

    await finishStep(db, stepId, { status: 'Completed', at: T0 + 3 });
    const totals = await finishCycle(db, cycleId, {
      status: 'Completed',
      at: T0 + 4,
      apiCalls: { salesforce: 2, marketo: 1 },
    });
    const step = (await db.steps.get(stepId))!;
    const events = await db.recordEvents.where('stepId').equals(stepId).toArray();
    const written = events.reduce((n, e) => n + rowOutcomes(e).length, 0);
    // Design §5 invariant: counters add up to the records handled and to the per-record events.
    const counted = OUTCOMES.reduce((n, k) => n + step[k], 0);
    expect(counted).toBe(300);
    expect(written).toBe(300);
    for (const k of OUTCOMES) {
      expect(step[k]).toBe(kinds.filter((x) => x === k).length);
      expect(totals[k]).toBe(step[k]);
    }
    expect(step).toMatchObject({ status: 'Completed', endedAt: T0 + 3, endSort: T0 + 3 });
    expect(await db.cycles.get(cycleId)).toMatchObject({ status: 'Completed', endedAt: T0 + 4, totals });
  });

  it('leaves clean batches out of the failure index', async () => {
    const db = freshDb();
    const { batch } = await runningStep(db);
    const clean = await batch(T0, [outcome(1, 'new'), outcome(2, 'skipped')]);
    const row = await db.recordEvents.get(clean.eventId!);
    expect(row?.failedCount).toBe(0);
    expect(row).not.toHaveProperty('failedStepId');
  });

  it("keeps the caller's failing-ids cache in step with the flags, and untouched by an aborted batch", async () => {
    const db = freshDb();
    const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
    const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Contact', at: T0 });
    const failing: FailingIds = {};
    const write = (at: number, outcomes: PackedOutcome[], id = stepId) =>
      writeBatch(db, {
        cycleId,
        stepId: id,
        operation: 'Pull Updates',
        objectType: 'Contact',
        at,
        outcomes,
        failing,
      });
    await write(T0, [outcome(1, 'failed'), outcome(2, 'failed'), outcome(3, 'new')]);
    expect([...failing.ids!].sort()).toEqual([toId18(contactId(1)), toId18(contactId(2))].sort());
    // The cache is what the next batch uses: record 1 clears without a read of the state index.
    await write(T0 + 1, [outcome(1, 'updated')]);
    expect([...failing.ids!]).toEqual([toId18(contactId(2))]);
    expect((await db.records.get(toId18(contactId(1))))?.state).toBe('synced');
    await expect(write(T0 + 2, [outcome(4, 'failed')], 999)).rejects.toThrow('no step');
    expect([...failing.ids!]).toEqual([toId18(contactId(2))]);
  });

  it('writes flags rows only for failures, counting attempts and scheduling retries', async () => {
    const db = freshDb();
    const { batch } = await runningStep(db);
    const result = await batch(T0, [
      outcome(1, 'failed'),
      outcome(2, 'new'),
      outcome(3, 'updated'),
      outcome(4, 'skipped'),
    ]);
    expect(result.flagsWritten).toBe(1);
    expect(await db.records.count()).toBe(1);
    const flags = await db.records.get(toId18(contactId(1)));
    expect(flags).toMatchObject({
      state: 'failed',
      attempts: 1,
      nextRetryAt: T0 + DEFAULT_RETRY_POLICY.baseDelayMs,
      lastError: { code: 'INVALID_EMAIL_ADDRESS' },
      lastOperation: 'Pull Updates',
      mktoId: 1001,
    });
    await batch(T0 + MINUTE, [outcome(1, 'failed')]);
    const again = await db.records.get(toId18(contactId(1)));
    expect(again).toMatchObject({
      attempts: 2,
      nextRetryAt: T0 + MINUTE + 2 * DEFAULT_RETRY_POLICY.baseDelayMs,
    });
    const events = await db.recordEvents.toArray();
    expect(events.map((e) => rowOutcomes(e).find((o) => o.sfId === toId18(contactId(1)))?.attempts)).toEqual([
      1, 2,
    ]);

    expect((await dueRetries(db, T0 + MINUTE, 10)).map((r) => r.sfId)).toEqual([]);
    expect((await dueRetries(db, T0 + 60 * MINUTE, 10)).map((r) => r.sfId)).toEqual([toId18(contactId(1))]);
  });

  it('stops retrying after the last attempt; the record stays failed', async () => {
    const db = freshDb();
    const { batch } = await runningStep(db);
    for (let i = 0; i < DEFAULT_RETRY_POLICY.maxAttempts; i++) await batch(T0 + i, [outcome(1, 'failed')]);
    const flags = await db.records.get(toId18(contactId(1)));
    expect(flags?.state).toBe('failed');
    expect(flags?.attempts).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(flags).not.toHaveProperty('nextRetryAt');
    expect(await dueRetries(db, Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });

  it('clears a failure when the record later syncs, and touches no other flags row', async () => {
    const db = freshDb();
    const { batch } = await runningStep(db);
    await batch(T0, [outcome(1, 'failed'), outcome(2, 'failed')]);
    const result = await batch(T0 + MINUTE, [
      outcome(1, 'updated'),
      outcome(3, 'new'),
      outcome(2, 'skipped'),
    ]);
    expect(result.flagsWritten).toBe(1);
    const cleared = await db.records.get(toId18(contactId(1)));
    expect(cleared).toMatchObject({
      state: 'synced',
      lastSyncedAt: T0 + MINUTE,
      lastChanges: [{ field: 'Title' }],
    });
    expect(cleared).not.toHaveProperty('lastError');
    expect(cleared).not.toHaveProperty('attempts');
    expect(cleared).not.toHaveProperty('nextRetryAt');
    // A skipped record keeps its failure: nothing was written for it.
    expect(await db.records.get(toId18(contactId(2)))).toMatchObject({ state: 'failed', attempts: 1 });
    expect(await db.records.get(toId18(contactId(3)))).toBeUndefined();
  });

  it('keeps owed fields per failure: a success on other fields leaves them, writing or settling them clears', async () => {
    const db = freshDb();
    const { batch } = await runningStep(db);
    const id = toId18(contactId(1));
    const flags = () => db.records.get(id);
    await batch(T0, [{ ...outcome(1, 'failed'), owes: { Email: 'a@exämple.com' } }]);
    expect((await flags())?.pending?.['Pull Updates']?.owed).toEqual({ Email: 'a@exämple.com' });
    // Title written, Email held back: still failed, still owing Email, with the error that refused it.
    const other = await batch(T0 + MINUTE, [{ ...outcome(1, 'updated'), settles: [] }]);
    expect(other.flagsWritten).toBe(1);
    expect(await flags()).toMatchObject({
      state: 'failed',
      lastError: { code: 'INVALID_EMAIL_ADDRESS' },
      pending: { 'Pull Updates': { owed: { Email: 'a@exämple.com' }, attempts: 1 } },
    });
    // Refused again with a new value that also tried Phone: both owed, the new value replaces the old.
    await batch(T0 + 2 * MINUTE, [
      { ...outcome(1, 'failed'), owes: { Email: 'b@exämple.com', Phone: '1' }, settles: ['Email'] },
    ]);
    expect((await flags())?.pending?.['Pull Updates']).toMatchObject({
      attempts: 2,
      owed: { Email: 'b@exämple.com', Phone: '1' },
    });
    // A skip that settles one (its source is back to the synced value) counts; the other stays owed.
    const skip = await batch(T0 + 3 * MINUTE, [{ ...outcome(1, 'skipped'), settles: ['Phone'] }]);
    expect(skip.counters.skipped).toBe(1);
    expect((await flags())?.pending?.['Pull Updates']?.owed).toEqual({ Email: 'b@exämple.com' });
    expect((await flags())?.state).toBe('failed');
    await batch(T0 + 4 * MINUTE, [{ ...outcome(1, 'updated'), settles: ['Email'] }]);
    expect(await flags()).toMatchObject({ state: 'synced' });
    expect((await flags())?.pending).toBeUndefined();
  });

  it('a skip that settles the last owed field shows the record synced, not skipped without a reason', async () => {
    const db = freshDb();
    const { batch } = await runningStep(db);
    const flags = () => db.records.get(toId18(contactId(1)));
    await batch(T0, [{ ...outcome(1, 'failed'), owes: { Website: 'CA' } }]);
    expect((await flags())?.state).toBe('failed');
    // Marketo's value went back to the one last synced: nothing to write, nothing owed.
    await batch(T0 + MINUTE, [{ ...outcome(1, 'skipped'), settles: ['Website'] }]);
    expect(await flags()).toMatchObject({ state: 'synced' });
    expect((await flags())?.pending).toBeUndefined();
    expect((await flags())?.skippedReason).toBeUndefined();
  });

  it("keeps each operation's failure and retry: another operation's outcome does not cancel it", async () => {
    const db = freshDb();
    const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
    const step = async (operation: Operation, at: number, outcomes: PackedOutcome[]) => {
      const stepId = await startStep(db, { cycleId, operation, objectType: 'Contact', at });
      await writeBatch(db, { cycleId, stepId, operation, objectType: 'Contact', at, outcomes });
      await finishStep(db, stepId, { status: 'Completed', at });
    };
    const id = toId18(contactId(1));
    const base = DEFAULT_RETRY_POLICY.baseDelayMs;
    const taskRefused = {
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Task refused',
      fields: ['Subject'],
    };

    await step('Pull Updates', T0, [outcome(1, 'failed')]);
    // Marketo's change reaches Salesforce: Salesforce's own change is still owed to Marketo.
    await step('Push Updates', T0 + MINUTE, [outcome(1, 'updated')]);
    let flags = await db.records.get(id);
    expect(flags).toMatchObject({
      state: 'failed',
      lastOperation: 'Pull Updates',
      attempts: 1,
      nextRetryAt: T0 + base,
      lastError: { code: 'INVALID_EMAIL_ADDRESS' },
      lastSyncedAt: T0 + MINUTE,
    });
    expect(isRetryDue(flags!, 'Pull Updates', T0 + base)).toBe(true);
    expect(isRetryDue(flags!, 'Push Updates', T0 + base)).toBe(false);

    // A Task for the same contact is refused: its own attempts and retry; the pull's stay.
    await step('Push New', T0 + 2 * MINUTE, [{ ...outcome(1, 'failed'), error: taskRefused }]);
    flags = await db.records.get(id);
    expect(flags?.pending?.['Pull Updates']).toMatchObject({ attempts: 1, nextRetryAt: T0 + base });
    expect(flags?.pending?.['Push New']).toMatchObject({ attempts: 1, nextRetryAt: T0 + 2 * MINUTE + base });
    expect(flags).toMatchObject({
      state: 'failed',
      lastOperation: 'Push New',
      attempts: 1,
      nextRetryAt: T0 + base, // the soonest of both, for the retry index
      lastError: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
    });
    expect((await dueRetries(db, T0 + base, 10)).map((r) => r.sfId)).toEqual([id]);

    // The pull's retry succeeds: the Task's failure is what is left.
    await step('Pull Updates', T0 + 10 * MINUTE, [outcome(1, 'updated')]);
    flags = await db.records.get(id);
    expect(Object.keys(flags?.pending ?? {})).toEqual(['Push New']);
    expect(flags).toMatchObject({
      state: 'failed',
      lastOperation: 'Push New',
      nextRetryAt: T0 + 2 * MINUTE + base,
      lastError: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
    });

    // The Task is made: nothing is owed any more.
    await step('Push New', T0 + 20 * MINUTE, [outcome(1, 'new')]);
    flags = await db.records.get(id);
    expect(flags?.state).toBe('synced');
    for (const field of ['pending', 'nextRetryAt', 'attempts', 'lastError'])
      expect(flags).not.toHaveProperty(field);
    expect(await dueRetries(db, Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });

  it('reads a flags row written before per-operation failures as one failure of its last operation', async () => {
    const db = freshDb();
    const id = toId18(contactId(1));
    await db.records.put({
      sfId: id,
      objectType: 'Contact',
      state: 'failed',
      lastOperation: 'Pull Updates',
      attempts: 2,
      nextRetryAt: T0 + 7 * MINUTE,
      lastError: { code: 'INVALID_EMAIL_ADDRESS', message: 'bad email', fields: ['Email'] },
      history: [],
      updatedAt: T0 - MINUTE,
    });
    const cycleId = await startCycle(db, { trigger: 'schedule', at: T0 });
    const push = await startStep(db, { cycleId, operation: 'Push Updates', objectType: 'Contact', at: T0 });
    const pushed = {
      cycleId,
      stepId: push,
      operation: 'Push Updates' as const,
      objectType: 'Contact' as const,
    };
    await writeBatch(db, { ...pushed, at: T0, outcomes: [outcome(1, 'updated')] });
    expect(await db.records.get(id)).toMatchObject({
      state: 'failed',
      lastOperation: 'Pull Updates',
      attempts: 2,
      nextRetryAt: T0 + 7 * MINUTE,
    });
    await finishStep(db, push, { status: 'Completed', at: T0 });
    const { batch } = await runningStep(db);
    await batch(T0 + MINUTE, [outcome(1, 'failed')]);
    expect((await db.records.get(id))?.pending?.['Pull Updates']).toMatchObject({ attempts: 3 });
  });

  it('accepts 15- and 18-character ids and stores the 18-character form', async () => {
    const db = freshDb();
    const { batch } = await runningStep(db);
    const id18 = toId18(contactId(7));
    await batch(T0, [{ sfId: id18.toLowerCase(), outcome: 'failed' }]);
    expect(await db.records.get(id18)).toMatchObject({ sfId: id18, state: 'failed' });
  });

  it('writes nothing when the batch is invalid or the step is not running', async () => {
    const db = freshDb();
    const { stepId, batch } = await runningStep(db);
    await expect(batch(T0, [outcome(1, 'new'), { sfId: 'nope', outcome: 'new' }])).rejects.toThrow('"nope"');
    await expect(
      writeBatch(db, {
        cycleId: 999,
        stepId,
        operation: 'Pull Updates',
        objectType: 'Contact',
        at: T0,
        outcomes: [],
      }),
    ).rejects.toThrow('belongs to cycle');
    await finishStep(db, stepId, { status: 'Failed', at: T0 + 1, error: 'INVALID_SESSION_ID' });
    await expect(batch(T0 + 2, [outcome(1, 'failed')], { key: 'pull:Contact', value: 'x' })).rejects.toThrow(
      'already finished (Failed)',
    );
    expect(await db.recordEvents.count()).toBe(0);
    expect(await db.records.count()).toBe(0);
    expect(await db.cursors.count()).toBe(0);
    expect(await db.steps.get(stepId)).toMatchObject({ new: 0, failed: 0, error: 'INVALID_SESSION_ID' });
    await expect(finishStep(db, 12345, { status: 'Completed', at: T0 })).rejects.toThrow(
      'no step with id 12345',
    );
  });

  it('rolls the whole batch back when the transaction fails midway', async () => {
    const db = freshDb();
    const { stepId, batch } = await runningStep(db);
    // A cursor value that IndexedDB cannot clone makes the last write of the transaction fail.
    const cursor = { key: 'pull:Contact', value: (() => 1) as unknown as string };
    await expect(batch(T0, [outcome(1, 'failed'), outcome(2, 'new')], cursor)).rejects.toThrow();
    expect(await db.recordEvents.count()).toBe(0);
    expect(await db.records.count()).toBe(0);
    expect(await db.steps.get(stepId)).toMatchObject({ new: 0, failed: 0 });
  });

  it('an empty batch only moves the cursor', async () => {
    const db = freshDb();
    const { batch } = await runningStep(db);
    const result = await batch(T0, [], { key: 'pull:Contact', value: 'm9' });
    expect(result.eventId).toBeUndefined();
    expect(await db.recordEvents.count()).toBe(0);
    expect((await db.cursors.get('pull:Contact'))?.value).toBe('m9');
  });
});
