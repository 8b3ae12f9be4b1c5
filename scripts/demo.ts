// `npm run demo`: the main job on the built-in emulator. Starts the emulator with the `demo` org,
// builds the extension for it, launches Chromium with the extension, logs into the emulated
// Salesforce, connects both sides, runs sync cycles and shows the popup, a record page with the
// panel, the dashboard and the options page.
//   --headless --once --out DIR   run at least two cycles, write screenshots + summary.json (the last
//                                 cycle's steps, and `cycles`: each cycle's), exit
//   (default with a display)      a real window; the emulator keeps changing records; Ctrl-C stops
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startEmulator } from '../emulator/index';
import { simulateUserEdits } from '../emulator/userEdits';
import { PANEL_SHOWN_MARK } from '../lib/pages/panelUiState';
import { launchWithExtension } from './browser';
import { connectThroughOptions, loginToSalesforce, readLastCycle, sendFromPage } from './emulatorSession';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: !process.env.DISPLAY },
    once: { type: 'boolean', default: false },
    out: { type: 'string', default: 'demo-out' },
    cycles: { type: 'string', default: '2' },
  },
});
const once = values.once || !!values.headless;
const out = resolve(values.out);
const say = (text: string) => console.log(`demo: ${text}`);

interface StepSummary {
  operation: string;
  objectType: string;
  status: string;
  new: number;
  updated: number;
  deleted: number;
  failed: number;
  skipped: number;
  excluded: number;
  drifted?: number;
}

async function runCycle(page: Page, n: number) {
  const before = (await readLastCycle(page)).cycle?.id ?? 0;
  const answer = (await sendFromPage(page, 'syncNow')) as {
    ok: boolean;
    value?: { status: string; message?: string };
  };
  if (!answer.ok || answer.value?.status === 'refused')
    throw new Error(`Sync now refused: ${JSON.stringify(answer)}`);
  for (let waited = 0; waited < 180_000; waited += 500) {
    const { cycle, steps } = await readLastCycle(page);
    if (cycle && cycle.id > before && cycle.endedAt) {
      say(`cycle ${n} (#${cycle.id}) ended: ${cycle.status}`);
      return { cycle, steps };
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`cycle ${n} did not end within 3 minutes`);
}

function printSteps(steps: Record<string, unknown>[]) {
  const rows = steps.map((s) => s as unknown as StepSummary);
  console.table(
    rows.map(
      ({ operation, objectType, status, new: n, updated, deleted, failed, skipped, excluded, drifted }) => ({
        operation,
        objectType,
        status,
        new: n,
        updated,
        deleted,
        failed,
        skipped,
        excluded,
        drifted: drifted ?? 0,
      }),
    ),
  );
}

/**
 * The demo org's settings (scripts/demo-settings.json: campaigns and campaign members on, the
 * demo's two campaign ⇄ program pairs), imported on the options page as an admin would.
 */
async function importDemoSettings(ext: Awaited<ReturnType<typeof launchWithExtension>>) {
  const page = await ext.openPage('options.html');
  await page.setInputFiles('#importSettings', resolve(import.meta.dirname, 'demo-settings.json'));
  // The section's own message (the live region announcing it holds the same words for a while).
  await page.locator('#transfer .save-message', { hasText: 'Imported demo-settings.json' }).waitFor();
  say('imported scripts/demo-settings.json (campaign ⇄ program pairs)');
  await page.close();
}

/** The panel on the first demo pair's Campaign page (its program, members in step). */
async function screenshotCampaign(tab: Page, salesforceUrl: string, path: string) {
  const demo = JSON.parse(readFileSync(resolve(import.meta.dirname, 'demo-settings.json'), 'utf8')) as {
    settings: { programPairs: { campaignId: string }[] };
  };
  const campaignId = demo.settings.programPairs[0]?.campaignId;
  if (!campaignId) return;
  await tab.goto(`${salesforceUrl}/lightning/r/Campaign/${campaignId}/view`);
  await tab.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, PANEL_SHOWN_MARK);
  await tab.screenshot({ path });
  say(`wrote ${path}`);
}

/** The options page's campaign ⇄ program pairs, with the choices read from both connections. */
async function screenshotPairsEditor(ext: Awaited<ReturnType<typeof launchWithExtension>>, path: string) {
  const page = await ext.openPage('options.html');
  const editor = page.locator('fieldset.program-pairs');
  await editor.getByRole('button', { name: 'Add a pair…' }).click();
  await editor.locator('#pair-campaign').waitFor();
  await editor.screenshot({ path });
  say(`wrote ${path}`);
  await page.close();
}

async function main() {
  say('starting the emulator with the demo org…');
  const emulator = await startEmulator({ seed: 'demo' });
  say(`Salesforce at ${emulator.info.salesforce.url}, Marketo at ${emulator.info.marketo.url}`);
  say('building the extension for the emulator (wxt build --mode test)…');
  execFileSync('npx', ['wxt', 'build', '--mode', 'test'], { stdio: ['ignore', 'ignore', 'inherit'] });
  say(`launching Chromium${values.headless ? ' (headless)' : ''} with the extension…`);
  const ext = await launchWithExtension(undefined, { headless: values.headless });
  let changer: NodeJS.Timeout | undefined;
  try {
    mkdirSync(out, { recursive: true });
    say('logging into the emulated Salesforce and connecting both sides on the options page…');
    const salesforceTab = await loginToSalesforce(ext, emulator.info);
    await connectThroughOptions(ext, emulator.info);
    await importDemoSettings(ext);
    const popup = await ext.openPage('popup.html');
    await popup.setViewportSize({ width: 800, height: 600 });

    const ran: Awaited<ReturnType<typeof runCycle>>[] = [];
    const cycles = Math.max(2, Number(values.cycles) || 2);
    for (let n = 1; n <= cycles; n++) {
      if (n > 1) {
        const edits = await simulateUserEdits(emulator, n);
        say(`changed ${edits} records on both sides, as users would…`);
      }
      ran.push(await runCycle(popup, n));
    }
    const last = ran.at(-1);
    if (!last) throw new Error('no cycle ran');
    printSteps(last.steps);
    // The last cycle's steps, and every cycle's: the first sync's counts are the first cycle's.
    writeFileSync(
      join(out, 'summary.json'),
      `${JSON.stringify({ cycle: last.cycle, steps: last.steps, cycles: ran }, null, 2)}\n`,
    );
    say(`wrote ${join(out, 'summary.json')}`);

    await popup.reload();
    await popup.waitForSelector('tr[data-step-id]');
    await popup.screenshot({ path: join(out, 'popup.png') });
    say(`wrote ${join(out, 'popup.png')}`);

    await salesforceTab.bringToFront();
    await salesforceTab.reload();
    await salesforceTab.locator('a[href*="/lightning/r/Lead/"]').first().click();
    // The panel is in a closed shadow root: its User Timing mark says when it shows the record.
    await salesforceTab.waitForFunction(
      (mark) => performance.getEntriesByName(mark).length > 0,
      PANEL_SHOWN_MARK,
    );
    await salesforceTab.screenshot({ path: join(out, 'record-panel.png') });
    say(`wrote ${join(out, 'record-panel.png')}`);
    await screenshotCampaign(salesforceTab, emulator.info.salesforce.url, join(out, 'campaign-panel.png'));
    await screenshotPairsEditor(ext, join(out, 'options-pairs.png'));

    for (const [page, file] of [
      ['dashboard.html', 'dashboard.png'],
      ['options.html', 'options.png'],
    ] as const) {
      const tab = await ext.openPage(page);
      await tab.waitForLoadState('networkidle');
      // The metric sections say when they are filled and the chart drawn (docs/dashboard.md); Errors
      // by cause shows its counts of records failing now after a second read of the log.
      if (page === 'dashboard.html')
        await tab.waitForFunction(
          () =>
            performance.getEntriesByName('metrics-painted').length > 0 &&
            (performance.getEntriesByName('errors-by-cause-failing-painted').length > 0 ||
              document.querySelector('section.errors')?.textContent?.includes('No failures')),
        );
      await tab.screenshot({ path: join(out, file), fullPage: true });
      say(`wrote ${join(out, file)}`);
    }
    if (!once) {
      say('the browser stays open and the emulator changes records every minute; press Ctrl-C to stop.');
      let round = cycles;
      changer = setInterval(() => void simulateUserEdits(emulator, ++round), 60_000);
      await new Promise<void>((stop) => process.once('SIGINT', () => stop()));
    }
  } finally {
    if (changer) clearInterval(changer);
    await ext.close();
    await emulator.stop();
  }
  say('done.');
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
