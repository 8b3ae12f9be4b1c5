// Seed registry: `empty` (users only), `demo` and `large` (--size N).
import { mulberry32 } from '../rng';
import type { SeedContext, SeedSummary } from './context';
import { seedDemo } from './demo';
import { seedLarge } from './large';

export type SeedName = 'empty' | 'demo' | 'large';
export const SEED_NAMES: readonly SeedName[] = ['empty', 'demo', 'large'];

export function applySeed(
  base: Omit<SeedContext, 'rng'>,
  name: SeedName,
  size: number,
  rngSeed: number,
  /** `large`: members of one campaign (the first N leads). */
  members = 0,
  /** `large`: opportunities with two contact roles each (seeds/largeSales.ts). */
  opportunities = 0,
): SeedSummary {
  const ctx: SeedContext = { ...base, rng: mulberry32(rngSeed) };
  if (name === 'demo') return seedDemo(ctx);
  if (name === 'large') return seedLarge(ctx, size, members, opportunities);
  return { seed: 'empty', salesforce: {}, marketoPersons: 0 };
}

export type { SeedSummary } from './context';
