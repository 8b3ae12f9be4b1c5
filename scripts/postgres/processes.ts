// Small process and port helpers for scripts/postgres/cluster.ts.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits until the postmaster has gone: its pid file removed (it deletes it last on a clean
 * shutdown; in a container whose pid 1 does not reap, the exited process lingers as a zombie, so
 * the file is the better sign) or the process gone.
 */
export async function waitForExit(pid: number, pidFile: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!existsSync(pidFile) || !isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
