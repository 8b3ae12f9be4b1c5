// The soak's simulated time shared between processes (`npm run soak -- --service`): the soak
// process (its emulator, its edits) and every worker process read one clock. It is the system clock
// plus an offset kept in a file, so time flows as it does in real life, and moves forward when
// the soak skips ahead (a retry back-off come due, the next day) or a worker sleeps: a client's
// back-off, Marketo's 20-second rate-limit pause or the engine's wait for the next second then cost
// no wall time, as in the in-process soak (world.ts). The clock is read synchronously (ClockPort's
// now()), hence a file rather than a message; it is written by replacing the file (rename), so a
// reader sees the old or the new offset, never half of one. Only one process moves it at a time:
// the soak between cycles, the one worker running the org's cycle during one.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ClockPort } from '../../lib/http/ports';

export interface SharedClock extends ClockPort {
  readonly file: string;
  advance(ms: number): void;
}

export function sharedClock(file: string): SharedClock {
  const offset = () => Number(readFileSync(file, 'utf8'));
  const advance = (ms: number) => {
    const next = `${file}.${process.pid}`;
    writeFileSync(next, String(offset() + Math.max(0, ms)));
    renameSync(next, file);
  };
  return {
    file,
    now: () => Date.now() + offset(),
    advance,
    sleep: async (ms) => {
      advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** A new shared clock in `file` that reads `startAt` now. */
export function createSharedClock(file: string, startAt: number): SharedClock {
  writeFileSync(file, String(startAt - Date.now()));
  return sharedClock(file);
}
