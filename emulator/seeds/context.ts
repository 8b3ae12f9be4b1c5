// What a seed needs: the org, the Marketo store, a seeded PRNG and "now".
import type { MarketoStore } from '../marketo';
import type { SalesforceOrg } from '../salesforce/org';

export interface SeedContext {
  org: SalesforceOrg;
  marketoStore: MarketoStore;
  rng: () => number;
  now: number;
}

export interface SeedSummary {
  seed: string;
  salesforce: Record<string, number>;
  marketoPersons: number;
}

const DAY = 86_400_000;

/** A whole-second time up to `maxDays` before now (and at least `minDays`). */
export function daysAgo(ctx: SeedContext, maxDays: number, minDays = 0): number {
  const span = (maxDays - minDays) * DAY;
  return Math.floor((ctx.now - minDays * DAY - ctx.rng() * span) / 1000) * 1000;
}

export function between(ctx: SeedContext, from: number, to: number): number {
  return Math.floor((from + ctx.rng() * Math.max(0, to - from)) / 1000) * 1000;
}

export function countRecords(ctx: SeedContext): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, table] of ctx.org.store.tables) if (table.records.size) out[name] = table.records.size;
  return out;
}
