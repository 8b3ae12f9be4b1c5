// `npm run service`: N worker processes (each `service worker`, so a crash or kill -9 takes one
// worker, not all) and the status API in this process. A worker that dies is started again after a
// pause; SIGTERM/SIGINT is passed to every worker, each finishes its batch in flight, then this
// process exits 0 (non-zero if a worker did not stop cleanly).
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { openOrgLog } from '../../lib/service/orgLog';
import { startStatusService } from '../../lib/service/statusService';

const RESTART_DELAY_MS = 2000;
const root = resolve(import.meta.dirname, '../..');

export interface SupervisorOptions {
  databaseUrl: string;
  workers: number;
  status: { host: string; port: number };
  /** Printed once everything is up (the demo adds where to look). */
  onReady?: (statusUrl: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runSupervisor(options: SupervisorOptions): Promise<number> {
  const say = (line: string) => process.stderr.write(`service: ${line}\n`);
  const status = await startStatusService({
    databaseUrl: options.databaseUrl,
    ...options.status,
    openLog: openOrgLog,
    log: say,
  });
  let stopping = false;
  let failed = false;
  const children = new Set<ChildProcess>();
  const start = (n: number) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/service.ts', 'worker'], {
      cwd: root,
      env: { ...process.env, ...options.env, DATABASE_URL: options.databaseUrl },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.add(child);
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (stopping) {
        if (code !== 0) failed = true;
        return;
      }
      say(`worker ${n} (pid ${child.pid}) ended (${signal ?? `exit ${code}`}); starting it again`);
      setTimeout(() => !stopping && start(n), RESTART_DELAY_MS);
    });
  };
  for (let n = 1; n <= options.workers; n++) start(n);
  say(`${options.workers} workers started; status API at ${status.url}/v1/orgs/:org/state`);
  options.onReady?.(status.url);
  await new Promise<void>((done) => {
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  stopping = true;
  say('stopping: each worker finishes its batch in flight');
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    ),
  );
  await status.stop();
  return failed ? 1 : 0;
}
