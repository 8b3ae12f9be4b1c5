import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

// What the store build asks Chrome for is exactly the documented list (docs/permissions.md and the
// README's "What the store build asks Chrome for"): a permission or host added to wxt.config.ts, or
// to the content script's matches, fails here until the documents say why.

const STORE = {
  permissions: ['storage', 'alarms', 'cookies', 'identity', 'notifications'],
  host_permissions: [
    'https://*.lightning.force.com/*',
    'https://login.salesforce.com/*',
    'https://test.salesforce.com/*',
  ],
  optional_host_permissions: ['https://*.my.salesforce.com/*', 'https://*.mktorest.com/*', 'https://*/*'],
  content_scripts: ['https://*.lightning.force.com/lightning/*'],
  extension_pages_csp: "script-src 'self'; object-src 'none'; base-uri 'none'",
};
const LOOPBACK = ['http://127.0.0.1/*', 'http://localhost/*'];

const root = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

async function manifestFor(mode: 'production' | 'test') {
  const manifest = config.manifest;
  if (typeof manifest !== 'function') throw new Error('wxt.config.ts: manifest is expected to be a function');
  // biome-ignore lint/suspicious/noExplicitAny: WXT's ConfigEnv has more fields than this function reads.
  return manifest({ mode, browser: 'chrome', manifestVersion: 3, command: 'build' } as any);
}

/** The content script's matches, as its entrypoint declares them (WXT copies them into the manifest). */
function contentScriptMatches(): string[] {
  const source = read('entrypoints/salesforce.content/index.tsx');
  const list = /defineContentScript\(\{[\s\S]*?matches:\s*\[([^\]]*)\]/.exec(source)?.[1];
  if (!list) throw new Error('entrypoints/salesforce.content/index.tsx: no matches list found');
  return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** The store build's content scripts after WXT's manifest hook (it adds loopback in test builds only). */
function afterHook(mode: string): string[] {
  const manifest = { content_scripts: [{ matches: contentScriptMatches(), js: ['x.js'] }] };
  const hooks = config.hooks as Record<string, (wxt: unknown, manifest: unknown) => void> | undefined;
  const hook = hooks?.['build:manifestGenerated'];
  if (!hook) throw new Error('wxt.config.ts: the build:manifestGenerated hook is missing');
  hook({ config: { mode } }, manifest);
  return manifest.content_scripts.flatMap((s) => s.matches);
}

/**
 * The README's section as lists: each line ending with ":" starts a list, each "- " item in it
 * contributes its first `code` span.
 */
function readmeLists(): Record<string, string[]> {
  const readme = read('README.md');
  const start = readme.indexOf('### What the store build asks Chrome for');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const lists: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const line of section.split('\n')) {
    if (/^[A-Z].*:$/.test(line)) lists[line] = current = [];
    else if (line.startsWith('- ')) current?.push(/`([^`]+)`/.exec(line)?.[1] ?? line);
    else if (line.trim() !== '' && !line.startsWith('  ')) current = undefined;
  }
  return lists;
}

/** docs/permissions.md's tables: the first `code` cell of each row, per "## " section. */
function docsTables(): Record<string, string[]> {
  const tables: Record<string, string[]> = {};
  let heading = '';
  for (const line of read('docs/permissions.md').split('\n')) {
    if (line.startsWith('## ')) heading = line.slice(3);
    const cell = /^\| `([^`]+)` *\|/.exec(line)?.[1];
    if (cell) tables[heading] = [...(tables[heading] ?? []), cell];
  }
  return tables;
}

describe('the store manifest', () => {
  it('asks for exactly the documented permissions, hosts and optional hosts, with a strict CSP', async () => {
    const manifest = await manifestFor('production');
    expect(manifest.permissions).toEqual(STORE.permissions);
    expect(manifest.host_permissions).toEqual(STORE.host_permissions);
    expect(manifest.optional_host_permissions).toEqual(STORE.optional_host_permissions);
    expect(manifest.content_security_policy).toEqual({ extension_pages: STORE.extension_pages_csp });
    expect(afterHook('production')).toEqual(STORE.content_scripts);
  });

  it('never asks for Sites and Experience Cloud domains or loopback in the store build', async () => {
    const manifest = await manifestFor('production');
    const hosts = [
      ...(manifest.host_permissions ?? []),
      ...(manifest.optional_host_permissions ?? []),
      ...afterHook('production'),
    ];
    for (const broad of ['https://*.force.com/*', 'https://*.salesforce.com/*', '<all_urls>', ...LOOPBACK])
      expect(hosts).not.toContain(broad);
  });

  it('test builds add the emulator on loopback as required hosts and content script matches', async () => {
    const manifest = await manifestFor('test');
    expect(manifest.host_permissions).toEqual([...STORE.host_permissions, ...LOOPBACK]);
    expect(manifest.optional_host_permissions).toEqual(STORE.optional_host_permissions);
    expect(afterHook('test')).toEqual([...STORE.content_scripts, ...LOOPBACK]);
  });

  it('the README lists exactly what the store manifest asks for', async () => {
    const lists = readmeLists();
    expect(Object.keys(lists)).toEqual([
      'Permissions, asked at install:',
      'Host permissions, asked at install:',
      'Optional host permissions, asked for when you connect and given back when you disconnect:',
      'Content script, on Lightning pages only:',
    ]);
    const [permissions, hosts, optional, content] = Object.values(lists);
    expect(permissions).toEqual(STORE.permissions);
    expect(hosts).toEqual(STORE.host_permissions);
    expect(optional).toEqual(STORE.optional_host_permissions);
    expect(content).toEqual(STORE.content_scripts);
    expect(read('README.md')).toContain(`\`${STORE.extension_pages_csp}\``);
  });

  it('docs/permissions.md explains each of them', () => {
    const tables = docsTables();
    expect(tables['Permissions (asked at install)']).toEqual(STORE.permissions);
    expect(tables['Host permissions (asked at install)']).toEqual(STORE.host_permissions);
    expect(
      tables['Optional host permissions (asked when the admin connects, given back on disconnect)'],
    ).toEqual(STORE.optional_host_permissions);
    expect(read('docs/permissions.md')).toContain(`\`${STORE.extension_pages_csp}\``);
  });
});
