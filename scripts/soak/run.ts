// One soak run: chaos cycles (faults, user edits, stopped workers), then clean cycles until the
// sync is quiet, then the judge. Everything random is drawn from one seeded generator.
import { mulberry32 } from '../../emulator/rng';
import type { CycleReport } from '../../lib/sync';
import { applyAction, FAULT_KINDS, FAULT_ROUTES, type SoakAction } from './actions';
import { drawEmailActions } from './emails';
import { drawObjectActions } from './objects';
import { judge, type Verdict } from './oracle';
import { startServiceSoakWorld } from './serviceWorld';
import { type CycleStop, type SoakWorld, startSoakWorld, type WorldOptions } from './world';

export interface SoakOptions {
  cycles: number;
  seed: number;
  /** Leads of the `large` seed; without it the `demo` seed. */
  size?: number;
  log?: (line: string) => void;
  /** Cycles run by the service: worker processes on PostgreSQL and pg-boss (serviceWorld.ts). */
  service?: { workers: number; keepDatabase?: boolean };
}

export interface SoakResult {
  verdict: Verdict;
  /** Chaos cycles that ended with a killed worker. */
  killed: number;
  cleanCycles: number;
  /** What went wrong with the log (see SoakRun.problems); none in a good run. */
  problems: string[];
  /** --service: worker processes stopped with each signal. */
  stops?: { SIGKILL: number; SIGTERM: number };
}

const MAX_CLEAN_CYCLES = 12;

/** The actions before one chaos cycle, and the cycle itself, drawn from `rng`. */
export function drawRound(rng: () => number, bulkMax: number): SoakAction[] {
  const int = (n: number) => Math.floor(rng() * n);
  const chance = (p: number) => rng() < p;
  const out: SoakAction[] = [];
  const edits = int(7);
  for (let i = 0; i < edits; i++) {
    const side = (['salesforce', 'marketo', 'both'] as const)[int(3)]!;
    const object = (['Lead', 'Lead', 'Contact', 'Account'] as const)[int(4)]!;
    out.push({
      kind: 'edit',
      side,
      object,
      record: int(1e9),
      field: int(1e3),
      value: int(1e3),
      otherValue: int(1e3),
    });
  }
  if (chance(0.2)) out.push({ kind: 'bulkInsert', count: 1 + int(bulkMax) });
  if (chance(0.15)) out.push({ kind: 'delete', object: chance(0.7) ? 'Lead' : 'Contact', record: int(1e9) });
  if (chance(0.1)) out.push({ kind: 'convert', record: int(1e9) });
  if (chance(0.3)) out.push({ kind: 'activity', record: int(1e9) });
  const faults = chance(0.5) ? 1 + int(3) : 0;
  for (let i = 0; i < faults; i++) {
    const side = chance(0.5) ? 'salesforce' : 'marketo';
    out.push({
      kind: 'fault',
      side,
      route: int(FAULT_ROUTES[side]),
      fault: int(FAULT_KINDS[side]),
      times: 1 + int(4),
    });
  }
  if (chance(0.1)) out.push({ kind: 'expire', side: chance(0.5) ? 'salesforce' : 'marketo' });
  const roll = rng();
  const stop: CycleStop | undefined =
    roll < 0.25
      ? { kind: 'kill', atWrite: 1 + int(80), afterRequest: chance(0.5) }
      : roll < 0.35
        ? { kind: 'storageError', atWrite: 1 + int(80) }
        : roll < 0.5
          ? { kind: 'budget', maxApiCalls: 1 + int(15) }
          : undefined;
  // 0 (1 ms) and sub-second gaps keep the edits in the SystemModstamp second of the last cycle.
  const advanceMs = [0, 400, 1_000, 60_000, 5 * 60_000][int(5)]!;
  // Campaign members on either side (drawn after the cycle's own draws).
  const members = int(3);
  for (let i = 0; i < members; i++)
    out.push({
      kind: 'member',
      side: chance(0.5) ? 'salesforce' : 'marketo',
      record: int(1e9),
      status: int(10),
      remove: chance(0.2),
    });
  out.push(...drawEmailActions(int));
  if (chance(0.4))
    out.push({
      kind: 'salesforceActivity',
      object: chance(0.7) ? 'Task' : 'Event',
      op: int(3),
      record: int(1e9),
      value: int(1e3),
    });
  out.push(...drawObjectActions(rng)); // opportunities, roles, users, a custom object (objects.ts)
  out.push({ kind: 'cycle', ...(stop && { stop }), advanceMs });
  return out;
}

/** One run's state: its world, what it logs, and what went wrong outside the two systems' data. */
export interface SoakRun {
  world: SoakWorld;
  log: (line: string) => void;
  /** Called with every finished cycle (the property test checks the count invariant on it). */
  onReport: (report: CycleReport) => Promise<void>;
  /** Problems with the log itself: cycles that threw, storage errors not shown as such. */
  problems: string[];
  /** Cycles ended by a storage error: they must stay Failed, not become "Interrupted". */
  storageFailed: number[];
  killed: number;
}

export function newRun(world: SoakWorld, log: (line: string) => void = () => {}): SoakRun {
  return { world, log, onReport: async () => {}, problems: [], storageFailed: [], killed: 0 };
}

/** Runs cycles with no faults and no edits until one writes nothing (or MAX_CLEAN_CYCLES). */
export async function settle(run: SoakRun): Promise<number> {
  const { world } = run;
  world.emu.control.clearFaults();
  // The next day: past every retry back-off and any 607 pause.
  world.advance(24 * 60 * 60_000);
  for (let n = 1; n <= MAX_CLEAN_CYCLES; n++) {
    world.advance(31 * 60_000);
    const report = await cycle(run);
    run.log(`clean ${summary(report)}`);
    // Drifted records (a Reconcile that came due, the day advanced above) are repaired by the next
    // cycle: not quiet yet.
    const wrote =
      report?.steps.reduce((sum, s) => sum + s.new + s.updated + s.deleted + (s.drifted ?? 0), 0) ?? 1;
    if (report?.cycle?.status === 'Completed' && wrote === 0) return n;
  }
  return MAX_CLEAN_CYCLES;
}

export function summary(report: CycleReport | undefined): string {
  if (!report) return 'cycle: worker killed';
  if (!report.cycle) return `cycle skipped: ${report.skippedReason}`;
  const c = report.cycle;
  const sum = (k: 'new' | 'updated' | 'deleted' | 'failed' | 'drifted') =>
    report.steps.reduce((n, s) => n + (s[k] ?? 0), 0);
  return `cycle ${c.id} ${c.status}: new ${sum('new')}, updated ${sum('updated')}, deleted ${sum('deleted')}, failed ${sum('failed')}${sum('drifted') ? `, drifted ${sum('drifted')}` : ''}${c.error ? ` — ${c.error}` : ''}`;
}

async function cycle(run: SoakRun, stop?: CycleStop): Promise<CycleReport | undefined> {
  const newest = async () => (await run.world.db.cycles.orderBy('id').last())?.id ?? 0;
  const before = await newest();
  try {
    const report = await run.world.cycle(stop);
    if (report) await run.onReport(report);
    else run.killed += 1;
    return report;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const started = (await newest()) > before ? await newest() : undefined;
    run.log(`cycle ${started ?? '(no row)'} threw: ${message}`);
    // Failing to write the lease or the cycle row itself may throw (nothing was started); a
    // started cycle must still end Failed (checkLog), and nothing else may throw.
    if (stop?.kind === 'storageError' && run.world.stopFired()) {
      if (started !== undefined) run.storageFailed.push(started);
    } else run.problems.push(`a cycle threw: ${message}`);
    return undefined;
  }
}

/** Applies one action; a cycle action runs a cycle. */
export async function perform(run: SoakRun, action: SoakAction): Promise<void> {
  const { world } = run;
  if (action.kind !== 'cycle') {
    run.log(applyAction(world.emu, world.settings, action));
    return;
  }
  // At least 1 ms: the edits before a cycle are older than it, as they are in real life.
  world.advance(Math.max(1, action.advanceMs));
  const report = await cycle(run, action.stop);
  run.log(`${action.stop ? `${JSON.stringify(action.stop)} ` : ''}${summary(report)}`);
  if (action.stop?.kind !== 'storageError' || !world.stopFired() || !report?.cycle) return;
  const { id, status, error } = report.cycle;
  // The lease is released after the cycle's end is written: a release the full disk refuses leaves
  // a cycle that did complete (the lease expires; lib/sync/engine.ts), not one to call Failed.
  if (world.failedTable() === 'leases' && status !== 'In Process') return;
  if (status !== 'Failed' || !error)
    run.problems.push(`cycle ${id} hit a storage error but ended ${status}${error ? ` (${error})` : ''}`);
  run.storageFailed.push(id);
}

/** After the run: no row left In Process, storage-error cycles still Failed (not "Interrupted"). */
export async function checkLog(run: SoakRun): Promise<void> {
  const { db } = run.world;
  for (const c of await db.cycles.toArray())
    if (c.status === 'In Process') run.problems.push(`cycle ${c.id} left In Process`);
  for (const s of await db.steps.toArray())
    if (s.status === 'In Process')
      run.problems.push(`step ${s.id} (${s.operation} ${s.objectType}) left In Process`);
  for (const id of run.storageFailed) {
    const c = await db.cycles.get(id);
    if (c?.status !== 'Failed')
      run.problems.push(`cycle ${id} (storage error) now shows ${c?.status}: ${c?.error}`);
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const worldOptions: WorldOptions = {
    seed: options.size ? 'large' : 'demo',
    ...(options.size && { size: options.size }),
    rngSeed: options.seed,
  };
  const service = options.service
    ? await startServiceSoakWorld({
        ...worldOptions,
        ...options.service,
        ...(options.log && { log: options.log }),
      })
    : undefined;
  const world = service ?? (await startSoakWorld(worldOptions));
  const run = newRun(world, options.log);
  try {
    // Deletions and conversions before the first cycle are the sync's history, not its work: its
    // first Pull Deletes starts reading at its own start (lib/sync/operations/pullDeletes.ts).
    // In-process the clock stands still until the first cycle moves it, so every action of the
    // first round is stamped before it; under --service time flows, so the mark is set when the
    // first cycle starts, not when the world did.
    let since: number | undefined;
    const rng = mulberry32(options.seed);
    // Up to 3,000 leads in one second: more than one 2,000-row Salesforce query page.
    const bulkMax = Math.min(3_000, Math.max(400, options.size ?? 0));
    for (let i = 0; i < options.cycles; i++)
      for (const action of drawRound(rng, bulkMax)) {
        if (action.kind === 'cycle') since ??= world.clock.now() + Math.max(1, action.advanceMs);
        await perform(run, action);
      }
    const cleanCycles = await settle(run);
    await checkLog(run);
    run.log('judging both sides');
    // The panel state of every failed-before record, of every record that disagrees, and of one
    // in `sampleEvery` of the rest (lib/db's lookup costs ~12 ms a record over fake-indexeddb).
    const sampleEvery = options.size ? Math.max(1, Math.floor(options.size / 1_000)) : 4;
    const verdict = await judge(world.emu, world.db, world.settings, since ?? world.clock.now(), {
      sampleEvery,
    });
    const problems = [...run.problems, ...(service?.problems() ?? [])];
    return { verdict, killed: run.killed, cleanCycles, problems, ...(service && { stops: service.stops }) };
  } finally {
    await world.stop();
  }
}
