// Exact resume (issue 14, "Exact progress"): a step stopped anywhere — its worker killed at a batch
// boundary or in the middle of a batch write, or failed by an API fault — resumes from its last
// committed batch on the following cycles with no other edit, and nothing is skipped or made twice.
// The scale is the one users have: 3,000 leads sharing one SystemModstamp second (a data import),
// 600 Marketo activities becoming Tasks.
//
// A "killed" worker is an engine on its own connection to the log: at the kill point the connection
// is closed and every further request of that worker fails, so nothing after that instant reaches
// the log or the APIs (a write already sent still lands, as it would from a dying process); its
// cycle and step rows stay "In Process" and its lease is left to expire, as a stopped service
// worker leaves them.
import { afterEach, describe, expect, it } from 'vitest';
import { loadStates } from '../../lib/db/syncState';
import type { Operation } from '../../lib/db/types';
import { type KillPlan, runDyingCycle } from '../support/dyingWorkerLog';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

/** One fixed instant: every row created before the clock is advanced shares its second. */
const T0 = Date.parse('2026-03-02T09:00:00.400Z');

interface Killer {
  /** Runs one cycle on a fresh worker that dies as planned; true when it died (false: it ran out of work first). */
  runDying(owner: string, plan: KillPlan, operation: Operation): Promise<boolean>;
}

let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** A harness whose requests a dying worker can cut off, on a clock that stands still. */
async function startResumeHarness(tweak?: Parameters<typeof startSyncHarness>[1]) {
  let cut: ((url: string, method: string) => void) | undefined;
  const harness = await startSyncHarness({ seed: 'empty', now: () => T0 }, tweak, (url, init) =>
    cut?.(url, init?.method ?? 'GET'),
  );
  const killer: Killer = {
    runDying: (owner, plan, operation) =>
      runDyingCycle({
        logName: harness.db.name,
        owner,
        plan,
        ofStep: (row) => row.operation === operation,
        engineOn: (db) => harness.engineOn(db, owner),
        setCut: (next) => {
          cut = next;
        },
      }),
  };
  return { harness, killer };
}

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const isLeadWrite = (url: string, method: string) => method === 'POST' && url.includes('/rest/v1/leads.json');
const isTaskCreate = (url: string, method: string) =>
  method === 'POST' && url.includes('/composite/sobjects');

describe('the emulator reads a (SystemModstamp, Id) position as Salesforce does', () => {
  it('rows after a position inside one second: OR, parentheses, datetime equality, Id comparison', async () => {
    h = (await startResumeHarness()).harness;
    const sameSecond = Array.from(
      { length: 5 },
      (_, i) =>
        h!.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: `Tie${i}` } }).id,
    );
    h.advance(1000);
    const later = h.emu.control.sfCreate({
      object: 'Lead',
      fields: { Company: 'Acme', LastName: 'Later' },
    }).id;
    const at = new Date(T0).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const soql =
      `SELECT Id FROM Lead WHERE SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > '${sameSecond[2]}') ` +
      'ORDER BY SystemModstamp, Id';
    const ids: string[] = [];
    for await (const page of h.salesforce.query(soql)) ids.push(...page.records.map((r) => String(r.Id)));
    expect(ids).toEqual([sameSecond[3], sameSecond[4], later]);
  });
});

describe('a stopped worker resumes exactly', () => {
  it('3,000 leads in one second, stopped at three batch boundaries and once mid-write: each lead once', async () => {
    const started = await startResumeHarness((s) => {
      s.objects.Contact!.enabled = false;
      s.objects.Account!.enabled = false;
    });
    h = started.harness;
    const { killer } = started;
    const seed = Number(process.env.RESUME_SEED ?? 14);
    const random = mulberry32(seed);
    const ids: string[] = [];
    for (let i = 0; i < 3000; i++) {
      ids.push(
        h.emu.control.sfCreate({
          object: 'Lead',
          fields: { Company: 'Import Co', LastName: `Imported${i}`, Email: `imported${i}@example.com` },
        }).id,
      );
    }
    const stamps = new Set(
      h.emu.control
        .snapshot()
        .salesforce.Lead!.filter((l) => ids.includes(String(l.Id)))
        .map((l) => String(l.SystemModstamp)),
    );
    expect(stamps.size, 'every lead shares one SystemModstamp second').toBe(1);

    const persons = () =>
      (h!.emu.marketo.snapshot().leads as Record<string, unknown>[]).filter((p) =>
        ids.includes(String(p.sfdcLeadIdCustom)),
      );
    const kills: KillPlan[] = [
      { afterCommits: 1 + Math.floor(random() * 3) },
      { afterCommits: 1 + Math.floor(random() * 2) },
      { afterCommits: 1 + Math.floor(random() * 2) },
      { atWrite: 1 + Math.floor(random() * 2), isWrite: isLeadWrite },
    ];
    // Progress is what the log committed (Marketo may hold more: writes already sent by a dying worker).
    const logged = async () => (await loadStates(h!.db, ids)).size;
    const progress: string[] = [];
    let killed = 0;
    for (const [n, plan] of kills.entries()) {
      h.advance(5 * 60_000); // past the dead worker's lease, as the next alarm would be
      if (await killer.runDying(`stopped-worker-${n + 1}`, plan, 'Pull Updates')) killed++;
      progress.push(
        `kill ${n + 1} ${JSON.stringify(plan)}: ${await logged()} logged, ${persons().length} in Marketo`,
      );
    }

    // Recovery cycles, no other edit.
    const reports = [];
    for (let i = 0; i < 6; i++) {
      h.advance(5 * 60_000);
      reports.push(await h.cycle({ trigger: 'schedule' }));
    }
    const bySfId = new Map<string, number>();
    for (const p of persons())
      bySfId.set(String(p.sfdcLeadIdCustom), (bySfId.get(String(p.sfdcLeadIdCustom)) ?? 0) + 1);
    const missing = ids.filter((id) => !bySfId.has(id));
    const twice = [...bySfId].filter(([, count]) => count > 1);
    const context = `seed ${seed}; ${progress.join('; ')}`;
    expect({ missing: missing.length, duplicated: twice.length }, context).toEqual({
      missing: 0,
      duplicated: 0,
    });
    expect(reports.slice(-3).map((r) => r.cycle?.status)).toEqual(['Completed', 'Completed', 'Completed']);
    // Every planned stop happened with work left (else the test would prove nothing), and each
    // stopped cycle was closed as Not Completed by the recovery that followed it.
    expect(killed, context).toBe(4);
    expect(
      progress.every((line) => !line.includes(': 3000 logged')),
      context,
    ).toBe(true);
    expect(await h.db.cycles.filter((c) => c.status === 'Not Completed').count()).toBe(4);
    // The last cycle is idle: its pull found nothing after its position.
    expect(stepOf(reports.at(-1)!, 'Pull Updates', 'Person')).toMatchObject({
      new: 0,
      updated: 0,
      failed: 0,
    });
  }, 120_000);
});

describe('Push New keeps its own backlog', () => {
  /** 60 leads; the first cycle runs as `first` says (completed by default). */
  async function setUp(first?: (killer: Killer) => Promise<void>) {
    const started = await startResumeHarness((s) => {
      s.objects.Contact!.enabled = false;
      s.objects.Account!.enabled = false;
    });
    h = started.harness;
    for (let i = 0; i < 60; i++)
      h.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: `Visitor${i}` } });
    h.advance();
    if (first) await first(started.killer);
    else expect((await h.cycle({ trigger: 'schedule' })).cycle?.status).toBe('Completed');
    return started.killer;
  }

  /** `count` form fills after the first cycle, spread over the synced persons. */
  function addActivities(count: number) {
    const persons = (h!.emu.marketo.snapshot().leads as Record<string, unknown>[]).filter(
      (p) => p.sfdcLeadIdCustom,
    );
    expect(persons.length).toBeGreaterThan(0);
    h!.advance(60_000);
    for (let i = 0; i < count; i++) {
      h!.emu.marketo.store.activities.append({
        leadId: persons[i % persons.length]!.id as number,
        date: h!.clock.now(),
        typeId: 2,
        primaryAttributeValueId: 5000 + i,
        primaryAttributeValue: `Webinar form ${i}`,
        attributes: [{ name: 'Client IP Address', value: `10.0.${Math.floor(i / 250)}.${i % 250}` }],
      });
    }
  }

  const tasks = () =>
    (h!.emu.control.snapshot().salesforce.Task ?? []).filter((t) =>
      String(t.Subject).startsWith('Fill Out Form'),
    );
  async function expectEachOnceAfterCycles(count: number, cycles = 4) {
    const reports = [];
    for (let i = 0; i < cycles; i++) {
      h!.advance(5 * 60_000);
      reports.push(await h!.cycle({ trigger: 'schedule' }));
    }
    const subjects = tasks().map((t) => String(t.Subject));
    expect({ tasks: subjects.length, distinct: new Set(subjects).size }).toEqual({
      tasks: count,
      distinct: count,
    });
    expect(reports.slice(-3).map((r) => r.cycle?.status)).toEqual(['Completed', 'Completed', 'Completed']);
  }

  it('the first cycle stopped as Push New starts: the 600 activities after it become 600 Tasks', async () => {
    await setUp(async (killer) => {
      // Push Updates has read the feed and kept its token; Push New has not committed anything.
      expect(await killer.runDying('stopped-first-cycle', { atStepStart: true }, 'Push New')).toBe(true);
    });
    addActivities(600);
    await expectEachOnceAfterCycles(600);
  }, 60_000);

  it('the first sync stopped before any feed step, form fills made meanwhile: each becomes its Task once', async () => {
    await setUp(async (killer) => {
      // The leads reach Marketo, then the worker stops: no cycle has reached Push Updates or Push
      // New, so no feed has a token or a start instant yet (found by the soak at seed 1).
      expect(await killer.runDying('stopped-in-first-pull', { afterCommits: 1 }, 'Pull Updates')).toBe(true);
      expect((await h!.db.steps.toArray()).filter((s) => s.operation.startsWith('Push')).length).toBe(0);
    });
    addActivities(600);
    await expectEachOnceAfterCycles(600);
  }, 60_000);

  it('form fills on both sides of the feeds’ start, down to the millisecond: each becomes its Task once', async () => {
    await setUp(async (killer) => {
      expect(await killer.runDying('stopped-in-first-pull', { afterCommits: 1 }, 'Pull Updates')).toBe(true);
    });
    // The next cycle's feed steps start at the whole second after this (standing) instant:
    // activities before it are the catch-up's, the others the feed's — none in both, none in neither.
    h!.advance(5 * 60_000 + 1_100); // past the stopped worker's lease
    const start = Math.ceil(h!.clock.now() / 1000) * 1000;
    expect(start - h!.clock.now()).toBe(500);
    const persons = (h!.emu.marketo.snapshot().leads as Record<string, unknown>[]).filter(
      (p) => p.sfdcLeadIdCustom,
    );
    const offsets = [-30_000, -1001, -1000, -999, -1, 0, 1, 499, 500];
    offsets.forEach((offset, i) => {
      h!.emu.marketo.store.activities.append({
        leadId: persons[i % persons.length]!.id as number,
        date: start + offset,
        typeId: 2,
        primaryAttributeValueId: 7000 + i,
        primaryAttributeValue: `Edge form ${i}`,
        attributes: [],
      });
    });
    // This cycle's feed steps are the first to run: the feeds start at `start`.
    expect((await h!.cycle({ trigger: 'schedule' })).cycle?.status).toBe('Completed');
    expect(await h!.db.cursors.get('push:start')).toMatchObject({ value: new Date(start).toISOString() });
    await expectEachOnceAfterCycles(offsets.length);
  }, 60_000);

  it('the first cycle fails Push Updates on the paging token (a fault): the 600 activities after it become 600 Tasks', async () => {
    await setUp(async () => {
      h!.emu.control.injectFault({
        side: 'marketo',
        kind: 'error',
        status: 503,
        route: '/rest/v1/activities/pagingtoken.json',
        times: 20,
      });
      const report = await h!.cycle({ trigger: 'schedule' });
      h!.emu.control.clearFaults();
      expect(stepOf(report, 'Push Updates', 'Person').status).toBe('Failed');
    });
    addActivities(600);
    await expectEachOnceAfterCycles(600);
  }, 60_000);

  it('600 activities, the worker stopped in the middle of a Task create: 600 Tasks, each once', async () => {
    const killer = await setUp();
    addActivities(600);
    h!.advance(5 * 60_000);
    expect(
      await killer.runDying('stopped-in-push-new', { atWrite: 2, isWrite: isTaskCreate }, 'Push New'),
    ).toBe(true);
    expect(tasks().length).toBeGreaterThan(0);
    expect(tasks().length).toBeLessThan(600);
    await expectEachOnceAfterCycles(600);
  }, 60_000);

  it('a Task create stopped, then the feed read with other activity types (pages cut differently): each Task once', async () => {
    const killer = await setUp();
    // Ten Task types: with Change Data Value they no longer fit one feed call, so Push New reads
    // the Task types alone; afterwards the admin goes back to two and Push New reads both kinds.
    const two = h!.settings.taskActivityTypes;
    h!.settings.taskActivityTypes = [2, 1, 3, 6, 7, 8, 9, 10, 11, 12].map((id) => ({
      id,
      name: `Type ${id}`,
    }));
    h!.settings.taskActivityTypes[0]!.name = 'Fill Out Form';
    const persons = (h!.emu.marketo.snapshot().leads as Record<string, unknown>[]).filter(
      (p) => p.sfdcLeadIdCustom,
    );
    h!.advance(60_000);
    for (let i = 0; i < 600; i++) {
      const leadId = persons[i % persons.length]!.id as number;
      h!.emu.marketo.store.activities.append({
        leadId,
        date: h!.clock.now(),
        typeId: 2,
        primaryAttributeValueId: 7000 + i,
        primaryAttributeValue: `Pricing form ${i}`,
        attributes: [],
      });
      // A field change between form fills (a field the sync does not map: Push Updates skips it).
      h!.emu.marketo.store.activities.append({
        leadId,
        date: h!.clock.now(),
        typeId: 13,
        primaryAttributeValue: 'Lead Score',
        attributes: [{ name: 'New Value', value: i }],
      });
    }
    h!.advance(5 * 60_000);
    expect(
      await killer.runDying('stopped-in-create', { atWrite: 2, isWrite: isTaskCreate }, 'Push New'),
    ).toBe(true);
    // The page's Tasks were created, none logged (the worker died on the page's second create call).
    expect(tasks().length).toBeGreaterThan(200);
    expect(tasks().length).toBeLessThan(600);
    h!.settings.taskActivityTypes = two;
    await expectEachOnceAfterCycles(600);
  }, 60_000);

  it('600 activities, the worker stopped after a committed page, then a failed Push Updates step: 600 Tasks, each once', async () => {
    const killer = await setUp();
    addActivities(600);
    h!.advance(5 * 60_000);
    expect(await killer.runDying('stopped-after-a-page', { afterCommits: 1 }, 'Push New')).toBe(true);
    expect(tasks().length).toBeGreaterThan(0);
    expect(tasks().length).toBeLessThan(600);
    // A Marketo person change for Push Updates to write, refused by a Salesforce fault: the step fails.
    const person = (h!.emu.marketo.snapshot().leads as Record<string, unknown>[])[0]!;
    h!.emu.control.mkUpdateLead({ id: person.id as number, fields: { title: 'Head of Data' } });
    h!.emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      status: 503,
      route: '/services/data/*/composite/sobjects',
      method: 'PATCH',
      times: 20,
    });
    h!.advance(5 * 60_000);
    const failed = await h!.cycle({ trigger: 'schedule' });
    h!.emu.control.clearFaults();
    expect(stepOf(failed, 'Push Updates', 'Person').status).toBe('Failed');
    await expectEachOnceAfterCycles(600);
  }, 60_000);
});
