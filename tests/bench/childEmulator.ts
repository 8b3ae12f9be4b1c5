import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { EmulatorInfo } from '../../emulator/index';

/**
 * The emulator in its own process (`emulator/cli.ts`), so that a benchmark's memory figures are
 * the engine's alone, not the emulated org's data growing in the same heap.
 */
export async function startChildEmulator(
  args: string[],
): Promise<{ info: EmulatorInfo; stop(): Promise<void> }> {
  return startJsonLineChild<EmulatorInfo>('emulator/cli.ts', args);
}

/** A TypeScript script in its own process that prints one JSON line once it is ready. */
export async function startJsonLineChild<T>(
  script: string,
  args: string[],
): Promise<{ info: T; pid: number; stop(): Promise<void> }> {
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      ok(line);
    });
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code} before listening`)));
  });
  return {
    info: JSON.parse(firstLine) as T,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}
