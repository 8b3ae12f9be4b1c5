// Unit tests of the engine's pieces that need no emulator: the lease, the budget, the plan order,
// hashing, packed sync state, the runner's step statuses and crash recovery.

import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SyncLogDatabase } from '../../lib/db/database';
import { startCycle, startStep } from '../../lib/db/lifecycle';
import { allStates, loadStates, saveStates, statesByMarketoId } from '../../lib/db/syncState';
import type { SyncState } from '../../lib/db/syncStateTypes';
import { ApiCallCounter, type ClockPort } from '../../lib/http/ports';
import { defaultSettings } from '../../lib/settings/schema';
import { Budget, BudgetSpentError } from '../../lib/sync/budget';
import { normalizeValue, salesforceHash, salesforceTrim, valueHash } from '../../lib/sync/hash';
import { acquireLease, releaseLease, renewLease } from '../../lib/sync/lease';
import { toMarketoValue, toSalesforceValue } from '../../lib/sync/mapping';
import { MetricsTally } from '../../lib/sync/metricsTally';
import { newCycleNotes } from '../../lib/sync/notes';
import { OPERATION_MODULES } from '../../lib/sync/operations';
import { buildPlan, type OperationModule } from '../../lib/sync/plan';
import { recoverInterrupted } from '../../lib/sync/recovery';
import { PurgedError, runPlan } from '../../lib/sync/runner';

let n = 0;
let db: SyncLogDatabase;
beforeEach(() => {
  fakeBrowser.reset();
  n += 1;
  db = new SyncLogDatabase(`sync-core-${process.pid}-${n}`);
});

const clockAt = (t: { now: number }): ClockPort => ({ now: () => t.now, sleep: async () => {} });

describe('lease', () => {
  it('is exclusive until it expires, then taken over; renew fails for the loser', async () => {
    expect(await acquireLease(db, { owner: 'a', now: 0, ttlMs: 1000 })).toBe(true);
    expect(await acquireLease(db, { owner: 'b', now: 500, ttlMs: 1000 })).toBe(false);
    expect(await renewLease(db, { owner: 'a', now: 900, ttlMs: 1000 })).toBe(true);
    expect(await acquireLease(db, { owner: 'b', now: 1500, ttlMs: 1000 })).toBe(false);
    expect(await acquireLease(db, { owner: 'b', now: 2000, ttlMs: 1000 })).toBe(true);
    expect(await renewLease(db, { owner: 'a', now: 2001 })).toBe(false);
    await releaseLease(db, 'a'); // not a's any more: no effect
    expect((await db.leases.get('sync-cycle'))?.owner).toBe('b');
    await releaseLease(db, 'b');
    expect(await db.leases.get('sync-cycle')).toBeUndefined();
  });
});

describe('budget', () => {
  it('counts calls from its start on both sides and stops on calls or time', () => {
    const sf = new ApiCallCounter();
    const mk = new ApiCallCounter();
    sf.add('salesforce', 'query');
    const t = { now: 0 };
    const budget = new Budget(clockAt(t), { salesforce: sf, marketo: mk }, { maxApiCalls: 2, maxMs: 100 });
    expect(budget.spentReason()).toBeUndefined();
    mk.add('marketo', 'x');
    expect(budget.spentCalls()).toEqual({ salesforce: 0, marketo: 1 });
    sf.add('salesforce', 'query');
    expect(() => budget.check()).toThrow(BudgetSpentError);
    const timed = new Budget(clockAt(t), {}, { maxMs: 100 });
    t.now = 100;
    expect(timed.spentReason()).toContain('100 ms');
  });
});

describe('plan', () => {
  it('orders steps as design §5 and follows the enabled objects', () => {
    const settings = defaultSettings();
    const plan = buildPlan(OPERATION_MODULES, { settings }).map(
      (p) => `${p.step.operation}/${p.step.objectType}`,
    );
    expect(plan).toEqual([
      'Sync Schema/Person',
      'Sync Schema/Contact',
      'Sync Schema/Account',
      'Pull Deletes/Person',
      'Pull Deletes/Contact',
      'Pull Deletes/Account',
      'Pull Updates/Account',
      'Pull Updates/Person',
      'Pull Updates/Contact',
      'Pull Conversions/Person',
      'Update FKs/Contact',
      'Push Updates/Person',
      'Push Updates/Contact',
      'Push New/Task',
    ]);
    settings.objects.Account!.enabled = false;
    const record = buildPlan(OPERATION_MODULES, {
      settings,
      record: { sobject: 'Lead', id: '00Q5e0000000001AAA' },
    });
    expect(record.map((p) => `${p.step.operation}/${p.step.objectType}`)).toEqual([
      'Sync Schema/Person',
      'Pull Updates/Person',
      'Push Updates/Person',
    ]);
    // A contact's Sync now pushes through the Contact step only.
    const contact = buildPlan(OPERATION_MODULES, {
      settings,
      record: { sobject: 'Contact', id: '0035e0000000001AAA' },
    });
    expect(contact.map((p) => `${p.step.operation}/${p.step.objectType}`)).toContain('Push Updates/Contact');
    expect(contact.map((p) => `${p.step.operation}/${p.step.objectType}`)).not.toContain(
      'Push Updates/Person',
    );
  });
});

describe('hash', () => {
  const number = { sf: 'N', mk: 'n', sfType: 'double', mkType: 'float', both: true };
  const text = { sf: 'T', mk: 't', sfType: 'string', mkType: 'string', both: true };
  it('treats the two APIs’ spellings of one value alike once in the field’s type', () => {
    expect(normalizeValue('')).toBeNull();
    expect(normalizeValue(undefined)).toBeNull();
    // Marketo's feed sends numbers as text: a push converts to the Salesforce type first.
    expect(salesforceHash(toSalesforceValue('42', number))).toBe(valueHash(toMarketoValue(42, number)));
    expect(salesforceHash(toSalesforceValue('42.0', number))).toBe(valueHash(42));
    expect(salesforceHash(toSalesforceValue('-3.50', number))).toBe(valueHash(-3.5));
  });

  it('compares texts exactly: whitespace, number-like texts and leading zeros are edits', () => {
    expect(valueHash(' Ann ')).not.toBe(valueHash('Ann'));
    expect(valueHash('Ann\u00a0')).not.toBe(valueHash('Ann'));
    expect(valueHash('Ann')).not.toBe(valueHash('Anne'));
    expect(valueHash('1.50')).not.toBe(valueHash('1.5'));
    expect(valueHash('007')).not.toBe(valueHash(7));
    expect(normalizeValue('4 Main St')).toBe('4 Main St');
    expect(valueHash(toSalesforceValue('1.50', text))).not.toBe(valueHash('1.5'));
  });

  it('applies the trim Salesforce applies on save, and nothing more', () => {
    // Java's String.trim(): code points up to U+0020; a non-breaking space stays.
    expect(salesforceTrim(' \t Ann \r\n')).toBe('Ann');
    expect(salesforceTrim('\u00a0Ann\u00a0')).toBe('\u00a0Ann\u00a0');
    expect(salesforceTrim('Ann  Lee')).toBe('Ann  Lee');
    expect(salesforceHash(' Ann ')).toBe(valueHash('Ann'));
    expect(salesforceHash('   ')).toBe(valueHash(null));
    expect(salesforceHash('\u00a0Ann')).not.toBe(valueHash('Ann'));
  });
});

describe('sync state', () => {
  it('packs a batch into one new row; the newest row wins, by Salesforce and by Marketo id', async () => {
    const id1 = '00Q5e0000000001AAA';
    const id2 = '00Q5e0000000002AAA';
    await db.transaction('rw', db.syncState, () =>
      saveStates(
        db,
        new Map<string, SyncState>([
          [id1, { sobject: 'Lead', hashes: { A: 'x' }, marketoId: 1 }],
          [id2, { sobject: 'Lead', hashes: {}, marketoId: 2 }],
        ]),
        1,
      ),
    );
    // Re-syncing id1 (now linked to person 3) adds a row and leaves the older one untouched.
    await db.transaction('rw', db.syncState, () =>
      saveStates(db, new Map([[id1, { sobject: 'Lead', hashes: { A: 'y' }, marketoId: 3 }]]), 2),
    );
    expect(await db.syncState.count()).toBe(2);
    expect((await loadStates(db, [id1])).get(id1)?.hashes.A).toBe('y');
    expect((await statesByMarketoId(db, [2])).get(2)?.sfId).toBe(id2);
    expect((await statesByMarketoId(db, [3])).get(3)?.sfId).toBe(id1);
    // The older row still names person 1, but id1 is no longer linked to it.
    expect((await statesByMarketoId(db, [1])).size).toBe(0);
    // A dropped state is a tombstone: the older entry no longer counts.
    await db.transaction('rw', db.syncState, () => saveStates(db, new Map([[id2, null]]), 3));
    expect((await loadStates(db, [id2])).size).toBe(0);
    expect((await statesByMarketoId(db, [2])).size).toBe(0);
    const all: string[] = [];
    for await (const page of allStates(db, 'Lead'))
      all.push(...page.map(([id, e]) => `${id}:${e.hashes.A ?? ''}`));
    expect(all).toEqual([`${id1}:y`]);
  });
});

describe('runner', () => {
  function module(operation: OperationModule['operation'], run: OperationModule['run']): OperationModule {
    return { operation, steps: () => [{ operation, objectType: 'Person', sobject: 'Lead' }], run };
  }

  it('gives each step its status; a spent budget ends the cycle Not Completed', async () => {
    const settings = defaultSettings();
    const t = { now: 1000 };
    const counter = new ApiCallCounter();
    const cycleId = await startCycle(db, { trigger: 'manual', at: 0 });
    await acquireLease(db, { owner: 'me', now: 0 });
    const ctx = {
      db,
      salesforce: {} as never,
      marketo: {} as never,
      settings,
      clock: clockAt(t),
      budget: new Budget(clockAt(t), { marketo: counter }, { maxApiCalls: 1 }),
      owner: 'me',
      cycleId,
      log: () => {},
      schema: {} as never,
      notes: newCycleNotes({ trigger: 'manual', probeObjects: [], linkFields: undefined }),
      leaseMs: 60_000,
      tally: new MetricsTally(),
    };
    const modules = [
      module('Sync Schema', async () => {}),
      module('Pull Deletes', async () => {
        throw new Error('INVALID_SESSION_ID');
      }),
      module('Pull Updates', async () => {
        throw new PurgedError('undone');
      }),
      module('Push Updates', async (step) => {
        await step.commit({ outcomes: [{ sfId: '00Q5e0000000001AAA', outcome: 'updated' }] });
        counter.add('marketo', 'x');
        step.budget.check();
      }),
      module('Push New', async () => {}),
    ];
    const result = await runPlan(ctx, buildPlan(modules, { settings }));
    expect(result.status).toBe('Not Completed');
    const steps = await db.steps.where('cycleId').equals(cycleId).sortBy('id');
    expect(steps.map((s) => s.status)).toEqual(['Completed', 'Failed', 'Purged', 'Not Completed']);
    expect(steps[3]!.updated).toBe(1);
    expect(await db.cursors.get('incomplete:Pull Deletes:Person')).toBeDefined();
  });

  it('refuses to commit once another owner holds the lease', async () => {
    const settings = defaultSettings();
    const cycleId = await startCycle(db, { trigger: 'manual', at: 0 });
    await db.leases.put({ name: 'sync-cycle', owner: 'other', acquiredAt: 0, expiresAt: 1e12 });
    const ctx = {
      db,
      salesforce: {} as never,
      marketo: {} as never,
      settings,
      clock: clockAt({ now: 1 }),
      budget: new Budget(clockAt({ now: 1 }), {}),
      owner: 'me',
      cycleId,
      log: () => {},
      schema: {} as never,
      notes: newCycleNotes({ trigger: 'manual', probeObjects: [], linkFields: undefined }),
      leaseMs: 60_000,
      tally: new MetricsTally(),
    };
    const result = await runPlan(
      ctx,
      buildPlan(
        [
          module('Pull Updates', (s) =>
            s.commit({ outcomes: [{ sfId: '00Q5e0000000001AAA', outcome: 'new' }] }),
          ),
        ],
        { settings },
      ),
    );
    expect(result.status).toBe('Not Completed');
    expect(await db.recordEvents.count()).toBe(0);
  });

  it('closes rows a stopped worker left In Process', async () => {
    const cycleId = await startCycle(db, { trigger: 'schedule', at: 0 });
    const stepId = await startStep(db, { cycleId, operation: 'Pull Updates', objectType: 'Person', at: 0 });
    expect(await recoverInterrupted(db, 10)).toBe(1);
    expect((await db.steps.get(stepId))?.status).toBe('Not Completed');
    expect((await db.cycles.get(cycleId))?.status).toBe('Not Completed');
  });
});
