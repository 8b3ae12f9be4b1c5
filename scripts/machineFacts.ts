// What scripts/findBrowser.ts needs to know of this machine, read from the real one.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { MachineFacts } from './findBrowser';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    if (dir && isExecutable(path)) return path;
  }
  return undefined;
}

function osIds(): string[] {
  if (!existsSync('/etc/os-release')) return [];
  const text = readFileSync('/etc/os-release', 'utf8');
  const value = (key: string) => new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
  return `${value('ID')} ${value('ID_LIKE')}`.split(/\s+/).filter(Boolean);
}

export function machineFacts(): MachineFacts {
  return {
    chromePath: process.env.CHROME_PATH || undefined,
    which,
    isExecutable,
    isRoot: process.getuid?.() === 0,
    osIds: osIds(),
    hasAptGet: which('apt-get') !== undefined,
  };
}
