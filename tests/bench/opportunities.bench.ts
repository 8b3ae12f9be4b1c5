// Opportunities and contact roles (issue 19), over real HTTP against the emulator in this process,
// log in fake-indexeddb:
// - the first sync of N opportunities (default 50,000; BENCH_OPPORTUNITIES) with 2N contact roles,
//   on N/10 accounts whose 2N/10 contacts are already synced: API calls against the minimum its data
//   needs, and the engine's time against a bare script making the same HTTP calls (≤ 1.5×);
// - an idle cycle with opportunities, roles, users and account types enabled (≤ 3 calls);
// - the demo org with every object enabled (campaign pairs too): its idle cycle.
// The minimum for the first sync: one query page per 2,000 opportunities, roles and accounts (the
// Account Type step's own read) and one Marketo write per 300 of each (companies, opportunities,
// roles). Describes are counted apart (Sync Schema's, once per object), as are the calls every
// cycle makes anyway (the change probe, the activity feed: the idle cycle before).
import 'fake-indexeddb/auto';
import { createControlClient } from '../../emulator/control';
import { startEmulator } from '../../emulator/index';
import { demoSyncSettings } from '../../emulator/seeds/demoSettings';
import { unwatchedSyncLog } from '../../lib/db/unwatchedLog';
import { type ClockPort, systemClock } from '../../lib/http/ports';
import { defaultSettings, type SyncSettings } from '../../lib/settings/schema';
import { createSyncEngine } from '../../lib/sync';
import { bareOpportunities } from './bareOpportunities';
import { startChildEmulator } from './childEmulator';
import { emulatorClients } from './emulatorClients';
import { atMost, type BenchRow, info } from './table';

const GROUP = 'opportunities';
const N = Number(process.env.BENCH_OPPORTUNITIES ?? 50_000);
const pages = (n: number, size: number) => Math.ceil(n / size);
let dbs = 0;

async function rig(
  seed: 'large' | 'demo',
  settingsOf: (s: SyncSettings, emu: Awaited<ReturnType<typeof startEmulator>>) => void,
) {
  const emu = await startEmulator({
    seed,
    size: 1,
    opportunities: seed === 'large' ? N : 0,
    marketo: { limits: { enabled: false } },
  });
  const clock: ClockPort = {
    now: () => emu.core.clock.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const clients = emulatorClients(emu.info, clock);
  const settings = defaultSettings();
  settingsOf(settings, emu);
  const db = unwatchedSyncLog(`bench-opportunities-${process.pid}-${++dbs}`);
  const engine = createSyncEngine({ db, ...clients, settings: async () => settings, clock, owner: 'bench' });
  const cycle = async () => {
    emu.control.advanceTime({ ms: 5 * 60_000 });
    clients.sf.reset();
    clients.mk.reset();
    const started = performance.now();
    const report = await engine.runCycle({ trigger: 'schedule' });
    const ms = performance.now() - started;
    if (report.cycle?.status !== 'Completed')
      throw new Error(`opportunities bench: cycle ${report.cycle?.status}: ${report.cycle?.error}`);
    const describes = Object.entries({ ...clients.sf.snapshot(), ...clients.mk.snapshot() })
      .filter(([endpoint]) => endpoint.includes('describe'))
      .reduce((n, [, count]) => n + count, 0);
    return { report, ms, calls: clients.sf.total() + clients.mk.total() - describes, describes };
  };
  const stop = async () => {
    db.close();
    await db.delete();
    await emu.stop();
  };
  return { emu, clients, settings, cycle, stop };
}

async function firstSync(): Promise<BenchRow[]> {
  const r = await rig('large', (s) => {
    s.objects.Lead!.enabled = false;
  });
  try {
    // The contacts and accounts first (what the roles need), then a cycle with nothing new.
    await r.cycle();
    await r.cycle();
    const idleBefore = (await r.cycle()).calls;
    for (const o of ['Opportunity', 'OpportunityContactRole'] as const) r.settings.objects[o]!.enabled = true;
    const load = await r.cycle();
    const step = (op: string, type: string) =>
      load.report.steps.find((s) => s.operation === op && s.objectType === type)!;
    const written = step('Pull Updates', 'Opportunity').new;
    const roles = step('Pull Updates', 'Opportunity Contact Role').new;
    if (written !== N || roles !== 2 * N)
      throw new Error(`opportunities bench: wrote ${written} and ${roles} roles`);
    const accounts = N / 10;
    const minimum =
      pages(N, 2000) +
      pages(2 * N, 2000) +
      pages(accounts, 2000) +
      pages(N, 300) +
      pages(2 * N, 300) +
      pages(accounts, 300);
    const loadCalls = load.calls - idleBefore;
    if (process.env.BENCH_VERBOSE)
      process.stderr.write(
        `${JSON.stringify(load.report.steps.map((s) => [s.operation, s.objectType, (s.endedAt ?? 0) - s.startedAt]))}\n${JSON.stringify({ ...r.clients.sf.snapshot(), ...r.clients.mk.snapshot() })}\n`,
      );
    await r.cycle();
    await r.cycle();
    const idle = await r.cycle();
    process.stderr.write(
      `opportunities bench: load ${loadCalls} calls (minimum ${minimum}, describes apart ${load.describes}); idle ${idle.calls + idle.describes}\n`,
    );
    const label = `${N.toLocaleString('en-US')} opportunities, ${(2 * N).toLocaleString('en-US')} roles`;
    return [
      info(GROUP, `first sync of ${label}: API calls`, loadCalls, 'calls'),
      atMost(GROUP, `first sync of ${label} / minimum its data needs`, loadCalls / minimum, '×', 1.0),
      atMost(
        GROUP,
        'idle cycle with opportunities and roles enabled',
        idle.calls + idle.describes,
        'calls',
        3,
      ),
    ];
  } finally {
    await r.stop();
  }
}

/**
 * Timings with the emulator in its own process (as engine.bench.ts): the engine's log work
 * (fake-indexeddb, in this process) must not slow the emulator's answers, which the bare script
 * does not pay for. Each side runs on a fresh org whose contacts and accounts are synced first.
 */
async function childOrg() {
  const child = await startChildEmulator([
    '--seed',
    'large',
    '--size',
    '1',
    '--opportunities',
    String(N),
    '--no-marketo-limits',
  ]);
  const clients = emulatorClients(child.info, systemClock);
  const settings = defaultSettings();
  settings.objects.Lead!.enabled = false;
  const db = unwatchedSyncLog(`bench-opportunities-child-${process.pid}-${++dbs}`);
  const engine = createSyncEngine({
    db,
    ...clients,
    settings: async () => settings,
    clock: systemClock,
    owner: 'bench',
  });
  const cycle = async () => {
    const started = performance.now();
    const report = await engine.runCycle({ trigger: 'schedule' });
    if (report.cycle?.status !== 'Completed') throw new Error(`opportunities bench: ${report.cycle?.error}`);
    return performance.now() - started;
  };
  await cycle();
  const stop = async () => {
    db.close();
    await db.delete();
    await child.stop();
  };
  return { child, clients, settings, cycle, stop };
}

/** Engine and bare script take turns on fresh orgs, twice; each side's best run counts. */
async function timings(): Promise<{ engine: number[]; bare: number[] }> {
  const engine: number[] = [];
  const bare: number[] = [];
  for (let pair = 0; pair < 2; pair++) {
    const e = await childOrg();
    try {
      for (const o of ['Opportunity', 'OpportunityContactRole'] as const)
        e.settings.objects[o]!.enabled = true;
      engine.push(await e.cycle());
    } finally {
      await e.stop();
    }
    const b = await childOrg();
    try {
      const persons = (await createControlClient(b.child.info.control.url).snapshot()).marketo.leads;
      bare.push(await bareOpportunities(b.clients.salesforce, b.clients.marketo, persons));
    } finally {
      await b.stop();
    }
  }
  return { engine, bare };
}

async function demoIdle(): Promise<BenchRow[]> {
  const r = await rig('demo', (s, emu) =>
    Object.assign(s, demoSyncSettings(emu.salesforce, emu.marketo.store)),
  );
  try {
    for (let i = 0; i < 3; i++) await r.cycle();
    const idle = await r.cycle();
    return [
      atMost(
        GROUP,
        'idle cycle, demo org, every object enabled (campaign pairs, opportunities, roles, users)',
        idle.calls + idle.describes,
        'calls',
        3,
      ),
    ];
  } finally {
    await r.stop();
  }
}

export async function run(): Promise<BenchRow[]> {
  const rows = [...(await demoIdle()), ...(await firstSync())];
  const { engine, bare } = await timings();
  const runs = (ms: number[]) => ms.map((m) => Math.round(m).toLocaleString('en-US')).join(', ');
  const label = `${N.toLocaleString('en-US')} opportunities, ${(2 * N).toLocaleString('en-US')} roles`;
  const best = { engine: Math.min(...engine), bare: Math.min(...bare) };
  process.stderr.write(`opportunities bench: engine ${runs(engine)} ms, bare ${runs(bare)} ms\n`);
  return [
    ...rows,
    info(
      GROUP,
      `first sync of ${label} (engine in Node, log over fake-indexeddb), best of ${runs(engine)}`,
      best.engine,
      'ms',
    ),
    info(
      GROUP,
      `first sync of ${label} (bare script, same HTTP calls), best of ${runs(bare)}`,
      best.bare,
      'ms',
    ),
    atMost(GROUP, `engine time / bare script time (${label}), best runs`, best.engine / best.bare, '×', 1.5),
  ];
}
