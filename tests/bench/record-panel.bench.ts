// Record panel speed and size (design §9), in real Chromium with the built extension:
// - page load → panel shown: a synced lead's Lightning-like record page on the emulator, after a
//   real cycle (so the background also makes its live "changed since?" check); measured in the
//   page from DOMContentLoaded (a document_idle content script cannot start earlier) to the
//   panel's first state other than "loading" (its User Timing mark: the panel is in a closed shadow
//   root) (≤ 150 ms), medians of 9 loads;
// - the status lookup of one record with 1,000,000 packed outcomes in recordEvents (3,334 batch
//   rows of 300 ids with their sync states, multi-entry `*sfIds`, as the engine writes them, design
//   §6): the same index reads lib/db/recordStatus makes (newest 20 rows under each of the record's
//   two keys, plus its flags row), raw
//   IndexedDB in an extension page (≤ 5 ms), and the whole getRecordStatus message as info;
// - the content script's gzipped size (≤ 30 KB).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { startEmulator } from '../../emulator/index';
import { PANEL_SHOWN_MARK } from '../../lib/pages/panelUiState';
import { launchWithExtension, TEST_BUILD_DIR } from '../../scripts/browser';
import { connectToEmulator, loginToSalesforce, sendFromPage } from '../../scripts/emulatorSession';
import { atMost, type BenchRow, info, median } from './table';

const GROUP = 'record panel';
const ROWS = 3334;
const IDS_PER_ROW = 300;
const LOADS = 9;
const LOOKUPS = 50;

/** Valid 18-character lead ids: only the Q of "00Q5e" is upper case, so the checksum is EAA. */
const leadId = (n: number) => `00Q5e${n.toString(36).padStart(10, '0')}EAA`;

const NAME_SHIM = 'globalThis.__name = (fn) => fn;';

async function waitForCycle(page: Page): Promise<void> {
  await sendFromPage(page, 'syncNow');
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
    const state = (await sendFromPage(page, 'getSyncState')) as {
      value: { running: boolean; lastCycle?: { endedAt: number | null } };
    };
    if (!state.value.running && state.value.lastCycle?.endedAt) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('no cycle ended within 180 s');
}

/** Milliseconds from DOMContentLoaded (and from navigation start) to the panel's first state. */
async function panelShownAfterLoad(page: Page, url: string): Promise<{ fromDcl: number; fromStart: number }> {
  await page.goto(url);
  const shown = await page.waitForFunction(
    () => (window as { __panelShownAt?: number }).__panelShownAt,
    undefined,
    { timeout: 10_000 },
  );
  const at = (await shown.jsonValue()) as number;
  const dcl = await page.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
  );
  return { fromDcl: at - dcl, fromStart: at };
}

/**
 * Records when the panel first shows a record's state: the User Timing mark it sets then (it is in a
 * closed shadow root, which the page cannot look into; lib/pages/panelUiState.ts).
 */
function watchPanel(mark: string) {
  new PerformanceObserver((list, observer) => {
    const entry = list.getEntriesByName(mark)[0];
    if (!entry) return;
    (window as { __panelShownAt?: number }).__panelShownAt = entry.startTime;
    observer.disconnect();
  }).observe({ type: 'mark', buffered: true });
}

async function fillPackedEvents(page: Page): Promise<void> {
  await page.evaluate(
    async ({ rows, perRow }) => {
      const id = (n: number) => `00Q5e${n.toString(36).padStart(10, '0')}EAA`;
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('sync-log');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const at = Date.now() - 86_400_000;
      // 100 transactions of ~33 rows: the engine writes one row per batch transaction.
      for (let start = 0; start < rows; start += 34) {
        await new Promise<void>((ok, fail) => {
          const tx = db.transaction('recordEvents', 'readwrite');
          const store = tx.objectStore('recordEvents');
          for (let r = start; r < Math.min(rows, start + 34); r++) {
            const sfIds: string[] = [];
            const outcomes: unknown[] = [];
            // Column by column, as lib/db/packedStates.ts stores a batch's states.
            const fields = ['FirstName', 'LastName', 'Email', 'Company', 'Title', 'Phone', 'City', 'State'];
            const states = {
              ids: [] as string[],
              fields,
              hashes: [] as string[][],
              o: [] as string[],
              m: [] as number[],
              rest: {},
            };
            for (let i = 0; i < perRow; i++) {
              // Each record appears in about one row (1M distinct ids), as after a full first pull,
              // with its sync state, listed under its state key (id + '~'), as writeBatch writes it.
              const sfId = id(r * perRow + i);
              const m = r * perRow + i + 1;
              sfIds.push(`${sfId}~`);
              outcomes.push({ sfId, mktoId: m, outcome: 'updated' });
              states.ids.push(sfId);
              states.hashes.push(fields.map((field) => ((m * 31 + field.length) >>> 0).toString(36)));
              states.o.push('Lead');
              states.m.push(m);
            }
            store.add({
              cycleId: 1 + Math.floor(r / 100),
              stepId: 1 + Math.floor(r / 10),
              at: at + r * 1000,
              operation: 'Pull Updates',
              objectType: 'Person',
              sfIds,
              outcomes,
              failedCount: 0,
              states,
            });
          }
          tx.oncomplete = () => ok();
          tx.onerror = () => fail(tx.error);
        });
      }
      db.close();
    },
    { rows: ROWS, perRow: IDS_PER_ROW },
  );
}

/** The read lib/db/recordStatus.getRecordStatus makes, in raw IndexedDB; ms per lookup. */
async function lookupTimes(page: Page, ids: string[]): Promise<number[]> {
  return page.evaluate(async (wanted) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('sync-log');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const times: number[] = [];
    for (const sfId of wanted) {
      const started = performance.now();
      const tx = db.transaction(['recordEvents', 'records'], 'readonly');
      const events: unknown[] = [];
      // Newest rows under both of the record's keys (plain id: outcome only; id~: with its state).
      const newest = (key: string) =>
        new Promise<void>((ok) => {
          const cursor = tx
            .objectStore('recordEvents')
            .index('sfIds')
            .openCursor(IDBKeyRange.only(key), 'prev');
          let taken = 0;
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (c && taken++ < 20) {
              events.push(c.value);
              c.continue();
            } else ok();
          };
        });
      await Promise.all([
        newest(sfId),
        newest(`${sfId}~`),
        new Promise<void>((ok) => {
          tx.objectStore('records').get(sfId).onsuccess = () => ok();
        }),
      ]);
      if (events.length !== 1) throw new Error(`expected one batch row for ${sfId}, got ${events.length}`);
      times.push(performance.now() - started);
    }
    db.close();
    return times;
  }, ids);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const script = readFileSync(join(TEST_BUILD_DIR, 'content-scripts/salesforce.js'));
  rows.push(atMost(GROUP, 'content script gzipped', gzipSync(script, { level: 9 }).length / 1024, 'KB', 30));

  const emu = await startEmulator({ seed: 'demo' });
  const ext = await launchWithExtension();
  try {
    const sfTab = await loginToSalesforce(ext, emu.info);
    await connectToEmulator(ext, emu.info);
    const page = await ext.openPage('popup.html');
    await waitForCycle(page);
    const leads = [...emu.salesforce.store.table('Lead').records.values()]
      .filter((r) => !r.IsDeleted && !r.IsConverted && r.Do_Not_Sync_to_Marketo__c !== true)
      .slice(0, LOADS + 1);
    // tsx names inner functions with a `__name` helper that pages do not have (see scripts/demo.ts).
    await sfTab.addInitScript(NAME_SHIM);
    await sfTab.addInitScript(watchPanel, PANEL_SHOWN_MARK);
    const url = (r: Record<string, unknown>) =>
      `${emu.info.salesforce.url}/lightning/r/Lead/${r.Id as string}/view`;
    await panelShownAfterLoad(sfTab, url(leads[LOADS]!)); // warm-up: the worker is awake
    // First visits: the background's live "changed since?" check is not cached yet.
    const first: { fromDcl: number; fromStart: number }[] = [];
    for (const lead of leads.slice(0, LOADS)) first.push(await panelShownAfterLoad(sfTab, url(lead)));
    const again: { fromDcl: number; fromStart: number }[] = [];
    for (const lead of leads.slice(0, LOADS)) again.push(await panelShownAfterLoad(sfTab, url(lead)));
    rows.push(
      atMost(
        GROUP,
        'page load → panel shown, first visit (from DOMContentLoaded)',
        median(first.map((l) => l.fromDcl)),
        'ms',
        150,
      ),
      info(
        GROUP,
        'page load → panel shown, first visit (from navigation start)',
        median(first.map((l) => l.fromStart)),
        'ms',
      ),
      info(
        GROUP,
        'page load → panel shown, visited again (from DOMContentLoaded)',
        median(again.map((l) => l.fromDcl)),
        'ms',
      ),
    );

    await page.evaluate(NAME_SHIM);
    await fillPackedEvents(page);
    const sample = Array.from({ length: LOOKUPS }, (_, i) =>
      leadId(Math.floor(((i + 0.5) / LOOKUPS) * ROWS * IDS_PER_ROW)),
    );
    const times = await lookupTimes(page, sample);
    rows.push(
      atMost(
        GROUP,
        `status lookup, ${(ROWS * IDS_PER_ROW).toLocaleString('en-US')} outcomes logged`,
        median(times),
        'ms',
        5,
      ),
    );
    const messages: number[] = [];
    for (const id of sample.slice(0, 20)) {
      const started = performance.now();
      await sendFromPage(page, 'getRecordStatus', { objectType: 'Lead', recordId: id });
      messages.push(performance.now() - started);
    }
    rows.push(info(GROUP, 'getRecordStatus message round trip, same log', median(messages), 'ms'));
  } finally {
    await ext.close();
    await emu.stop();
  }
  return rows;
}
