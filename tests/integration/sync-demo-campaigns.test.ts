// The demo shows campaigns ⇄ programs (issue 17): `npm run sync -- --settings scripts/demo-settings.json`
// against the `demo` org runs every campaign step, with non-zero counts where the org has data, and
// the settings file matches the seed (same campaign ids and names, statuses as seeded).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { demoSyncSettings } from '../../emulator/seeds/demoSettings';
import { simulateUserEdits } from '../../emulator/userEdits';
import { settingsFromExportJson } from '../../lib/settings/transfer';
import { demoSettingsFile, headlessDemoSync } from '../support/headlessDemoSync';
import { startSyncHarness, stepOf } from './sync-harness';

const _run = promisify(execFile);
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => emu.stop());

describe('the demo org with scripts/demo-settings.json', () => {
  it('is what the demo seed gives', () => {
    const parsed = settingsFromExportJson(readFileSync(demoSettingsFile, 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.value).toEqual(demoSyncSettings(emu.salesforce, emu.marketo.store));
    expect(parsed.value.programPairs).toHaveLength(2);
  });

  it('runs every campaign step headless, loading both pairs', async () => {
    const cycles = await headlessDemoSync(emu.info, { cycles: 2 });
    expect(cycles.map((c) => c.cycle.status)).toEqual(['Completed', 'Completed']);
    const first = cycles[0]!.steps;
    const step = (operation: string, objectType: string) =>
      first.find((s) => s.operation === operation && s.objectType === objectType);
    for (const [operation, objectType] of [
      ['Sync Schema', 'Campaign'],
      ['Sync Schema', 'Campaign Member'],
      ['Sync Schema', 'Campaign Member Status'],
      ['Pull Deletes', 'Campaign'],
      ['Pull Deletes', 'Campaign Member'],
      ['Pull Updates', 'Campaign'],
      ['Pull Updates', 'Campaign Member'],
      ['Sync to Program', 'Campaign'],
      ['Init Link to Program', 'Campaign'],
    ])
      expect(step(operation!, objectType!)?.status, `${operation} ${objectType}`).toBe('Completed');
    // Both pairs loaded: the members only in Salesforce went to the programs, those only in Marketo
    // came to the campaigns (the one at "Attended On-demand", which the campaign lacks, with it).
    const init = step('Init Link to Program', 'Campaign')!;
    expect(init.updated).toBeGreaterThan(20);
    expect(init.failed).toBe(0);
    const labels = (emu.control.snapshot().salesforce.CampaignMemberStatus ?? []).map((s) => s.Label);
    expect(labels).toContain('Attended On-demand');
  }, 150_000);
});

describe('the demo between cycles', () => {
  it('has campaign work in later cycles: members added and moved on both sides', async () => {
    const h = await startSyncHarness({ seed: 'demo' });
    try {
      Object.assign(h.settings, demoSyncSettings(h.emu.salesforce, h.emu.marketo.store));
      await h.cycle();
      h.advance();
      await simulateUserEdits(h.emu, 2);
      const second = await h.cycle();
      expect(second.cycle?.status).toBe('Completed');
      expect(stepOf(second, 'Pull Updates', 'Campaign Member')).toMatchObject({
        new: 1,
        updated: 1,
        failed: 0,
      });
      expect(stepOf(second, 'Sync to Program', 'Campaign')).toMatchObject({ updated: 1, failed: 0 });
    } finally {
      await h.stop();
    }
  }, 120_000);
});
