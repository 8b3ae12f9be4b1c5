// The metric rows' key dictionary (lib/db/types.ts MetricRow): every key a row counts under
// (`Person|toMarketo`, `Person|toMarketo|Title`…) gets a number the first time it is written, kept
// in one cursor row, append-only, so that a number always names the same key. The rows hold
// numbers only (the dashboard reads them at twice the speed of rows of key strings).
import type { LogDatabase } from './logPort';
import type { CycleMetrics, CycleMetricsRecord, MetricRow } from './types';

export const METRIC_KEYS_KEY = 'metrics:keys';

/**
 * The dictionary as stored (index = key number). Text this code cannot read counts as empty: the
 * writer then numbers keys anew and its rows stay readable; rows written before under the lost
 * dictionary read as counting nothing (their numbers name no key).
 */
export function parseKeys(value: string | undefined): string[] {
  try {
    const keys: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? keys : [];
  } catch {
    return [];
  }
}

export async function readMetricKeys(db: LogDatabase): Promise<string[]> {
  return parseKeys((await db.cursors.get(METRIC_KEYS_KEY))?.value);
}

/** Numbers the keys of `metrics` (adding new ones to `keys`) and packs it into a row. */
export function encodeMetrics(metrics: CycleMetricsRecord, keys: string[]): Omit<MetricRow, 'id'> {
  const numbers = new Map(keys.map((k, i) => [k, i]));
  const numberOf = (key: string) => {
    let n = numbers.get(key);
    if (n === undefined) {
      n = keys.push(key) - 1;
      numbers.set(key, n);
    }
    return n;
  };
  const pairs = (counts: Record<string, number>) => {
    const out: number[] = [];
    for (const key in counts) out.push(numberOf(key), counts[key]!);
    return out;
  };
  return {
    kind: 'cycle',
    at: metrics.at,
    cycleId: metrics.cycleId,
    synced: pairs(metrics.synced),
    updated: pairs(metrics.updated),
    handled: pairs(metrics.handled),
    fields: pairs(metrics.fields),
    api: metrics.api,
    ...(metrics.backlog && { backlog: pairs(metrics.backlog) }),
    ...(metrics.backlogCapped && { backlogCapped: metrics.backlogCapped.map(numberOf) }),
    ...(metrics.backlogError !== undefined && { backlogError: metrics.backlogError }),
  };
}

/** The dictionary as a reader uses it: key by number, number by key. */
export interface MetricKeys {
  list: readonly string[];
  numbers: ReadonlyMap<string, number>;
}

export const metricKeysOf = (list: readonly string[]): MetricKeys => ({
  list,
  numbers: new Map(list.map((k, i) => [k, i])),
});

/**
 * One count map of a row, read in place from its pairs. Decoding every row of a window into plain
 * objects cost most of the dashboard's first paint (~80 ms for 1,440 rows, cold code); this costs
 * an object per map, and a lookup is a scan of the row's few dozen numbers.
 */
export class Counts {
  constructor(
    private readonly pairs: readonly number[],
    private readonly keys: MetricKeys,
  ) {}

  /** Counts given by key (a test's or a writer's), with a dictionary of their own. */
  static of(record: Readonly<Record<string, number>>): Counts {
    const list = Object.keys(record);
    return new Counts(
      list.flatMap((key, i) => [i, record[key]!]),
      metricKeysOf(list),
    );
  }

  get(key: string): number | undefined {
    const n = this.keys.numbers.get(key);
    if (n === undefined) return undefined;
    for (let i = 0; i + 1 < this.pairs.length; i += 2) if (this.pairs[i] === n) return this.pairs[i + 1];
    return undefined;
  }

  /** Each count with its key; numbers the dictionary does not name are left out. */
  each(each: (key: string, count: number) => void): void {
    for (let i = 0; i + 1 < this.pairs.length; i += 2) {
      const key = this.keys.list[this.pairs[i]!];
      if (key !== undefined) each(key, this.pairs[i + 1]!);
    }
  }

  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    this.each((key, n) => {
      out[key] = n;
    });
    return out;
  }
}

/** A row as the dashboard reads it: its counts in place (Counts), its capped keys named. */
export function decodeMetrics(row: MetricRow, keys: MetricKeys): CycleMetrics {
  const capped = row.backlogCapped?.flatMap((n) => (keys.list[n] === undefined ? [] : [keys.list[n]!]));
  return {
    at: row.at,
    cycleId: row.cycleId,
    synced: new Counts(row.synced, keys),
    updated: new Counts(row.updated, keys),
    handled: new Counts(row.handled, keys),
    fields: new Counts(row.fields, keys),
    api: row.api,
    ...(row.backlog && { backlog: new Counts(row.backlog, keys) }),
    ...(capped && capped.length > 0 && { backlogCapped: capped }),
    ...(row.backlogError !== undefined && { backlogError: row.backlogError }),
  };
}

/** The metrics with plain count maps again (tests, exports). */
export function recordOf(metrics: CycleMetrics): CycleMetricsRecord {
  const { synced, updated, handled, fields, backlog, ...rest } = metrics;
  return {
    ...rest,
    synced: synced.toRecord(),
    updated: updated.toRecord(),
    handled: handled.toRecord(),
    fields: fields.toRecord(),
    ...(backlog && { backlog: backlog.toRecord() }),
  };
}
