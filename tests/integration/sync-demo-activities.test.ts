// The demo shows Tasks and Events (issue 20): `npm run sync -- --settings scripts/demo-settings.json`
// against the `demo` org runs Update Activities, Pull Updates and Push Updates of Task and Event,
// sending the demo's Calls and Meetings on synced leads and contacts as Marketo activities (changes
// and deletions are sync-activities.test.ts's: each headless run starts a new log).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { headlessDemoSync } from '../support/headlessDemoSync';

const _run = promisify(execFile);
const _root = resolve(import.meta.dirname, '../..');
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => emu.stop());

const sync = () => headlessDemoSync(emu.info, { timeoutMs: 150_000 });

describe('the demo org with scripts/demo-settings.json', () => {
  it('runs each Task and Event step headless, sending the demo activities', async () => {
    const [cycle] = await sync();
    expect(cycle!.cycle.status).toBe('Completed');
    const step = (operation: string, objectType: string) =>
      cycle!.steps.find((s) => s.operation === operation && s.objectType === objectType);
    for (const [operation, objectType] of [
      ['Pull Updates', 'Task'],
      ['Pull Updates', 'Event'],
      ['Push Updates', 'Task'],
      ['Update Activities', 'Task'],
      ['Update Activities', 'Event'],
    ])
      expect(step(operation!, objectType!)?.status, `${operation} ${objectType}`).toBe('Completed');
    const tasks = step('Update Activities', 'Task')!;
    expect(tasks.new).toBeGreaterThan(40);
    // Email and Other Tasks, and persons excluded or not in Marketo, are counted apart.
    expect(tasks.skipped + tasks.excluded).toBeGreaterThan(100);
    expect(step('Update Activities', 'Event')!.new).toBeGreaterThan(20);
    const types = emu.control.mkActivityTypes().map((t) => `${t.name} ${t.status}`);
    expect(types.sort()).toEqual(['Salesforce Event approved', 'Salesforce Task approved']);
  }, 300_000);
});
