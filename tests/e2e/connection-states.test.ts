import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { connectThroughOptions, loginToSalesforce } from '../../scripts/emulatorSession';
import { runCycle } from './support/cycles';
import { screenshotPath } from './support/screenshots';

// The popup header's connection line for each side, as the newest evidence has it (the last Test
// connection or the last cycle, lib/connections/status.ts): Connected (who, where, zone) after the
// options page's test and after a Completed cycle; Session expired with the login link after a cycle
// that met an expired Salesforce session; Failing with the error after a cycle Marketo did not answer.
describe('popup header: the state of each connection', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let popup: Page;
  const side = (name: 'salesforce' | 'marketo') =>
    popup.locator('.sync-header .connection').nth(name === 'salesforce' ? 0 : 1);

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'empty' });
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    await connectThroughOptions(ext, emu.info);
    popup = await ext.openPage('popup.html');
    await popup.setViewportSize({ width: 800, height: 600 });
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  it('says Connected with the user, the org and its zone after Test connections', async () => {
    await expect.poll(() => side('salesforce').getAttribute('data-state')).toBe('connected');
    const host = new URL(emu.info.salesforce.url).host;
    expect((await side('salesforce').textContent())?.trim()).toBe(
      `Salesforce: Sync Admin (sync.admin@emulator.example) @ ${host} · Europe/Amsterdam · Connected`,
    );
    expect(await side('marketo').getAttribute('data-state')).toBe('connected');
    expect((await side('marketo').textContent())?.trim()).toMatch(/^Marketo: .+ · Connected$/);
    await popup.screenshot({ path: screenshotPath('connection-connected.png') });
  });

  it('says Session expired with a link to log in to the org after a cycle met an expired session', async () => {
    const { expired } = emu.control.expireSessions({});
    expect(expired).toBeGreaterThan(0);
    const { cycle, steps } = await runCycle(popup);
    expect(cycle.status).toBe('Failed');
    await expect.poll(() => side('salesforce').getAttribute('data-state')).toBe('expired');
    const line = side('salesforce');
    expect(await line.textContent()).toContain('Session expired');
    const login = line.getByRole('link', { name: 'Log in to Salesforce again' });
    expect(await login.getAttribute('href')).toBe(emu.info.salesforce.url);
    // The reason in plain words on the last cycle's line, the raw 401 behind its disclosure.
    const reason = popup.locator('[data-testid="last-cycle-reason"] .plain');
    expect(await reason.textContent()).toBe(
      'The Salesforce session expired or was refused — log in to Salesforce again',
    );
    const raw = popup.locator('[data-testid="last-cycle-reason"] code');
    expect(await raw.isVisible()).toBe(false);
    expect(await raw.textContent()).toContain('INVALID_SESSION_ID');
    // Marketo was not what failed: it keeps what the test found.
    expect(await side('marketo').getAttribute('data-state')).toBe('connected');
    await popup.screenshot({ path: screenshotPath('connection-expired.png') });

    // The dashboard says it under every step that failed, the raw error behind a disclosure.
    const failedSteps = steps.filter((s) => s.status === 'Failed').map((s) => String(s.id));
    expect(failedSteps.length).toBeGreaterThan(0);
    const dashboard = await ext.openPage('dashboard.html');
    try {
      const reasons = dashboard.locator('tr.step-reason');
      await expect.poll(() => reasons.count(), { timeout: 15_000 }).toBe(failedSteps.length);
      expect(await reasons.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reason-for')))).toEqual(
        expect.arrayContaining(failedSteps),
      );
      for (const text of await reasons.locator('.plain').allTextContents())
        expect(text).toBe('The Salesforce session expired or was refused — log in to Salesforce again');
      const first = reasons.first();
      expect(await first.locator('code').isVisible()).toBe(false);
      await first.locator('summary').click();
      expect(await first.locator('code').textContent()).toContain('INVALID_SESSION_ID');
      await dashboard.screenshot({ path: screenshotPath('dashboard-expired.png') });
    } finally {
      await dashboard.close();
    }
  });

  it('says Failing with the error after a cycle Marketo did not answer', async () => {
    await loginToSalesforce(ext, emu.info);
    emu.control.injectFault({ side: 'marketo', kind: 'drop' });
    try {
      // Every Marketo call is retried with backoff before the step gives up: allow for it.
      const { cycle } = await runCycle(popup, 150_000);
      expect(cycle.status).toBe('Failed');
    } finally {
      emu.control.clearFaults();
    }
    await expect.poll(() => side('marketo').getAttribute('data-state')).toBe('error');
    const line = side('marketo');
    expect(await line.textContent()).toContain('· Failing');
    expect(await line.locator('.conn-error-text').textContent()).toBe(
      ': Marketo could not be reached — check the network; the next cycle retries',
    );
    // The new Salesforce session worked during that cycle.
    expect(await side('salesforce').getAttribute('data-state')).toBe('connected');
    await popup.screenshot({ path: screenshotPath('connection-failing.png') });
  }, 200_000);

  it('says Connected again, user and zone kept, after a Completed cycle', async () => {
    const { cycle } = await runCycle(popup);
    expect(cycle.status).toBe('Completed');
    await expect.poll(() => side('marketo').getAttribute('data-state')).toBe('connected');
    expect(await side('salesforce').getAttribute('data-state')).toBe('connected');
    expect(await side('salesforce').textContent()).toContain('Sync Admin (sync.admin@emulator.example)');
    expect(await side('salesforce').textContent()).toContain('Europe/Amsterdam');
    expect(await popup.locator('[data-testid="last-cycle-reason"]').count()).toBe(0);
    await popup.screenshot({ path: screenshotPath('connection-recovered.png') });
  });
});
