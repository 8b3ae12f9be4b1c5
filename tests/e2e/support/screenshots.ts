import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Screenshots of test runs go to tests/e2e/screenshots/ (git-ignored) to be looked at. */
export function screenshotPath(name: string): string {
  const dir = resolve(import.meta.dirname, '../screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
