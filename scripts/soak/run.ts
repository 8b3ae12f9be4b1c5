// One soak run: chaos cycles (faults, user edits, stopped workers), then clean cycles until the
// sync is quiet, then the judge. Everything random is drawn from one seeded generator.
import { mulberry32 } from '../../emulator/rng';
import type { CycleReport } from '../../lib/sync';
import { applyAction, FAULT_KINDS, FAULT_ROUTES, type SoakAction } from './actions';
import { judge, type Verdict } from './oracle';
import { type CycleStop, type SoakWorld, startSoakWorld } from './world';

export interface SoakOptions {
  cycles: number;
  seed: number;
  /** Leads of the `large` seed; without it the `demo` seed. */
  size?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  verdict: Verdict;
  /** Chaos cycles that ended with a killed worker. */
  killed: number;
  cleanCycles: number;
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
  out.push({ kind: 'cycle', ...(stop && { stop }), advanceMs });
  return out;
}

/** Runs cycles with no faults and no edits until one writes nothing (or MAX_CLEAN_CYCLES). */
export async function settle(
  world: SoakWorld,
  log: (line: string) => void,
  onReport: (report: CycleReport) => Promise<void> = async () => {},
): Promise<number> {
  world.emu.control.clearFaults();
  // The next day: past every retry back-off and any 607 pause.
  world.advance(24 * 60 * 60_000);
  for (let n = 1; n <= MAX_CLEAN_CYCLES; n++) {
    world.advance(31 * 60_000);
    const report = await world.cycle();
    log(`clean ${summary(report)}`);
    if (report) await onReport(report);
    const wrote = report?.steps.reduce((sum, s) => sum + s.new + s.updated + s.deleted, 0) ?? 1;
    if (report?.cycle?.status === 'Completed' && wrote === 0) return n;
  }
  return MAX_CLEAN_CYCLES;
}

export function summary(report: CycleReport | undefined): string {
  if (!report) return 'cycle: worker killed';
  if (!report.cycle) return `cycle skipped: ${report.skippedReason}`;
  const c = report.cycle;
  const sum = (k: 'new' | 'updated' | 'deleted' | 'failed') => report.steps.reduce((n, s) => n + s[k], 0);
  return `cycle ${c.id} ${c.status}: new ${sum('new')}, updated ${sum('updated')}, deleted ${sum('deleted')}, failed ${sum('failed')}${c.error ? ` — ${c.error}` : ''}`;
}

/** Applies one action; a cycle action runs a cycle. Returns whether a worker was killed. */
export async function perform(
  world: SoakWorld,
  action: SoakAction,
  log: (line: string) => void,
  onReport: (report: CycleReport) => Promise<void> = async () => {},
) {
  if (action.kind !== 'cycle') {
    log(applyAction(world.emu, world.settings, action));
    return false;
  }
  // At least 1 ms: the edits before a cycle are older than it, as they are in real life.
  world.advance(Math.max(1, action.advanceMs));
  const report = await world.cycle(action.stop);
  log(`${action.stop ? `${JSON.stringify(action.stop)} ` : ''}${summary(report)}`);
  if (report) await onReport(report);
  return report === undefined;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const world = await startSoakWorld({
    seed: options.size ? 'large' : 'demo',
    ...(options.size && { size: options.size }),
    rngSeed: options.seed,
  });
  try {
    // Deletions and conversions before the first cycle are the sync's history, not its work.
    const since = world.clock.now() + 1;
    const rng = mulberry32(options.seed);
    const bulkMax = options.size ? Math.min(3_000, Math.max(50, Math.floor(options.size / 10))) : 400;
    let killed = 0;
    for (let i = 0; i < options.cycles; i++) {
      for (const action of drawRound(rng, bulkMax)) if (await perform(world, action, log)) killed++;
    }
    const cleanCycles = await settle(world, log);
    log('judging both sides');
    // The panel state of every failed-before record, of every record that disagrees, and of one
    // in `sampleEvery` of the rest (lib/db's lookup costs ~12 ms a record over fake-indexeddb).
    const sampleEvery = options.size ? Math.max(1, Math.floor(options.size / 1_000)) : 4;
    const verdict = await judge(world.emu, world.db, world.settings, since, { sampleEvery });
    return { verdict, killed, cleanCycles };
  } finally {
    await world.stop();
  }
}
