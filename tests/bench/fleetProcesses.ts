// The fleet bench's processes (service-fleet.bench.ts): the emulators' host, and the CPU time of a
// set of processes read from /proc, to tell what a window of idle cycles spends its time on.
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import type { EmulatorInfo } from '../../emulator/index';
import { startJsonLineChild } from './childEmulator';

export async function startFleetEmulators(count: number) {
  const child = await startJsonLineChild<EmulatorInfo[]>('tests/bench/fleetEmulators.ts', [String(count)]);
  return { infos: child.info, pid: child.pid, stop: child.stop };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds each process has used so far (none for one that is gone). */
export function cpuByPid(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      // The fields after the command name (which may hold spaces): utime and stime are 14 and 15.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {
      // Ended: its time is no longer readable.
    }
  }
  return out;
}

/**
 * CPU seconds used between two readings: the processes alive at the end, less what each had at the
 * start (0 for one started since). A process that ended within the window is not counted.
 */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, s] of after) sum += s - (before.get(pid) ?? 0);
  return sum;
}

/**
 * The PostgreSQL processes serving the bench: the throwaway server's postmaster and its children,
 * or, on a server of DATABASE_URL's, the backends connected to the bench's database.
 */
export async function postgresPids(postmaster: number | undefined, pool: pg.Pool): Promise<number[]> {
  if (postmaster !== undefined) {
    const children = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [postmaster, ...children];
  }
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  return rows.map((r) => r.pid);
}
