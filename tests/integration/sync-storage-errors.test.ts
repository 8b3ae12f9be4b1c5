// A full browser storage (IndexedDB QuotaExceededError) in the middle of a sync: the batch that
// does not fit rolls back, its cycle and step end Failed saying "Browser storage is full" (also when
// not even their ends fit: the next cycle writes them), and the next cycle resumes from the last
// committed batch — every lead in Marketo exactly once, with its fields, and logged as linked.
import { afterEach, describe, expect, it } from 'vitest';
import { SyncLogDatabase } from '../../lib/db/database';
import { loadStates } from '../../lib/db/syncState';
import { createSyncEngine } from '../../lib/sync';
import { STORAGE_FULL_REASON } from '../../lib/sync/failureReason';
import type { UnwrittenEndsStore } from '../../lib/sync/unwrittenEnds';
import { createLeadsInOneSecond } from '../support/leadsInOneSecond';
import { installStorageQuota, type StorageQuota } from '../support/quotaIndexedDb';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

/**
 * The browser's log: these faults are IndexedDB's own (a quota, a Dexie middleware), so this file
 * runs only against the Dexie log (vitest.config.ts leaves it out of integration-pg).
 */
function dexieLog(db: unknown): SyncLogDatabase {
  if (!(db instanceof SyncLogDatabase)) throw new Error('sync-storage-errors needs the Dexie log');
  return db;
}

let h: SyncHarness | undefined;
let quota: StorageQuota | undefined;
afterEach(async () => {
  quota?.restore();
  quota = undefined;
  await h?.stop();
  h = undefined;
});

const LEADS = 3_000;
/**
 * Lead pull batches committed before the disk fills up: the first. Later commits may group several
 * calls' answers (personWriter.ts, group commit: how many depends on how fast the log is), the
 * first is always one call of 300.
 */
const COMMITTED = 1;

/** The emulator with LEADS new leads (all in one SystemModstamp second, as an import makes them). */
async function harnessWithLeads() {
  h = await startSyncHarness({ seed: 'empty' });
  quota = await installStorageQuota(dexieLog(h.db));
  createLeadsInOneSecond(h.emu.control, LEADS, (i) => `Acme ${i}`);
  h.advance();
  return { h, quota };
}

/**
 * After COMMITTED batches of the lead pull (their recordEvents rows are the first big writes), the
 * disk has `freeBytes` left: the next batch no longer fits.
 */
function fillDiskAfterBatches(quota: StorageQuota, freeBytes: number) {
  let batches = 0;
  quota.onCommitted = (stores, bytes) => {
    if (stores.includes('recordEvents') && bytes > 20_000 && ++batches === COMMITTED) {
      quota.freeBytes = freeBytes;
      quota.onCommitted = undefined;
    }
  };
}

/** Both sides agree: each lead is one Marketo person with its fields, and the log links them. */
async function expectBothSidesAgree(h: SyncHarness) {
  const leads = h.emu.control.snapshot().salesforce.Lead!;
  expect(leads).toHaveLength(LEADS);
  const persons = h.emu.marketo.snapshot().leads as Record<string, unknown>[];
  expect(persons).toHaveLength(LEADS);
  const byLead = new Map<unknown, Record<string, unknown>[]>();
  for (const p of persons) byLead.set(p.sfdcLeadIdCustom, [...(byLead.get(p.sfdcLeadIdCustom) ?? []), p]);
  const states = await loadStates(
    h.db,
    leads.map((l) => String(l.Id)),
  );
  for (const lead of leads) {
    const linked = byLead.get(lead.Id) ?? [];
    expect(linked, `persons of ${lead.Id}`).toHaveLength(1);
    expect(linked[0]).toMatchObject({ email: lead.Email, lastName: lead.LastName, company: lead.Company });
    expect(states.get(String(lead.Id))?.marketoId, `logged link of ${lead.Id}`).toBe(linked[0]!.id);
  }
}

describe('browser storage full during a cycle', () => {
  it('fails the cycle and the step with the reason; the next cycle completes; nothing lost or duplicated', async () => {
    const { h, quota } = await harnessWithLeads();
    fillDiskAfterBatches(quota, 4_000); // a step's or cycle's end (a few hundred bytes) still fits

    const full = await h.cycle();
    expect(quota.aborted).toBeGreaterThan(0);
    const pull = stepOf(full, 'Pull Updates', 'Person');
    expect(pull).toMatchObject({ status: 'Failed', reason: STORAGE_FULL_REASON, new: COMMITTED * 300 });
    expect(pull.error).toBe('AbortError: QuotaExceededError');
    expect(full.cycle).toMatchObject({ status: 'Failed', reason: STORAGE_FULL_REASON });
    expect(full.cycle?.error).toContain('QuotaExceededError');
    // Nothing after the step ran: none of it could have been logged.
    expect(full.steps.at(-1)?.id).toBe(pull.id);
    // As stored, not only as reported.
    expect(await h.db.cycles.get(full.cycle!.id)).toMatchObject({
      status: 'Failed',
      reason: STORAGE_FULL_REASON,
    });
    expect(await h.db.steps.get(pull.id)).toMatchObject({ status: 'Failed', reason: STORAGE_FULL_REASON });

    quota.freeBytes = Number.POSITIVE_INFINITY; // the admin freed space
    h.advance();
    const next = await h.cycle();
    expect(next.cycle?.status).toBe('Completed');
    const redone = stepOf(next, 'Pull Updates', 'Person');
    expect(redone.status).toBe('Completed');
    // The rolled-back batches are redone; the committed one is not.
    expect(redone.new + redone.updated).toBe(LEADS - COMMITTED * 300);
    // The failed cycle keeps its own end: recovery did not rewrite it.
    expect(await h.db.cycles.get(full.cycle!.id)).toMatchObject({
      status: 'Failed',
      reason: STORAGE_FULL_REASON,
    });
    await expectBothSidesAgree(h);
  });

  it('when not even the ends fit, the next cycle writes the storage reason, not "the worker stopped"', async () => {
    const { h, quota } = await harnessWithLeads();
    fillDiskAfterBatches(quota, 0); // not a byte more

    const full = await h.cycle();
    // The report says how the cycle ended; the log could not take it yet.
    expect(full.cycle).toMatchObject({ status: 'Failed', reason: STORAGE_FULL_REASON });
    expect(stepOf(full, 'Pull Updates', 'Person')).toMatchObject({
      status: 'Failed',
      reason: STORAGE_FULL_REASON,
    });
    expect((await h.db.cycles.get(full.cycle!.id))?.status).toBe('In Process');

    quota.freeBytes = Number.POSITIVE_INFINITY;
    h.advance();
    // The background builds an engine per cycle: the reason is kept per worker, not per engine.
    h.engine = h.newEngine('test-worker');
    const next = await h.cycle();
    expect(next.cycle?.status).toBe('Completed');
    const closed = await h.db.cycles.get(full.cycle!.id);
    expect(closed).toMatchObject({ status: 'Failed', reason: STORAGE_FULL_REASON });
    expect(closed?.error).toBe('AbortError: QuotaExceededError');
    const step = await h.db.steps.get(stepOf(full, 'Pull Updates', 'Person').id);
    expect(step).toMatchObject({ status: 'Failed', reason: STORAGE_FULL_REASON });
    expect(step?.error).not.toContain('worker stopped');
    await expectBothSidesAgree(h);
  });

  it('a new worker finds the kept reason in the store that outlives the old one', async () => {
    const { h, quota } = await harnessWithLeads();
    let stored: unknown;
    const store: UnwrittenEndsStore = {
      load: async () => stored,
      save: async (ends) => {
        stored = structuredClone(ends);
      },
    };
    const engineOn = (db: SyncLogDatabase, owner: string) =>
      createSyncEngine({
        db,
        salesforce: h.salesforce,
        marketo: h.marketo,
        settings: async () => h.settings,
        clock: h.clock,
        owner,
        unwrittenEnds: store,
      });
    fillDiskAfterBatches(quota, 0);
    const full = await engineOn(dexieLog(h.db), 'worker-1').runCycle({ trigger: 'manual' });
    expect(full.cycle?.status).toBe('Failed');

    // The worker stops; a new one opens the log afresh (nothing of the old one's memory is left).
    quota.freeBytes = Number.POSITIVE_INFINITY;
    h.advance(3 * 60_000); // past the old worker's lease
    const db = new SyncLogDatabase(h.db.name);
    try {
      const next = await engineOn(db, 'worker-2').runCycle({ trigger: 'schedule' });
      expect(next.cycle?.status).toBe('Completed');
      expect(await db.cycles.get(full.cycle!.id)).toMatchObject({
        status: 'Failed',
        reason: STORAGE_FULL_REASON,
      });
      expect(stored).toEqual({});
    } finally {
      db.close();
    }
    await expectBothSidesAgree(h);
  });

  it('a cycle whose every step completed but whose own end the disk refuses ends Failed, not Completed', async () => {
    h = await startSyncHarness({ seed: 'empty' });
    h.emu.control.sfCreate({
      object: 'Lead',
      fields: { LastName: 'Ends', Company: 'Acme', Email: 'e@acme.example.com' },
    });
    h.advance();
    // The disk fills up exactly at the cycle's end: the update that would say "Completed".
    let refused = 0;
    const browserLog = dexieLog(h.db);
    browserLog.close();
    browserLog.use({
      stack: 'dbcore',
      name: 'full-at-cycle-end',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return {
            ...table,
            mutate: (req) => {
              const ending =
                name === 'cycles' &&
                req.type === 'put' &&
                req.values.some((v: { status?: string }) => v.status !== 'In Process');
              if (!ending || refused > 0) return table.mutate(req);
              refused += 1;
              return Promise.reject(new DOMException('', 'QuotaExceededError'));
            },
          };
        },
      }),
    });
    await browserLog.open();

    const full = await h.cycle();
    expect(refused).toBe(1);
    expect(full.steps.every((s) => s.status === 'Completed')).toBe(true);
    expect(full.cycle).toMatchObject({ status: 'Failed', reason: STORAGE_FULL_REASON });
    expect((await h.db.cycles.get(full.cycle!.id))?.status).toBe('In Process');

    h.advance();
    const next = await h.cycle();
    expect(next.cycle?.status).toBe('Completed');
    expect(await h.db.cycles.get(full.cycle!.id)).toMatchObject({
      status: 'Failed',
      reason: STORAGE_FULL_REASON,
    });
    const persons = h.emu.marketo.snapshot().leads as Record<string, unknown>[];
    expect(persons.filter((p) => p.email === 'e@acme.example.com')).toHaveLength(1);
  });
});
