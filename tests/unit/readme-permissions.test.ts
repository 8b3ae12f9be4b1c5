import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

// The README tells an admin what the store build asks for before they install it: that list must
// be the manifest's (wxt.config.ts), not an older one.

const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
/** The README's paragraph that starts "The store build asks only for". */
const paragraph = readme.slice(readme.indexOf('The store build asks only for')).split('\n\n')[0] ?? '';
const inBackticks = new Set([...paragraph.matchAll(/`([^`]+)`/g)].map((m) => m[1]));

async function storeManifest() {
  const manifest = config.manifest;
  if (typeof manifest !== 'function') throw new Error('wxt.config.ts: manifest is expected to be a function');
  // biome-ignore lint/suspicious/noExplicitAny: WXT's ConfigEnv has more fields than this function reads.
  return manifest({ mode: 'production', browser: 'chrome', manifestVersion: 3, command: 'build' } as any);
}

describe('README permission list', () => {
  it('names every permission and host permission of the store build, and nothing else', async () => {
    const manifest = await storeManifest();
    const asked = [...(manifest.permissions ?? []), ...(manifest.host_permissions ?? [])].map(String);
    expect(paragraph).not.toBe('');
    expect([...inBackticks].sort()).toEqual([...asked].sort());
  });
});
