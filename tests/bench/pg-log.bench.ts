// PostgreSQL log write speed (issue 21): the engine's own per-batch commit (lease check and
// writeBatch: outcomes, failures, sync states, cursor, one transaction) into the PostgreSQL log, on
// the same seeded history and outcome mix as the Chromium log bench (log.bench.ts): commits per
// second of 300-record batches. The service writes every batch this way; design §9's log target
// (≥ 20,000 records/s) is ≥ 67 such commits per second.
import { Pool } from 'pg';
import { dropPostgresLog, openPostgresLog } from '../../lib/db/pg';
import { startPostgres } from '../../scripts/postgres';
import { PER_BATCH, RUNS, runOptions, SEED } from './log.bench';
import { counts, runStep, seed } from './logWritePage';
import { atLeast, type BenchRow, info, median } from './table';

const GROUP = 'service';

export async function run(): Promise<BenchRow[]> {
  const server = await startPostgres();
  const pool = new Pool({ connectionString: server.url, max: 4 });
  const name = `bench_pg_log_${process.pid}`;
  try {
    const db = await openPostgresLog(pool, name);
    const seeded = await seed(SEED, db);
    const perSecond: number[] = [];
    const perBatch: number[] = [];
    let total = 0;
    for (let r = 0; r < RUNS; r++) {
      const options = runOptions(r);
      const { commitMs, records } = await runStep(options);
      const sum = commitMs.reduce((s, v) => s + v, 0);
      perSecond.push(commitMs.length / (sum / 1000));
      perBatch.push(median(commitMs));
      total += records;
    }
    const rows = await counts();
    return [
      atLeast(
        GROUP,
        `PostgreSQL log: ${PER_BATCH}-record batch commits per second (engine's commit, ${total.toLocaleString('en-US')} records, median of ${RUNS} runs)`,
        median(perSecond),
        'commits/s',
        Math.ceil(20_000 / PER_BATCH),
      ),
      info(GROUP, 'PostgreSQL log: ms per 300-record batch commit, median', median(perBatch), 'ms'),
      info(
        GROUP,
        `PostgreSQL log before the runs: ${SEED.knownRecords.toLocaleString('en-US')} known records, ${SEED.eventRows} event rows (seed)`,
        seeded.ms / 1000,
        's',
      ),
      info(GROUP, 'PostgreSQL log: batch rows after the runs', rows.recordEvents ?? 0, 'rows'),
    ];
  } finally {
    await dropPostgresLog(pool, name).catch(() => {});
    await pool.end();
    await server.stop();
  }
}
