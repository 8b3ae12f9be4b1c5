// `npm run demo`: builds the extension for the emulator, launches Chromium with it and shows the
// product. `--headless --once --out DIR` writes screenshots and exits (used on machines without
// a display); without --once it keeps the browser open until Ctrl-C.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchWithExtension } from './browser';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: !process.env.DISPLAY },
    once: { type: 'boolean', default: false },
    out: { type: 'string', default: 'demo-out' },
  },
});
const once = values.once || !!values.headless;
const out = resolve(values.out);
const step = (text: string) => console.log(`demo: ${text}`);

async function main() {
  step('building the extension for the emulator (wxt build --mode test)…');
  execFileSync('npx', ['wxt', 'build', '--mode', 'test'], { stdio: ['ignore', 'ignore', 'inherit'] });

  step(`launching Chromium${values.headless ? ' (headless)' : ''} with the extension…`);
  const ext = await launchWithExtension(undefined, { headless: values.headless });
  try {
    mkdirSync(out, { recursive: true });
    for (const [page, file] of [
      ['popup.html', 'popup.png'],
      ['dashboard.html', 'dashboard.png'],
      ['options.html', 'options.png'],
    ] as const) {
      const tab = await ext.openPage(page);
      await tab.waitForLoadState('networkidle');
      await tab.screenshot({ path: join(out, file), fullPage: true });
      step(`wrote ${join(out, file)}`);
    }
    if (!once) {
      step('the browser stays open; press Ctrl-C to stop.');
      await new Promise<void>((resolveStop) => process.once('SIGINT', () => resolveStop()));
    }
  } finally {
    await ext.close();
  }
  step('done.');
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
