// The demo shows opportunities, contact roles, users, account types and custom objects (issue 19):
// `npm run sync -- --settings scripts/demo-settings.json` against the `demo` org runs each new
// (operation, object) step, with non-zero counts where the org has data; and, after the first sync,
// an idle cycle with every object enabled (campaign pairs included) costs at most 3 calls.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { demoSyncSettings } from '../../emulator/seeds/demoSettings';
import { headlessDemoSync } from '../support/headlessDemoSync';
import { startSyncHarness } from './sync-harness';

const _run = promisify(execFile);
const _root = resolve(import.meta.dirname, '../..');
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => emu.stop());

const STEPS = [
  ['Sync Schema', 'Opportunity'],
  ['Sync Schema', 'Opportunity Contact Role'],
  ['Sync Schema', 'User'],
  ['Pull Deletes', 'Opportunity Contact Role'],
  ['Pull Deletes', 'Opportunity'],
  ['Pull Updates', 'User'],
  ['Pull Updates', 'Account Type'],
  ['Pull Updates', 'Opportunity'],
  ['Pull Updates', 'Opportunity Contact Role'],
  ['Update FKs', 'Opportunity'],
  ['Update FKs', 'Opportunity Contact Role'],
  ['Update FKs', 'User'],
  ['Sync Schema', 'Custom Objects'],
  ['Pull Deletes', 'Custom Objects'],
  ['Pull Updates', 'Custom Objects'],
  ['Update FKs', 'Custom Objects'],
] as const;

describe('the demo org with scripts/demo-settings.json', () => {
  it('runs each opportunity, role, user and account type step headless, with counts', async () => {
    const [cycle] = await headlessDemoSync(emu.info);
    expect(cycle!.cycle.status).toBe('Completed');
    const step = (operation: string, objectType: string) =>
      cycle!.steps.find((s) => s.operation === operation && s.objectType === objectType);
    for (const [operation, objectType] of STEPS)
      expect(step(operation, objectType)?.status, `${operation} ${objectType}`).toBe('Completed');
    expect(step('Pull Updates', 'User')!.new).toBeGreaterThanOrEqual(4);
    expect(step('Pull Updates', 'Account Type')!.new).toBeGreaterThanOrEqual(60);
    expect(step('Pull Updates', 'Opportunity')!.new).toBeGreaterThan(100);
    const roles = step('Pull Updates', 'Opportunity Contact Role')!;
    // Roles of contacts excluded by the sync filter, or not linked, are counted apart.
    expect(roles.new).toBeGreaterThan(50);
    expect(roles.new + roles.excluded + roles.skipped).toBeGreaterThan(roles.new);
    // Each custom object its own steps, with records on persons (and some excluded with theirs).
    for (const name of ['Subscription__c', 'Event_Registration__c']) {
      const pulled = cycle!.steps.find((s) => s.operation === 'Pull Updates' && s.sobject === name);
      expect(pulled?.status, name).toBe('Completed');
      expect(pulled!.new, name).toBeGreaterThan(20);
    }
  }, 150_000);
});

describe('idle', () => {
  it('costs at most 3 calls with every demo object enabled', async () => {
    const h = await startSyncHarness({ seed: 'demo' });
    try {
      Object.assign(h.settings, demoSyncSettings(h.emu.salesforce, h.emu.marketo.store));
      await h.cycle({ trigger: 'schedule' });
      for (let i = 0; i < 2; i++) {
        h.advance();
        await h.cycle({ trigger: 'schedule' });
      }
      h.advance();
      h.sfCounter.reset();
      h.mkCounter.reset();
      const idle = await h.cycle({ trigger: 'schedule' });
      expect(idle.cycle?.status).toBe('Completed');
      const calls = { ...h.sfCounter.snapshot(), ...h.mkCounter.snapshot() };
      expect(h.sfCounter.total() + h.mkCounter.total(), JSON.stringify(calls)).toBeLessThanOrEqual(3);
    } finally {
      await h.stop();
    }
  }, 120_000);
});
