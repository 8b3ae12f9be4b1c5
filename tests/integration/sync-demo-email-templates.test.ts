// The demo shows email templates (issue 20): `npm run sync -- --settings scripts/demo-settings.json`
// against the `demo` org runs Push New and Push Updates of Email Template — the approved emails of
// "Sales Emails" become templates in "Marketo Emails" (the one Salesforce refuses Failed), the draft
// and the other folder stay out. A second run (a new process: its log starts empty) finds the
// templates by their unique names and takes them over — none is made twice — with the approval
// made in between.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { headlessDemoSync, type HeadlessStep as Step } from '../support/headlessDemoSync';

const _run = promisify(execFile);
const _root = resolve(import.meta.dirname, '../..');
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => emu.stop());

async function syncOnce(): Promise<Step[]> {
  const [cycle] = await headlessDemoSync(emu.info);
  expect(cycle!.cycle.status).toBe('Completed');
  return cycle!.steps;
}

const step = (steps: Step[], operation: string) =>
  steps.find((s) => s.operation === operation && s.objectType === 'Email Template');

describe('the demo org with scripts/demo-settings.json', () => {
  it('makes templates of the approved emails of Sales Emails; a run with a new log takes them over', async () => {
    const steps = await syncOnce();
    expect(step(steps, 'Push Updates')?.status).toBe('Completed');
    expect(step(steps, 'Push New')).toMatchObject({ status: 'Completed', new: 5, failed: 1 });
    const templates = () =>
      (emu.control.snapshot().salesforce.EmailTemplate ?? []).filter((t) =>
        String(t.DeveloperName).startsWith('Marketo_Email_'),
      );
    expect(
      templates()
        .map((t) => [t.Name, t.IsActive])
        .sort(),
    ).toEqual([
      ['Case Study: Globex', true],
      ['Partner Invite', false],
      ['Pricing Follow-up', true],
      ['Product Tour Invite', true],
      ['Quarterly Check-in', true],
      ['Welcome to Acme', true],
    ]);
    // The marketer approves the waiting draft of Quarterly Check-in.
    const checkIn = emu.control
      .mkEmail({ action: 'list' })
      .emails!.find((e) => e.name === 'Quarterly Check-in')!;
    emu.control.mkEmail({ action: 'approve', id: checkIn.id });
    // The second run comes half a minute later: right after the first, its Marketo calls would
    // pass Marketo's 100 per 20 s and it would wait out the window (606; 20 s of a CI run).
    emu.control.advanceTime({ ms: 30_000 });
    const next = await syncOnce();
    expect(step(next, 'Push New')).toMatchObject({ status: 'Completed', new: 5, failed: 1 });
    expect(templates()).toHaveLength(6);
    expect(templates().find((t) => t.Name === 'Quarterly Check-in')?.Subject).toBe(
      'Checking in (new wording)',
    );
  }, 150_000);
});
