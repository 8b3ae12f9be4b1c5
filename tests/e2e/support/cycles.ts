import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { readLastCycle, sendFromPage } from '../../../scripts/emulatorSession';

export type FinishedCycle = NonNullable<Awaited<ReturnType<typeof readLastCycle>>['cycle']>;

/**
 * Starts a cycle with Sync now (as the popup's button does) and waits for the worker's log to show
 * it ended; returns that cycle and its steps.
 */
export async function runCycle(page: Page, timeout = 90_000) {
  const before = (await readLastCycle(page)).cycle?.id ?? 0;
  const answer = (await sendFromPage(page, 'syncNow')) as { ok: boolean; value?: { status: string } };
  expect(answer.value?.status, JSON.stringify(answer)).toBe('started');
  await expect
    .poll(
      async () => {
        const { cycle } = await readLastCycle(page);
        return cycle && cycle.id > before && cycle.endedAt !== null;
      },
      { timeout, interval: 250 },
    )
    .toBe(true);
  return readLastCycle(page) as Promise<{ cycle: FinishedCycle; steps: Record<string, unknown>[] }>;
}
