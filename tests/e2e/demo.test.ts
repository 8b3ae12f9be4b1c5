import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'sss-demo-'));

// The README's first command, headless: the main job on the emulator, start to finish.
describe('npm run demo -- --headless --once', () => {
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs cycles and writes the screenshots and the last cycle’s summary', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--headless', '--once', '--out', out],
      // Its build goes to a directory of its own: the other browser tests run meanwhile (two files
      // at a time) on the extension built in the usual one, which a rebuild there would pull away.
      {
        cwd: root,
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, WXT_OUT_DIR: join(out, 'build') },
      },
    );
    expect(stdout).toContain('demo: cycle 2');
    expect(stdout).toContain('Push Updates');
    for (const file of ['popup.png', 'record-panel.png', 'dashboard.png', 'options.png', 'summary.json']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      cycle: { status: string };
      steps: Record<string, number | string>[];
      cycles: { steps: Record<string, number | string>[] }[];
    };
    expect(summary.cycle.status).toBe('Completed');
    const operations = new Set(summary.steps.map((s) => s.operation));
    for (const op of [
      'Sync Schema',
      'Pull Deletes',
      'Pull Updates',
      'Pull Conversions',
      'Update FKs',
      'Push Updates',
      'Push New',
      'Update Activities',
    ]) {
      expect(operations, op).toContain(op);
    }
    const total = (key: string) => summary.steps.reduce((sum, s) => sum + Number(s[key] ?? 0), 0);
    for (const counter of ['new', 'updated', 'failed', 'skipped', 'excluded']) {
      expect(total(counter), counter).toBeGreaterThan(0);
    }
    // Issue 19's objects: each step in every cycle; the first sync writes each object, and the
    // users' edits between cycles (emulator/userEditsDeals.ts) give the last cycle deal work too.
    const written = (steps: Record<string, number | string>[], operation: string, name: string) => {
      const step = steps.find(
        (s) => s.operation === operation && (s.objectType === name || s.sobject === name),
      );
      return Number(step?.new ?? 0) + Number(step?.updated ?? 0);
    };
    const objects = ['User', 'Account Type', 'Opportunity', 'Opportunity Contact Role'];
    const customs = ['Subscription__c', 'Event_Registration__c'];
    for (const name of [...objects, ...customs]) {
      for (const op of ['Sync Schema', 'Pull Deletes', 'Pull Updates', 'Update FKs']) {
        if (name === 'Account Type' && op !== 'Pull Updates') continue;
        if (name === 'User' && op === 'Pull Deletes') continue;
        const listed = summary.steps.some(
          (s) => s.operation === op && (s.objectType === name || s.sobject === name),
        );
        expect(listed, `${op} ${name}`).toBe(true);
      }
      expect(written(summary.cycles[0]!.steps, 'Pull Updates', name), name).toBeGreaterThan(0);
    }
    for (const name of ['Account Type', 'Opportunity', 'Opportunity Contact Role', ...customs])
      expect(written(summary.steps, 'Pull Updates', name), `last cycle: ${name}`).toBeGreaterThan(0);
    expect(written(summary.steps, 'Update FKs', 'Event_Registration__c')).toBe(1);
  }, 300_000);
});
