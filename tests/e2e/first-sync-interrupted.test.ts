import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { mulberry32 } from '../../emulator/rng';
import { type LoadedExtension, launchWithExtension, stopServiceWorkers } from '../../scripts/browser';
import { connectToEmulator, loginToSalesforce, sendFromPage } from '../../scripts/emulatorSession';

type Row = Record<string, unknown>;
type Cycle = { id: number; status: string; endedAt: number | null; error?: string };

const LEADS = 3_000;
const STOPS = 4;
/** Cycles to reach the four stops (interrupted ones included) before the sync counts as stalled. */
const MAX_STOP_CYCLES = 8;
/** Cycles after the last stop for the sync to finish: it must end with two Completed in a row. */
const MAX_RECOVERY_CYCLES = 4;
// Logged, and taken from E2E_SEED when set, so that a failing run's stop moments can be replayed.
const SEED = Number(process.env.E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** Every cycle row of the extension's log, oldest first (raw IndexedDB: the page has no Dexie). */
function readCycles(page: Page): Promise<Cycle[]> {
  return page.evaluate(`(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('sync-log'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const rows = db.objectStoreNames.contains('cycles')
      ? await new Promise((ok) => { const r = db.transaction('cycles').objectStore('cycles').getAll(); r.onsuccess = () => ok(r.result); })
      : [];
    db.close();
    return rows.sort((a, b) => a.id - b.id);
  })()`) as Promise<Cycle[]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A data import loads thousands of leads at once, so they all share one SystemModstamp second, and
// Chrome may stop the worker at any moment of the first sync that follows. Every cycle after a stop
// must resume where the last committed batch left off (design §5, issue 14): nothing may be skipped
// because its row shares the watermark's second, and no later cycle may call the sync Completed while
// leads are missing from Marketo. Nothing is edited in between: the recovery cycles alone must finish.
describe('a first sync of leads from one import, the worker stopped four times', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'empty' });
    // One import: every lead stamped in the same second. The emulator's clock is pinned to the
    // second's start every 50 inserts (each takes well under a millisecond), then let go.
    const second = Math.floor(Date.now() / 1000) * 1000;
    for (let i = 0; i < LEADS; i++) {
      if (i % 50 === 0) emu.control.setTime({ at: second });
      emu.control.sfCreate({
        object: 'Lead',
        fields: {
          FirstName: 'Imported',
          LastName: `Lead ${i}`,
          Company: `Import Co ${i % 97}`,
          Email: `imported.${i}@import.example.com`,
        },
      });
    }
    emu.control.setTime({ at: Date.now() });
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    await connectToEmulator(ext, emu.info);
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  it('ends with every lead in Marketo exactly once after the recovery cycles', async () => {
    const leads = (emu.control.snapshot().salesforce.Lead ?? []) as Row[];
    expect(leads).toHaveLength(LEADS);
    expect(new Set(leads.map((l) => l.SystemModstamp)).size).toBe(1);

    // Marketo answers lead writes slowly, as a busy instance does, so that a stop often lands while a
    // write is in flight: Marketo may apply it or not, the log has surely not committed it.
    emu.control.injectFault({
      side: 'marketo',
      kind: 'latency',
      route: '/rest/v1/leads.json',
      method: 'POST',
      latencyMs: 400,
    });
    const rng = mulberry32(SEED);
    // Random moments of the first sync: once this many persons exist in Marketo, plus 0–300 ms (the
    // worker may then be committing a batch, reading the next page or waiting on a write). Each
    // leaves at least two writes of 300 to do, so the cycle is surely still running at the stop.
    const stopAt = Array.from({ length: STOPS }, () => 1 + Math.floor(rng() * (LEADS - 601))).sort(
      (a, b) => a - b,
    );
    const delays = stopAt.map(() => Math.floor(rng() * 300));
    console.info(`first-sync-interrupted: E2E_SEED=${SEED}, stops at ${stopAt} persons + ${delays} ms`);

    const page = await ext.openPage('options.html');
    const persons = () => emu.marketo.store.leads.byId.size;
    const lastCycleId = async () => (await readCycles(page)).at(-1)?.id ?? 0;
    const startCycle = async () => {
      const before = await lastCycleId();
      const answer = (await sendFromPage(page, 'syncNow')) as { value: { status: string } };
      // 'queued' when the previous cycle's row has ended but its worker is still tidying up after it.
      expect(['started', 'queued']).toContain(answer.value.status);
      await expect.poll(lastCycleId, { timeout: 30_000, interval: 50 }).toBeGreaterThan(before);
      return lastCycleId();
    };
    const cycleRow = async (id: number) => (await readCycles(page)).find((c) => c.id === id);
    const ended = async (id: number) => (await cycleRow(id))?.endedAt != null;

    // The stops. A cycle that ends before the next moment comes (it found nothing left to write)
    // is a recovery cycle; after MAX_STOP_CYCLES of them the sync has stalled.
    const stopped: number[] = [];
    let cycles = 0;
    while (stopped.length < STOPS && cycles < MAX_STOP_CYCLES) {
      const id = await startCycle();
      cycles++;
      while (persons() < stopAt[stopped.length]! && !(await ended(id))) await sleep(10);
      if (persons() < stopAt[stopped.length]!) continue;
      await sleep(delays[stopped.length]!);
      if (await ended(id)) continue;
      await stopServiceWorkers(ext.context, page);
      stopped.push(id);
    }
    emu.control.clearFaults();

    // Recovery: cycles until two in a row complete (the second finds nothing left to do).
    let completedInARow = 0;
    for (let i = 0; i < MAX_RECOVERY_CYCLES && completedInARow < 2; i++) {
      const id = await startCycle();
      await expect.poll(() => ended(id), { timeout: 60_000, interval: 200 }).toBe(true);
      completedInARow = (await cycleRow(id))?.status === 'Completed' ? completedInARow + 1 : 0;
    }
    const log = await readCycles(page);
    console.info(
      `first-sync-interrupted: stopped in cycles ${stopped}; ${log.map((c) => `#${c.id} ${c.status}`).join(', ')}; ${persons()} persons`,
    );

    // Each lead has exactly one Marketo person, with the lead's values, and there is no other person.
    const byLead = new Map<string, Row[]>();
    for (const p of emu.marketo.snapshot().leads as Row[]) {
      const id = String(p.sfdcLeadIdCustom ?? p.sfdcLeadId ?? '');
      byLead.set(id, [...(byLead.get(id) ?? []), p]);
    }
    const missing = leads.filter((l) => !byLead.has(l.Id as string)).length;
    const duplicated = leads.filter((l) => (byLead.get(l.Id as string)?.length ?? 0) > 1).length;
    const wrong = leads.filter((l) => {
      const [p] = byLead.get(l.Id as string) ?? [];
      return p && (p.lastName !== l.LastName || p.email !== l.Email);
    }).length;
    const leadIds = new Set(leads.map((l) => l.Id as string));
    const unlinked = [...byLead.keys()].filter((id) => !leadIds.has(id)).length;
    expect({ stops: stopped.length, missing, duplicated, wrong, unlinked }).toEqual({
      stops: STOPS,
      missing: 0,
      duplicated: 0,
      wrong: 0,
      unlinked: 0,
    });
    // Every cycle ended; each stopped one says it did not complete, and the last one Completed.
    expect(log.filter((c) => c.endedAt == null).map((c) => c.id)).toEqual([]);
    for (const id of stopped) expect(log.find((c) => c.id === id)?.status).toBe('Not Completed');
    expect(log.at(-1)?.status).toBe('Completed');
  });
});
