// `npm run sync -- --emulator … --json --settings scripts/demo-settings.json` as the demo tests run
// it: the headless engine in its own process against an emulator, one JSON line per cycle. With
// the PostgreSQL log (integration-pg) the CLI keeps its log there too (--database-url), a fresh
// log per run, so the demo runs on both logs like the rest of the suite.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { EmulatorInfo } from '../../emulator/index';
import { TEST_LOG_KIND } from './testLog';

const run = promisify(execFile);
export const projectRoot = resolve(import.meta.dirname, '../..');
export const demoSettingsFile = resolve(projectRoot, 'scripts/demo-settings.json');

/** A step as `sync --json` prints it. */
export interface HeadlessStep {
  sobject?: string;
  operation: string;
  objectType: string;
  status: string;
  new: number;
  updated: number;
  deleted: number;
  failed: number;
  skipped: number;
  excluded: number;
}

export interface HeadlessCycle {
  cycle: { status: string };
  steps: HeadlessStep[];
}

let runs = 0;
const logArgs = () =>
  TEST_LOG_KIND === 'postgres'
    ? ['--database-url', process.env.DATABASE_URL ?? '', '--log', `demo-cli-${process.pid}-${++runs}`]
    : [];

/** Runs `cycles` cycles with the demo's settings and returns each cycle's line. */
export async function headlessDemoSync(
  info: EmulatorInfo,
  options: { cycles?: number; timeoutMs?: number } = {},
): Promise<HeadlessCycle[]> {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/sync.ts',
      '--emulator',
      JSON.stringify(info),
      '--json',
      ...(options.cycles ? ['--cycles', String(options.cycles)] : []),
      '--settings',
      demoSettingsFile,
      ...logArgs(),
    ],
    { cwd: projectRoot, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HeadlessCycle);
}
