// `npm run soak -- --cycles N [--seed S] [--size N] [--verbose]`: the headless engine against the
// in-process emulator with random faults, user edits on both sides and stopped workers, then clean
// cycles until quiet, then both sides compared field by field (scripts/soak/).
// `npm run soak -- --service [--workers N] …`: the same, with the cycles run by the service — worker
// processes on PostgreSQL (DATABASE_URL, else a throwaway server) and pg-boss, stopped with SIGKILL
// or SIGTERM at random moments (scripts/soak/serviceWorld.ts). Prints one line,
//   records N, lost 0, duplicated 0, drifted 0
// and exits non-zero when anything was lost, duplicated or drifted (the details go to stderr).
import 'fake-indexeddb/auto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isClean, verdictLine } from './soak/oracle';
import { runSoak } from './soak/run';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    size: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    service: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    'keep-database': { type: 'boolean', default: false },
  },
});

async function main() {
  const cycles = z.coerce.number().int().min(1).parse(values.cycles);
  const seed = z.coerce.number().int().min(0).parse(values.seed);
  const size = values.size === undefined ? undefined : z.coerce.number().int().min(1).parse(values.size);
  const workers = z.coerce.number().int().min(1).max(16).parse(values.workers);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const log = values.verbose ? (line: string) => process.stderr.write(`[${elapsed()}] ${line}\n`) : undefined;
  const { verdict, killed, cleanCycles, problems, stops } = await runSoak({
    cycles,
    seed,
    ...(size && { size }),
    ...(log && { log }),
    ...(values.service && { service: { workers, keepDatabase: values['keep-database'] } }),
  });
  const details = [
    ...problems.map((p) => `log: ${p}`),
    ...verdict.lost.map((l) => `lost: ${l}`),
    ...verdict.duplicated.map((d) => `duplicated: ${d}`),
    ...verdict.drifted.map((d) => `drifted: ${d}`),
  ];
  for (const line of details.slice(0, Number(process.env.SOAK_DETAILS ?? 200)))
    process.stderr.write(`${line}\n`);
  if (values.verbose) for (const line of verdict.failed) process.stderr.write(`failed (allowed): ${line}\n`);
  for (const [kind, n] of groups(details)) process.stderr.write(`${String(n).padStart(6)} × ${kind}\n`);
  if (details.length > Number(process.env.SOAK_DETAILS ?? 200))
    process.stderr.write(`… and ${details.length - Number(process.env.SOAK_DETAILS ?? 200)} more\n`);
  process.stderr.write(
    `seed ${seed}${size ? `, large seed of ${size} leads` : ', demo seed'}: ${cycles} chaos cycles (${
      stops
        ? `service on ${workers} worker processes: ${stops.SIGKILL} SIGKILL, ${stops.SIGTERM} SIGTERM`
        : `${killed} workers killed`
    }), ${cleanCycles} clean; ${verdict.failed.length} records shown Failed with a reason; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  process.stdout.write(`${verdictLine(verdict)}\n`);
  process.exit(isClean(verdict) && problems.length === 0 ? 0 : 1);
}

/** "drifted: Lead 00Q… shown synced: Title …" → counts per category, object and first field. */
function groups(details: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of details) {
    const [kind, rest = ''] = line.split(': ', 2);
    const object =
      /^(Lead|Contact|Account|activity|Opportunity\w*|User|Subscription__c|Marketo \w+)/.exec(rest)?.[1] ??
      '';
    const field =
      /(?:synced|pending|failed|unknown|excluded): (\w+)/.exec(line)?.[1] ??
      /is shown (\w+)|has no \w+ \w+|still linked|Tasks|no Task/.exec(line)?.[0] ??
      '';
    const key = `${kind} ${object} ${field}`.trim();
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

main().catch((error) => {
  process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
