// Engine benchmarks (design §9) on the emulator, over real HTTP, log in fake-indexeddb:
// - API calls of a first sync (demo org) and of an idle cycle against the minimum their data needs,
//   the idle cycle both 5 minutes after the last one and back to back after a cycle with edits
//   (BENCH_ENGINE=calls runs only these rows);
// - a 100,000-lead first sync against a bare script making the same HTTP calls (Marketo limits off;
//   the same first sync in Chromium, with the extension's worker and real IndexedDB log, is
//   engine.chromium.bench.ts);
// - peak memory of a first sync at 25k, 50k and 100k leads (should stay flat: streaming by page).
import 'fake-indexeddb/auto';
import { type EmulatorInfo, startEmulator } from '../../emulator/index';
import type { SyncLogDatabase } from '../../lib/db/database';
import { BACKLOG_FETCHED_KEY } from '../../lib/db/metrics';
import { unwatchedSyncLog } from '../../lib/db/unwatchedLog';
import { type ApiCallCounter, type ClockPort, systemClock } from '../../lib/http/ports';
import type { MarketoClient } from '../../lib/marketo';
import type { SalesforceClient } from '../../lib/salesforce/client';
import { defaultSettings, type SyncSettings } from '../../lib/settings/schema';
import { createSyncEngine } from '../../lib/sync';
import { bareFirstSync } from './bareFirstSync';
import { startChildEmulator } from './childEmulator';
import { emulatorClients } from './emulatorClients';
import { leadsOnlySettings } from './leadsOnlySettings';
import { atMost, type BenchRow, info } from './table';

const GROUP = 'engine';
let dbs = 0;

interface Rig {
  stop(): Promise<void>;
  salesforce: SalesforceClient;
  marketo: MarketoClient;
  sf: ApiCallCounter;
  mk: ApiCallCounter;
  clock: ClockPort;
  engine: ReturnType<typeof createSyncEngine>;
  settings: SyncSettings;
  db: SyncLogDatabase;
}

/** Clients and an engine against an emulator (in this process, or a child for memory figures). */
function rig(info: EmulatorInfo, clock: ClockPort, stop: () => Promise<void>, leadsOnly = false): Rig {
  const emu = { info };
  const { sf, mk, salesforce, marketo } = emulatorClients(emu.info, clock);
  const settings = leadsOnly ? leadsOnlySettings() : defaultSettings();
  dbs += 1;
  const db = unwatchedSyncLog(`bench-engine-${process.pid}-${dbs}`);
  const engine = createSyncEngine({
    db,
    salesforce,
    marketo,
    settings: async () => settings,
    clock,
    owner: 'bench',
  });
  // The log lives in this heap (fake-indexeddb): a finished run's log is dropped so that it does not
  // weigh on the garbage collector during the runs after it (in Chrome it is not in the JS heap at all).
  const stopAndDrop = async () => {
    await stop();
    await db.delete();
  };
  return { stop: stopAndDrop, salesforce, marketo, sf, mk, clock, engine, settings, db };
}

async function inProcessRig(seed: 'demo' | 'large', size: number) {
  const emu = await startEmulator({ seed, size, marketo: { limits: { enabled: false } } });
  const clock: ClockPort = {
    now: () => emu.core.clock.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  return { emu, ...rig(emu.info, clock, () => emu.stop()) };
}

async function childRig(size: number): Promise<Rig> {
  const child = await startChildEmulator(['--seed', 'large', '--size', String(size), '--no-marketo-limits']);
  return rig(child.info, systemClock, () => child.stop(), true);
}

const pages = (n: number, size: number) => Math.ceil(n / size);

/** First sync of the demo org: calls spent vs the minimum its data needs. */
async function firstSyncCalls(): Promise<BenchRow[]> {
  const r = await inProcessRig('demo', 0);
  try {
    // Persons Marketo already links to an account before the sync (the account pull reads and
    // writes exactly these).
    const accountIds = new Set((r.emu.control.snapshot().salesforce.Account ?? []).map((a) => String(a.Id)));
    const accountPersons = r.emu.control
      .snapshot()
      .marketo.leads.filter((p) =>
        accountIds.has(String((p as Record<string, unknown>).sfdcAccountIdCustom)),
      ).length;
    const report = await r.engine.runCycle({ trigger: 'schedule' });
    const step = (op: string, type: string) =>
      report.steps.find((s) => s.operation === op && s.objectType === type)!;
    const snap = r.emu.control.snapshot().salesforce;
    const live = (o: string) => (snap[o] ?? []).filter((x) => !x.IsDeleted).length;
    const converted = (snap.Lead ?? []).filter((x) => !x.IsDeleted && x.IsConverted).length;
    // Minimum, each term from the data:
    // - Salesforce: 3 describes; one query page per 2,000 rows of each object; the conversions query.
    // - Marketo: token, describe; the activity feed (paging token + one read, which Push Updates
    //   hands to Push New: both read the same types from the same token); Push New's catch-up of
    //   what Marketo recorded between the first cycle's start and the feeds' start (paging token +
    //   one read of its Task types: the demo's first sync has no form fill in it).
    // - Accounts have no Marketo record: their persons are read (300 per page) and written (300 per call).
    // - Leads: one write per 300 persons written.
    // - Contacts: one upsert per 300; the persons of converted leads are taken over by their contact
    //   (updateOnly by id, a different action, so its own call per 300), after one lookup per 300
    //   converted leads (instead of creating a second person and merging it).
    // - Conversions: the lead's and the contact's persons, one lookup per 300 each.
    // - The hourly backlog count (docs/dashboard.md): one composite of COUNT() queries; Marketo's
    //   feed has no position before the first push, so nothing is read there.
    const leadsWritten = step('Pull Updates', 'Person').new + step('Pull Updates', 'Person').updated;
    const contactsWritten = step('Pull Updates', 'Contact').new + step('Pull Updates', 'Contact').updated;
    const takenOver = step('Pull Conversions', 'Person').updated;
    const minimum =
      3 +
      1 +
      pages(live('Lead'), 2000) +
      pages(live('Contact'), 2000) +
      pages(live('Account'), 2000) +
      pages(converted, 2000) +
      (1 + 1) +
      (1 + 1) +
      (1 + 1) +
      2 * pages(accountPersons, 300) +
      pages(leadsWritten, 300) +
      pages(contactsWritten - takenOver, 300) +
      pages(takenOver, 300) +
      pages(converted, 300) +
      2 * pages(converted, 300);
    const spent = r.sf.total() + r.mk.total();
    process.stderr.write(
      `engine bench: first sync calls ${JSON.stringify({ ...r.sf.snapshot(), ...r.mk.snapshot() })}\n`,
    );
    // Idle: two cycles to let the delete feed's watermark pass the first sync, then measure.
    for (let i = 0; i < 2; i++) {
      r.emu.control.advanceTime({ ms: 5 * 60_000 });
      await r.engine.runCycle({ trigger: 'schedule' });
    }
    r.emu.control.advanceTime({ ms: 5 * 60_000 });
    r.sf.reset();
    r.mk.reset();
    await r.engine.runCycle({ trigger: 'schedule' });
    const idle = r.sf.total() + r.mk.total();
    // Back to back: the runner starts the next cycle as soon as one ends when cycles follow each
    // other (no clock move between them). After a cycle that synced an edit on each side (a lead
    // in Salesforce, a person in Marketo), the worst of the three idle cycles that follow counts.
    const snapshot = r.emu.control.snapshot();
    const lead = (snapshot.salesforce.Lead ?? []).find((l) => !l.IsDeleted && !l.IsConverted)!;
    r.emu.control.sfUpdate({ id: String(lead.Id), fields: { Title: 'Edited before back-to-back cycles' } });
    const linked = snapshot.marketo.leads.find((p) => (p as Record<string, unknown>).sfdcLeadIdCustom)!;
    r.emu.control.mkUpdateLead({ id: linked.id as number, fields: { title: 'Edited in Marketo' } });
    await r.engine.runCycle({ trigger: 'schedule' });
    let backToBack = 0;
    for (let i = 0; i < 3; i++) {
      r.sf.reset();
      r.mk.reset();
      await r.engine.runCycle({ trigger: 'schedule' });
      process.stderr.write(
        `engine bench: back-to-back idle calls ${JSON.stringify({ ...r.sf.snapshot(), ...r.mk.snapshot() })}\n`,
      );
      backToBack = Math.max(backToBack, r.sf.total() + r.mk.total());
    }
    // The hour's first cycle counts the backlog on both sides (docs/dashboard.md). Sync Schema
    // re-describes hourly too (SCHEMA_MAX_AGE_MS), so the fetch's own cost is the difference between
    // two such cycles an hour apart, the first with the fetch not due (its mark set fresh).
    const hourly = async (fetchDue: boolean) => {
      r.emu.control.advanceTime({ ms: 60 * 60_000 });
      if (!fetchDue)
        await r.db.cursors.put({
          key: BACKLOG_FETCHED_KEY,
          value: new Date(r.clock.now()).toISOString(),
          updatedAt: r.clock.now(),
        });
      r.sf.reset();
      r.mk.reset();
      await r.engine.runCycle({ trigger: 'schedule' });
      process.stderr.write(
        `engine bench: hourly idle calls, backlog fetch ${fetchDue ? 'due' : 'not due'} ${JSON.stringify({ ...r.sf.snapshot(), ...r.mk.snapshot() })}\n`,
      );
      return r.sf.total() + r.mk.total();
    };
    const hourWithout = await hourly(false);
    const hourWith = await hourly(true);
    return [
      info(GROUP, 'first sync (demo org) API calls', spent, 'calls'),
      atMost(GROUP, 'first sync API calls / minimum its data needs', spent / minimum, '×', 1.0),
      atMost(GROUP, 'idle cycle API calls (5 minutes between cycles)', idle, 'calls', 3),
      atMost(GROUP, 'idle cycle API calls (cycles back to back, worst of 3)', backToBack, 'calls', 3),
      info(
        GROUP,
        "idle cycle API calls, the hour's first (schema re-read, backlog fetch)",
        hourWith,
        'calls',
      ),
      atMost(
        GROUP,
        `hourly backlog fetch, its own API calls when idle (${hourWith} − ${hourWithout} the same cycle without it)`,
        hourWith - hourWithout,
        'calls',
        2,
      ),
    ];
  } finally {
    await r.stop();
  }
}

/**
 * One leads-only first sync at `size` leads with the emulator in a child process: elapsed ms, and
 * the engine's working memory — peak heap growth during the cycle minus what stays after it (the
 * log itself, which fake-indexeddb keeps in this heap and which grows with the data by design).
 * With `forceGc`, the sampler collects garbage once a second: V8 lets garbage pile up in proportion
 * to the live heap, and here the live heap is mostly fake-indexeddb's copy of the log (in Chrome it
 * lives outside the worker's heap), so without it the figure grows with the log, not the engine
 * (measured: 147/299/582 MB at 25k/50k/100k without, ~40 MB flat with). Timed runs do not force GC.
 */
async function timedFirstSync(
  size: number,
  forceGc: boolean,
  /** How often the sampler collects garbage when forceGc, in its 20-ms ticks (50: once a second). */
  gcEveryTicks = 50,
): Promise<{ ms: number; workingMb: number; rig: Rig }> {
  const r = await childRig(size);
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let ticks = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    if (forceGc && ++ticks % gcEveryTicks === 0) global.gc?.();
  }, 20);
  const started = performance.now();
  const report = await r.engine.runCycle({ trigger: 'schedule' });
  const ms = performance.now() - started;
  clearInterval(timer);
  global.gc?.();
  const retained = process.memoryUsage().heapUsed;
  if (report.cycle?.status !== 'Completed')
    throw new Error(`first sync of ${size}: ${report.cycle?.status} ${report.cycle?.error}`);
  return { ms, workingMb: (peak - retained) / 1e6, rig: r };
}

export async function run(): Promise<BenchRow[]> {
  if (!global.gc) process.stderr.write('engine bench: run node with --expose-gc for exact memory figures\n');
  const rows = await firstSyncCalls();
  // BENCH_ENGINE=calls: only the API-call rows (seconds instead of minutes), e.g. while working on
  // the change probe or the cursors.
  if (process.env.BENCH_ENGINE === 'calls') return rows;
  const memory: number[] = [];
  for (const size of [25_000, 50_000, 100_000]) {
    const measured = await timedFirstSync(size, true);
    await measured.rig.stop();
    memory.push(measured.workingMb);
    rows.push(
      info(GROUP, `first sync ${size} leads: engine working memory`, Math.round(measured.workingMb), 'MB'),
    );
    if (size === 100_000) {
      // Engine and bare script take turns, each on the same data from scratch, twice; each side's
      // best run counts (noise on this VM only ever adds time, to either side: one pair measured
      // 1.21× and 1.60× in two runs of the same build).
      const engineMs: number[] = [];
      const bareMs: number[] = [];
      for (let pair = 0; pair < 2; pair++) {
        const result = await timedFirstSync(size, false);
        await result.rig.stop();
        engineMs.push(result.ms);
        const bare = await childRig(size);
        bareMs.push((await bareFirstSync(bare)).ms);
        await bare.stop();
      }
      const runs = (ms: number[]) => ms.map((m) => Math.round(m).toLocaleString('en-US')).join(', ');
      rows.push(
        info(
          GROUP,
          `first sync 100,000 leads (engine in Node, log over fake-indexeddb), best of ${runs(engineMs)}`,
          Math.min(...engineMs),
          'ms',
        ),
      );
      rows.push(
        info(
          GROUP,
          `first sync 100,000 leads (bare script in Node, same HTTP calls), best of ${runs(bareMs)}`,
          Math.min(...bareMs),
          'ms',
        ),
      );
      rows.push(
        atMost(
          GROUP,
          'engine time / bare script time (100,000 leads, Node, log over fake-indexeddb), best runs',
          Math.min(...engineMs) / Math.min(...bareMs),
          '×',
          1.5,
        ),
      );
    }
  }
  rows.push(
    atMost(
      GROUP,
      'engine working memory 100k / 25k leads (flat = 1)',
      memory[2]! / Math.max(memory[0]!, 1),
      '×',
      1.5,
    ),
  );
  // The same with a collection every 100 ms: what the engine keeps alive, without the garbage a
  // second's work leaves before the once-a-second collection — which grows with the engine's
  // speed, and a 25,000-lead run has fewer seconds to reach its worst (docs/design.md §9).
  const live: number[] = [];
  for (const size of [25_000, 100_000]) {
    const measured = await timedFirstSync(size, true, 5);
    await measured.rig.stop();
    live.push(measured.workingMb);
  }
  rows.push(
    info(
      GROUP,
      `engine live working set 100k / 25k leads, a collection every 100 ms (${live.map(Math.round).join(' / ')} MB)`,
      live[1]! / Math.max(live[0]!, 1),
      '×',
    ),
  );
  return rows;
}
