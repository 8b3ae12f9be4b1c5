// The emulator's clock. Everything time-dependent (SystemModstamp, replication windows, token
// and session lifetimes, daily allowances) reads it, so tests can move time forward.

export class Clock {
  private offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  now(): number {
    return this.source() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Jump to an absolute time; the clock keeps ticking from there. */
  set(ms: number): void {
    this.offsetMs = ms - this.source();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
