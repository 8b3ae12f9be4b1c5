// One row of `npm run bench`: a figure, its value, the target and whether it is met.
export interface BenchRow {
  /** Which issue's target, e.g. "emulator", "clients", "engine". */
  group: string;
  figure: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≥ 20000" or "≤ 1.2". */
  target: string;
  /** value / target, oriented so that ≥ 1 means met for "≥" targets and ≤ 1 for "≤" targets. */
  ratio: number | null;
  pass: boolean;
}

export function atLeast(group: string, figure: string, value: number, unit: string, min: number): BenchRow {
  return { group, figure, value, unit, target: `≥ ${min}`, ratio: value / min, pass: value >= min };
}

export function atMost(group: string, figure: string, value: number, unit: string, max: number): BenchRow {
  // A zero target ("no 606 errors") has no meaningful ratio.
  return {
    group,
    figure,
    value,
    unit,
    target: `≤ ${max}`,
    ratio: max === 0 ? null : value / max,
    pass: value <= max,
  };
}

export function info(group: string, figure: string, value: number, unit: string): BenchRow {
  return { group, figure, value, unit, target: '—', ratio: null, pass: true };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A benchmark module exports `run(): Promise<BenchRow[]>` and is listed in tests/bench/run.ts. */
export type Bench = () => Promise<BenchRow[]>;
