// Log write speed (design §6 write budget, §9 "Log: ≥ 20,000 records/s written in Chromium; ≤ 10 %
// of cycle time"), in real Chromium with the built test extension. The page side
// (logWritePage.ts) is bundled with esbuild from the real lib/db and lib/sync code and evaluated in
// an extension page, so it writes the extension's own `sync-log` database through the engine's own
// per-batch commit (lease check + writeBatch, sync states in the batch row, one transaction). The log is first
// seeded with a few days of data; then each run is one step of 300-record batches with a Push
// Updates-like outcome mix (40 % new, 10 % skipped, 2 % failed, 2 % excluded, the rest updated),
// the known records drawn at random from the whole history. A run stops
// early once its commits took MAX_COMMIT_MS_PER_RUN, so a slow write path still ends in ~1 minute;
// the records/s row says how many records were actually written.

import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchWithExtension, TEST_BUILD_DIR } from '../../scripts/browser';
import { bundlePage } from './bundlePage';
import type { RunOptions, SeedOptions } from './logWritePage';
import { atLeast, atMost, type BenchRow, info, median } from './table';

const GROUP = 'log';
export const PER_BATCH = 300;
export const RUNS = 3;
export const BATCHES_PER_RUN = 112; // 3 × 112 × 300 = 100,800 records
/** Per run, stop after this much commit time (at least MIN_BATCHES) so a slow write path still ends. */
export const MAX_COMMIT_MS_PER_RUN = 8_000;
export const MIN_BATCHES = 1; // 3 × 112 × 300 = 100,800 records
// A few days of a mid-size org: 60,000 synced leads, 500 packed event rows (150,000 outcomes).
export const SEED: SeedOptions = { knownRecords: 60_000, eventRows: 500, recordsPerBatch: PER_BATCH };
export const MIX: RunOptions['mix'] = { new: 0.4, skipped: 0.1, failed: 0.02, excluded: 0.02 };
/** Marketo's ceiling: 100 calls per 20 s, one 300-record write per call → 200 ms per batch. */
const CALL_SLOT_MS = 20_000 / 100;

/** What logWritePage.ts puts on the page's globalThis. */
type Bench = {
  logBench: {
    seed(o: SeedOptions): Promise<{ ms: number }>;
    runStep(o: RunOptions): Promise<{ commitMs: number[]; records: number }>;
    counts(): Promise<Record<string, number>>;
  };
};

/** The r-th run's options: the same for the Chromium log and the PostgreSQL log (pg-log.bench.ts). */
export const runOptions = (r: number): RunOptions => ({
  batches: BATCHES_PER_RUN,
  maxCommitMs: MAX_COMMIT_MS_PER_RUN,
  minBatches: MIN_BATCHES,
  recordsPerBatch: PER_BATCH,
  knownRecords: SEED.knownRecords,
  mix: MIX,
  seed: 17 + r,
});

const pageBundle = () => bundlePage('logWritePage.ts');

export async function run(): Promise<BenchRow[]> {
  // Any extension page gives the extension's origin; the code measured is the bundle, so an
  // existing test build is enough (popup.bench.ts rebuilds it anyway).
  if (!existsSync(join(TEST_BUILD_DIR, 'manifest.json'))) {
    execSync('npx wxt build --mode test', { cwd: resolve(import.meta.dirname, '../..'), stdio: 'pipe' });
  }
  const code = await pageBundle();
  const ext = await launchWithExtension();
  try {
    // The options page never opens the log, so no live query re-renders while we write.
    const page = await ext.openPage('options.html');
    // tsx compiles the functions passed to page.evaluate with keepNames (a Node-only `__name`).
    await page.evaluate(`globalThis.__name = (f) => f; ${code}`);
    const seeded = await page.evaluate((o) => (globalThis as unknown as Bench).logBench.seed(o), SEED);
    const runs: { recordsPerSecond: number; msPerBatch: number; p95: number }[] = [];
    let total = 0;
    for (let r = 0; r < RUNS; r++) {
      const options = runOptions(r);
      const { commitMs, records } = await page.evaluate(
        (o) => (globalThis as unknown as Bench).logBench.runStep(o),
        options,
      );
      const sum = commitMs.reduce((s, v) => s + v, 0);
      const sorted = [...commitMs].sort((a, b) => a - b);
      runs.push({
        recordsPerSecond: records / (sum / 1000),
        msPerBatch: median(commitMs),
        p95: sorted[Math.floor(sorted.length * 0.95)]!,
      });
      total += records;
    }
    const counts = await page.evaluate(() => (globalThis as unknown as Bench).logBench.counts());
    const perBatch = median(runs.map((r) => r.msPerBatch));
    return [
      atLeast(
        GROUP,
        `records/s written (engine's batch commit, ${PER_BATCH}-record batches, ${total.toLocaleString('en-US')} records, median of ${RUNS} runs)`,
        median(runs.map((r) => r.recordsPerSecond)),
        'records/s',
        20_000,
      ),
      atMost(
        GROUP,
        `log share of cycle time at Marketo's ceiling (ms per batch ÷ ${CALL_SLOT_MS} ms call slot)`,
        perBatch / CALL_SLOT_MS,
        '',
        0.1,
      ),
      info(GROUP, 'ms per 300-record batch commit, median', perBatch, 'ms'),
      info(GROUP, 'ms per batch commit, 95th percentile', median(runs.map((r) => r.p95)), 'ms'),
      info(
        GROUP,
        `log before the runs: ${SEED.knownRecords.toLocaleString('en-US')} known records, ${SEED.eventRows} event rows (seed, setup only)`,
        seeded.ms / 1000,
        's',
      ),
      info(GROUP, 'batch rows (outcomes + sync states) after the runs', counts.recordEvents ?? 0, 'rows'),
      info(GROUP, 'failure rows after the runs', counts.failureRows ?? 0, 'rows'),
    ];
  } finally {
    await ext.close();
  }
}
