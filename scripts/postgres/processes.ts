// Small process and port helpers for scripts/postgres/cluster.ts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { ServerUser } from './serverUser';

export interface ProgramResult {
  code: number | null;
  /** stdout and stderr interleaved, as a person would have seen them. */
  output: string;
}

/** Runs a server program (as `user` when given) and collects its output; never throws on exit code. */
export function runProgram(
  file: string,
  args: readonly string[],
  user: ServerUser | undefined,
): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // English messages, whatever the machine's locale: the port-busy check reads them.
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      ...(user && { uid: user.uid, gid: user.gid }),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A port nobody listens on at this instant (the OS picks it). Another process may still take it
 * before the server binds it: cluster.ts retries on "Address already in use". */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The process exists and has not exited: a zombie (exited, never reaped) counts as gone. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // After pg_ctl exits, the postmaster's parent is whatever reaps orphans; a container whose pid 1
  // never reaps leaves it a zombie after shutdown, which kill(pid, 0) still finds.
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    const text = readFileSync(stat, 'utf8');
    // "pid (comm) state …": comm may itself hold ") ".
    const state = text.slice(text.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Waits until the process has exited (or is a zombie); false on timeout. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
