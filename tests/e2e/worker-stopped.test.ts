import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension, stopServiceWorkers } from '../../scripts/browser';
import {
  connectToEmulator,
  loginToSalesforce,
  readLastCycle,
  sendFromPage,
} from '../../scripts/emulatorSession';

type Row = Record<string, unknown>;

/** Every cycle row of the extension's log, oldest first. */
function readCycles(page: Page) {
  return page.evaluate(`(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open('sync-log'); r.onsuccess = () => ok(r.result); });
    const rows = await new Promise((ok) => { const r = db.transaction('cycles').objectStore('cycles').getAll(); r.onsuccess = () => ok(r.result); });
    db.close();
    return rows;
  })()`) as Promise<{ id: number; status: string; endedAt: number | null }[]>;
}

// Chrome stops an idle service worker whenever it likes; a cycle must survive that (design §5):
// the next worker takes the cycle over at once (the old worker's Web Lock died with it), closes the
// interrupted step as Not Completed and resumes from its checkpoint, losing and duplicating nothing.
describe('a service worker stopped in the middle of a cycle', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    await connectToEmulator(ext, emu.info);
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  it('resumes in a new worker with every lead in Marketo exactly once', async () => {
    // Slow Marketo writes so the cycle is still writing leads when the worker is stopped.
    emu.control.injectFault({
      side: 'marketo',
      kind: 'latency',
      route: '/rest/v1/leads.json',
      method: 'POST',
      latencyMs: 400,
    });
    const page = await ext.openPage('popup.html');
    expect(((await sendFromPage(page, 'syncNow')) as { value: { status: string } }).value.status).toBe(
      'started',
    );
    const leadPullStarted = async () => {
      const { steps } = await readLastCycle(page);
      const step = steps.find((s) => s.operation === 'Pull Updates' && s.objectType === 'Person');
      return !!step && step.status === 'In Process' && Number(step.new) + Number(step.updated) > 0;
    };
    await expect.poll(leadPullStarted, { timeout: 60_000, interval: 100 }).toBe(true);

    await stopServiceWorkers(ext.context, page);
    emu.control.clearFaults();
    const first = (await readLastCycle(page)).cycle!;
    expect(first.endedAt).toBeNull();

    // A message wakes a new worker; it takes the dead worker's lease over at once.
    const answer = (await sendFromPage(page, 'syncNow')) as { value: { status: string } };
    expect(answer.value.status).toBe('started');
    await expect
      .poll(async () => (await readCycles(page)).some((c) => c.id > first.id && c.endedAt !== null), {
        timeout: 90_000,
        interval: 500,
      })
      .toBe(true);
    const cycles = await readCycles(page);
    expect(cycles.find((c) => c.id === first.id)?.status).toBe('Not Completed');
    expect(cycles.find((c) => c.id > first.id)?.status).toBe('Completed');

    // Nothing lost, nothing duplicated: each lead that syncs has exactly one Marketo person, with
    // the lead's values.
    const snapshot = emu.control.snapshot();
    const leads = (snapshot.salesforce.Lead ?? []) as Row[];
    const persons = emu.marketo.snapshot().leads as Row[];
    const linkOf = (p: Row) => (p.sfdcLeadIdCustom ?? p.sfdcLeadId) as string | undefined;
    const byLead = new Map<string, Row[]>();
    for (const p of persons) {
      const id = linkOf(p);
      if (id) byLead.set(id, [...(byLead.get(id) ?? []), p]);
    }
    const eligible = leads.filter(
      (l) => !l.IsDeleted && !l.IsConverted && l.Do_Not_Sync_to_Marketo__c !== true,
    );
    expect(eligible.length).toBeGreaterThan(100);
    const missing = eligible.filter((l) => (byLead.get(l.Id as string) ?? []).length !== 1);
    expect(missing.map((l) => l.Id)).toEqual([]);
    const wrong = eligible.filter((l) => byLead.get(l.Id as string)?.[0]?.lastName !== l.LastName);
    expect(wrong.map((l) => l.Id)).toEqual([]);
  });
});
