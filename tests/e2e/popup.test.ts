import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounters } from '../../lib/db/types';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { putRows } from './support/idb';
import { screenshotPath } from './support/screenshots';

describe('popup', () => {
  let ext: LoadedExtension;
  beforeAll(async () => {
    ext = await launchWithExtension();
  });
  afterAll(async () => {
    await ext?.close();
  });

  it('says "No sync cycles yet" on an empty log', async () => {
    const page = await ext.openPage('popup.html');
    await expect.poll(() => page.textContent('body')).toContain('No sync cycles yet');
    await page.close();
  });

  it('lists the cycles and steps in the extension database, newest first', async () => {
    const page = await ext.openPage('popup.html');
    await page.waitForSelector('.empty');
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    const step = (id: number, cycleId: number, operation: string, objectType: string, offset: number) => ({
      ...emptyCounters(),
      id,
      cycleId,
      operation,
      objectType,
      status: 'Completed',
      startedAt: t0 + offset,
      endedAt: t0 + offset + 500,
      endSort: t0 + offset + 500,
    });
    await putRows(page, {
      cycles: [
        {
          id: 1,
          trigger: 'schedule',
          startedAt: t0,
          endedAt: t0 + 2000,
          status: 'Completed',
          totals: emptyCounters(),
          apiCalls: { salesforce: 3, marketo: 2 },
        },
        {
          id: 2,
          trigger: 'manual',
          startedAt: t0 + 300_000,
          endedAt: null,
          status: 'In Process',
          totals: emptyCounters(),
          apiCalls: { salesforce: 1, marketo: 0 },
        },
      ],
      steps: [
        step(1, 1, 'Sync Schema', 'Person', 0),
        { ...step(2, 1, 'Pull Updates', 'Person', 1000), new: 12, updated: 5, failed: 2, skipped: 7 },
        {
          ...step(3, 2, 'Pull Updates', 'Account', 300_000),
          status: 'In Process',
          endedAt: null,
          endSort: Number.POSITIVE_INFINITY,
        },
      ],
    });
    await page.reload();
    await page.waitForSelector('[data-cycle-id="2"]');
    const cycleIds = await page.$$eval('[data-cycle-id]', (els) =>
      els.map((e) => e.getAttribute('data-cycle-id')),
    );
    expect(cycleIds).toEqual(['2', '1']);
    const headers = await page.$$eval('[data-cycle-id="1"] th', (els) => els.map((e) => e.textContent));
    expect(headers).toEqual([
      'Started At',
      'Ended At',
      'Object',
      'Operation',
      'Status',
      'New',
      'Updated',
      'Deleted',
      'Failed',
      'Skipped',
    ]);
    const pull = await page.$$eval('[data-step-id="2"] td', (els) => els.map((e) => e.textContent));
    expect(pull.slice(2)).toEqual(['Lead', 'Pull Updates', 'Completed', '12', '5', '0', '2', '7']);
    expect(await page.textContent('[data-step-id="3"]')).toContain('In Process');
    await page.screenshot({ path: screenshotPath('popup-foundation.png') });
    await page.close();
  });
});
