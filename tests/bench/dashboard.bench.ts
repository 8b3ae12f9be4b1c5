// Dashboard speed and size (issue 18, docs/dashboard.md), in real Chromium with the built extension
// and the popup bench's full log — 5 days of 5-minute cycles (1,440 cycles, 14,400 steps) and
// 100,000 failures — plus the metric rows those cycles write (one per cycle, the backlog fetched
// every 12th: hourly):
// - first paint: navigation start to the first frame with the sync history's rows and the metric
//   sections filled, the backlog chart drawn (≤ 300 ms), median of 5 loads;
// - the gzipped size of the chart's chunk (uPlot), which only the dashboard loads, as it opens but
//   after its first chunks; and of what the dashboard loads at open and later.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchWithExtension, TEST_BUILD_DIR } from '../../scripts/browser';
import { bundleSizes, fillLog } from './popup.bench';
import { atMost, type BenchRow, info, median } from './table';

const GROUP = 'dashboard';
const CYCLES = 1440;
const RUNS = 5;

/**
 * One metric row per cycle of fillLog's log, as lib/sync/cycleMetrics.ts writes them: keys numbered
 * in the dictionary (lib/db/metricKeys.ts), counts as flat pairs. Every cycle syncs records of
 * every object both ways and changes a few fields of each (a busy org; an idle cycle's row is empty).
 */
export async function fillMetrics(page: Page): Promise<void> {
  await page.evaluate(
    async ({ cycles }) => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('sync-log');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const now = Date.now();
      const objects = ['Person', 'Contact', 'Account', 'Campaign', 'Campaign Member', 'Task'];
      const fields = ['Title', 'Phone', 'Email', 'LeadSource', 'Status', 'mkto71_Lead_Score__c'];
      const keys: string[] = [];
      const numberOf = (key: string) => {
        const n = keys.indexOf(key);
        return n >= 0 ? n : keys.push(key) - 1;
      };
      const rows: unknown[] = [];
      for (let c = 0; c < cycles; c++) {
        const synced: number[] = [];
        const changed: number[] = [];
        const backlog: number[] = [];
        for (const [i, object] of objects.entries())
          for (const direction of ['toMarketo', 'toSalesforce']) {
            const key = numberOf(`${object}|${direction}`);
            const n = (c * 7 + i * 13) % 40;
            synced.push(key, n);
            for (const [j, field] of fields.entries())
              if (object === 'Person' || j < 3)
                changed.push(numberOf(`${object}|${direction}|${field}`), (n * (j + 1)) % 17);
            if (c % 12 === 0)
              backlog.push(
                key,
                direction === 'toMarketo'
                  ? Math.round(500 + 400 * Math.sin((c + i * 50) / 200))
                  : (c + i * 31) % 90,
              );
          }
        rows.push({
          id: c + 1,
          kind: 'cycle',
          at: now - (cycles - c) * 300_000,
          cycleId: c + 1,
          synced,
          updated: synced,
          handled: synced,
          fields: changed,
          api: { salesforce: 3, marketo: 2, salesforceOrgUsed: 1000 + c, salesforceOrgMax: 100_000 },
          ...(c % 12 === 0 && { backlog }),
        });
      }
      await new Promise<void>((ok, fail) => {
        const tx = db.transaction(['metrics', 'cursors'], 'readwrite');
        for (const row of rows) tx.objectStore('metrics').put(row);
        const lastFetch = now - (cycles % 12 || 12) * 300_000;
        tx.objectStore('cursors').put({
          key: 'metrics:backlog-fetched',
          value: new Date(lastFetch).toISOString(),
          updatedAt: lastFetch,
        });
        tx.objectStore('cursors').put({ key: 'metrics:keys', value: JSON.stringify(keys), updatedAt: now });
        tx.oncomplete = () => ok();
        tx.onerror = () => fail(tx.error);
      });
      db.close();
    },
    { cycles: CYCLES },
  );
}

/** Milliseconds from navigation start to the first frame with the history rows and the drawn sections. */
async function firstPaint(page: Page): Promise<number> {
  await page.reload();
  return page.evaluate(
    () =>
      new Promise<number>((ok) => {
        const check = () => {
          const metrics = performance.getEntriesByName('metrics-painted')[0];
          if (metrics && document.querySelector('table.steps tbody tr')) ok(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
}

export async function run(): Promise<BenchRow[]> {
  // Measures the dashboard as it is now: build it first (the test build the browser tests use).
  try {
    execSync('npx wxt build --mode test', { cwd: resolve(import.meta.dirname, '../..'), stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the test build failed:\n${`${stdout ?? ''}${stderr ?? ''}`.slice(-2000)}`);
  }
  const sizes = bundleSizes(TEST_BUILD_DIR, 'dashboard.html');
  const chart = sizes.files.find((f) => /uPlot/.test(f));
  if (!chart) throw new Error(`no chart chunk among the dashboard's chunks: ${sizes.files.join(', ')}`);
  const chartBytes = gzipSync(readFileSync(join(TEST_BUILD_DIR, chart)), { level: 9 }).length;
  const ext = await launchWithExtension();
  try {
    // tsx compiles the functions passed to page.evaluate with esbuild's keepNames, which calls a
    // `__name` helper that only exists in Node.
    await ext.context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const page = await ext.openPage('dashboard.html');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForSelector('.metrics');
    await fillLog(page);
    await fillMetrics(page);
    await firstPaint(page); // warm-up: the first open after the fill also pays IndexedDB's cold start
    const paints: number[] = [];
    for (let i = 0; i < RUNS; i++) paints.push(await firstPaint(page));
    const shown = await page.locator('.throughput tbody tr').count();
    if (shown === 0) throw new Error('the throughput table showed no rows');
    return [
      atMost(
        GROUP,
        `first paint, history rows and metric sections with the chart drawn (${CYCLES} cycles, 100,000 failures), median of ${RUNS}`,
        median(paints),
        'ms',
        300,
      ),
      info(GROUP, 'first paint, slowest', Math.max(...paints), 'ms'),
      info(
        GROUP,
        `lazy chart chunk gzipped (${chart}, loaded by the dashboard only)`,
        chartBytes / 1024,
        'KB',
      ),
      info(GROUP, 'chunks loaded at open, gzipped', sizes.atOpen / 1024, 'KB'),
      info(GROUP, 'chunks loaded later (chart, settings), gzipped', (sizes.all - sizes.atOpen) / 1024, 'KB'),
    ];
  } finally {
    await ext.close();
  }
}
