// "Check both sides now" on the dashboard: the extension's worker runs Reconcile against the
// emulator, the dashboard's Reconcile row shows what it compared and found drifted (a value changed
// in Salesforce behind the sync's back: no SystemModstamp bump, so no pull would ever see it), and
// after the next cycle the same row says it was repaired — both sides agree again.
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
import { screenshotPath } from './support/screenshots';

describe('Reconcile from the dashboard', () => {
  let emu: Emulator;
  let ext: LoadedExtension;
  let dashboard: Page;
  const leads: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'empty' });
    for (let i = 0; i < 25; i++) {
      leads.push(
        emu.control.sfCreate({
          object: 'Lead',
          fields: { LastName: `Check${i}`, Company: 'Acme', Email: `check${i}@example.com`, Title: 'Buyer' },
        }).id,
      );
    }
    ext = await launchWithExtension();
    await loginToSalesforce(ext, emu.info);
    await connectToEmulator(ext, emu.info);
    dashboard = await ext.openPage('dashboard.html');
  });
  afterAll(async () => {
    await ext?.close();
    await emu?.stop();
  });

  const cycleEnded = async (after: number) => {
    await expect
      .poll(
        async () => {
          const { cycle } = await readLastCycle(dashboard);
          return cycle && cycle.id > after && cycle.endedAt !== null ? cycle.id : 0;
        },
        { timeout: 90_000, interval: 300 },
      )
      .toBeGreaterThan(after);
    return readLastCycle(dashboard);
  };
  const person = (sfId: string) =>
    (emu.marketo.snapshot().leads as Record<string, unknown>[]).find((p) => p.sfdcLeadIdCustom === sfId);

  it('finds a value changed behind the sync, counts it drifted, and shows it repaired after the next cycle', async () => {
    await sendFromPage(dashboard, 'syncNow');
    const first = await cycleEnded(0);
    expect(first.cycle?.status).toBe('Completed');
    expect(person(leads[3]!)?.title).toBe('Buyer');

    emu.control.sfUpdateWithoutStamp({ id: leads[3]!, fields: { Title: 'Changed behind the sync' } });
    // Records either side changed in the check's own second are left for the next check (the
    // persons were just written: reconcileCompare.ts "in flight"); an admin clicks later than that.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await dashboard.click('#reconcileNow');
    const checked = await cycleEnded(first.cycle!.id);
    const reconcile = checked.steps.find((s) => s.operation === 'Reconcile');
    expect(reconcile).toMatchObject({ status: 'Completed', drifted: 1, skipped: leads.length - 1 });
    const row = dashboard.locator(`tr[data-step-id="${reconcile!.id}"]`);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('0 repaired');

    await sendFromPage(dashboard, 'syncNow');
    await cycleEnded(checked.cycle!.id);
    expect(person(leads[3]!)?.title).toBe('Changed behind the sync');
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('1 repaired');
    await dashboard.screenshot({ path: screenshotPath('dashboard-reconcile.png') });
  });
});
