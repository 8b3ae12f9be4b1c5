// A worker as a child process whose output is kept (the service tests, the service soak): a real
// process, so that it can be stopped with SIGKILL or SIGTERM like a deployed worker.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr, in chunks. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node [nodeArgs] --import tsx <script> [args]` in the repository (default:
 * `scripts/service.ts worker`) with `env` added to this process's environment.
 */
export function spawnWorker(
  env: NodeJS.ProcessEnv,
  script: readonly string[] = ['scripts/service.ts', 'worker'],
  nodeArgs: readonly string[] = [],
): WorkerProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output, exited };
}
