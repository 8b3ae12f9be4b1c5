// The soak against the service (`npm run soak -- --service`, scripts/soak/serviceWorld.ts), short:
// the demo seed's org added with add-org, two worker processes running its cycles as pg-boss jobs,
// user edits and faults between cycles, and the worker running the first sync killed with SIGKILL
// 0.6 s into it (seed 30: the first round draws a kill, and the soak's second generator a moment
// early in the run, when the first sync still has seconds to go). pg-boss hands the job to the
// other worker once its heartbeat stops, the engine takes the dead worker's lease over and resumes;
// then clean cycles until quiet, and the oracle reads the org's PostgreSQL log and both systems.
import { expect, it } from 'vitest';
import { runSoak } from '../../scripts/soak/run';
import { databaseUrl } from '../support/postgresUrl';

it('prints lost 0, duplicated 0, drifted 0 with a worker process killed mid-sync', async () => {
  process.env.DATABASE_URL = databaseUrl();
  const lines: string[] = [];
  const result = await runSoak({ cycles: 2, seed: 30, service: { workers: 2 }, log: (l) => lines.push(l) });
  const tail = () => lines.slice(-40).join('\n');
  expect(result.stops, tail()).toEqual({ SIGKILL: 1, SIGTERM: 0 });
  // The killed cycle was resumed by another worker process (the soak counts it as killed).
  expect(result.killed).toBe(1);
  expect(lines.some((l) => /SIGKILL to worker:\d+:/.test(l))).toBe(true);
  expect(result.problems, tail()).toEqual([]);
  expect(result.verdict.records).toBeGreaterThan(3000);
  expect(result.verdict.lost, tail()).toEqual([]);
  expect(result.verdict.duplicated, tail()).toEqual([]);
  expect(result.verdict.drifted, tail()).toEqual([]);
}, 150_000);
