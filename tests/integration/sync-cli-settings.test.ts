// `npm run sync -- --settings FILE`: the headless runner takes the settings an admin exports from the
// options page, validated like an import (refused whole, naming the field), and runs with them.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { defaultSettings } from '../../lib/settings/schema';
import { settingsToExportJson } from '../../lib/settings/transfer';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: 'Cli' } });
  dir = mkdtempSync(join(tmpdir(), 'sss-cli-'));
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sync = (file: string) =>
  run(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/sync.ts',
      '--emulator',
      JSON.stringify(emu.info),
      '--json',
      '--settings',
      file,
    ],
    { cwd: root, timeout: 60_000 },
  );

describe('npm run sync -- --settings FILE', () => {
  it('runs with the exported settings (Contact and Account switched off: no steps for them)', async () => {
    const settings = defaultSettings();
    settings.objects.Contact!.enabled = false;
    settings.objects.Account!.enabled = false;
    const file = join(dir, 'good.json');
    writeFileSync(file, settingsToExportJson(settings));
    const { stdout } = await sync(file);
    const cycle = JSON.parse(stdout.trim().split('\n').at(-1)!) as { steps: { objectType: string }[] };
    const objects = new Set(cycle.steps.map((s) => s.objectType));
    expect(objects.has('Person')).toBe(true);
    expect(objects.has('Contact')).toBe(false);
    expect(objects.has('Account')).toBe(false);
  });

  it('refuses a file with a bad value whole, naming the field, and runs nothing', async () => {
    const file = join(dir, 'bad.json');
    const exported = JSON.parse(settingsToExportJson(defaultSettings())) as {
      settings: Record<string, unknown>;
    };
    exported.settings.intervalMinutes = 0;
    writeFileSync(file, JSON.stringify(exported));
    const failed = await sync(file).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toContain('intervalMinutes');
  });
});
