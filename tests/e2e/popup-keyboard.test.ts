// Issue 22: the popup's commands by keyboard after real cycles against the demo org. Focus stays
// on Sync now and Pause/Resume while they work (it fell to the page body when they were disabled),
// and the page's one live region says what happened, the end of a cycle included.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import {
  connectToEmulator,
  loginToSalesforce,
  readLastCycle,
  sendFromPage,
} from '../../scripts/emulatorSession';
import { focusedControl, tabTo } from './support/accessibility';
import { axeViolations } from './support/axe';
import { screenshotPath } from './support/screenshots';

const announced = (page: Page) => page.textContent('#announcer');

/** Runs a cycle through the background and waits for its end (a loop: expect.poll is not for hooks). */
async function runCycle(page: Page): Promise<void> {
  const before = (await readLastCycle(page)).cycle?.id ?? 0;
  await sendFromPage(page, 'syncNow');
  for (const deadline = Date.now() + 110_000; Date.now() < deadline; ) {
    const { cycle } = await readLastCycle(page);
    if (cycle && cycle.id > before && cycle.endedAt !== null) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('The cycle did not end within 110 s');
}

describe('popup commands by keyboard, after two cycles on the demo org', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let page: Page;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    await connectToEmulator(ext, emu.info);
    page = await ext.openPage('popup.html');
    await runCycle(page);
    await runCycle(page);
    await page.reload();
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForSelector('table.steps');
  }, 300_000);
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  it('passes axe with the log of two real cycles, a step expanded', async () => {
    expect(await axeViolations(page)).toEqual([]);
    const toggle = page.locator('button.expand').first();
    if ((await toggle.count()) > 0) {
      await toggle.click();
      await page.waitForSelector('tr.details');
      expect(await axeViolations(page)).toEqual([]);
      await toggle.click();
    }
  });

  it('reaches Sync now by Tab, keeps focus on it while the cycle runs and announces start and end', async () => {
    // From the top of the page: focusing <body> (not focusable by itself) would leave Chromium's
    // sequential focus starting point where the previous test clicked, deep in the table.
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    const presses = await tabTo(page, 'button Sync now');
    expect(presses).toBeLessThanOrEqual(6);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => announced(page), { timeout: 10_000 })
      .toMatch(/^Sync started|^Sync cycle \d+ ended/);
    expect(await focusedControl(page)).toBe('button Sync now');
    await page.screenshot({ path: screenshotPath('a11y-popup-sync-now-focused.png') });
    await expect
      .poll(() => announced(page), { timeout: 110_000, interval: 250 })
      .toMatch(/^Sync cycle \d+ ended: (Completed|Failed|Not Completed)/);
    expect(await focusedControl(page)).toBe('button Sync now');
  });

  it('keeps focus on Pause / Resume and announces Paused and Resumed', async () => {
    await page.focus('button:text("Pause")');
    await page.keyboard.press('Enter');
    await expect.poll(() => announced(page)).toBe('Paused');
    expect(await focusedControl(page)).toBe('button Resume');
    await page.screenshot({ path: screenshotPath('a11y-popup-resume-focused.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => announced(page)).toBe('Resumed');
    expect(await focusedControl(page)).toBe('button Pause');
  });

  it('passes axe after a cycle failed on an expired session, on the popup and the dashboard', async () => {
    emu.control.expireSessions({});
    await runCycle(page);
    const reason = page.locator('[data-testid="last-cycle-reason"]');
    await reason.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await reason.locator('summary').click();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('a11y-popup-cycle-failed.png') });
    const dashboard = await ext.openPage('dashboard.html');
    await dashboard.waitForSelector('tr.step-reason');
    await dashboard.locator('tr.step-reason summary').first().click();
    expect(await axeViolations(dashboard)).toEqual([]);
    await dashboard.close();
  });
});
