import { describe, expect, it } from 'vitest';
import {
  ANY_MY_DOMAIN,
  ensureHostAccess,
  HostAccessRefusedError,
  type HostPermissionsPort,
  isOptionalPattern,
  missingHostAccess,
  OPTIONAL_HOST_PATTERNS,
  originPattern,
  releaseHostAccess,
} from '../../lib/connections/hostAccess';

/** chrome.permissions as the options page sees it: required grants, optional ones, and the prompt's answer. */
function fakePermissions(answer: boolean, granted: string[] = []) {
  const required = new Set(['https://login.salesforce.com/*', 'http://127.0.0.1/*']);
  const optional = new Set(granted);
  const calls: string[] = [];
  const covers = (pattern: string) =>
    required.has(pattern) ||
    optional.has(pattern) ||
    (pattern.startsWith('http://127.0.0.1:') && required.has('http://127.0.0.1/*'));
  const port: HostPermissionsPort = {
    async request(origins) {
      calls.push(`request ${origins.join(' ')}`);
      if (origins.every(covers)) return true;
      if (answer) for (const o of origins) optional.add(o);
      return answer;
    },
    async contains(origins) {
      return origins.every(covers);
    },
    async remove(origins) {
      calls.push(`remove ${origins.join(' ')}`);
      if (origins.some((o) => required.has(o))) throw new Error('You cannot remove required permissions.');
      for (const o of origins) optional.delete(o);
      return true;
    },
  };
  return { port, calls, optional };
}

describe('host access asked for on connect', () => {
  it('makes one origin pattern of a URL, and none of something else', () => {
    expect(originPattern('https://acme.my.salesforce.com/lightning/x?y')).toBe(
      'https://acme.my.salesforce.com/*',
    );
    expect(originPattern(' https://284-RPR-133.mktorest.com/rest ')).toBe(
      'https://284-rpr-133.mktorest.com/*',
    );
    expect(originPattern('http://127.0.0.1:4123/rest')).toBe('http://127.0.0.1:4123/*');
    expect(originPattern('acme')).toBeUndefined();
    expect(originPattern('javascript:alert(1)')).toBeUndefined();
  });

  it('treats an org, an instance and the optional patterns as optional; login hosts and loopback not', () => {
    for (const p of [
      ...OPTIONAL_HOST_PATTERNS,
      'https://acme.my.salesforce.com/*',
      'https://acme--uat.sandbox.my.salesforce.com/*',
      'https://284-rpr-133.mktorest.com/*',
    ])
      expect(isOptionalPattern(p), p).toBe(true);
    for (const p of [
      'https://login.salesforce.com/*',
      'https://acme.lightning.force.com/*',
      'http://127.0.0.1:4123/*',
      'https://evil.com/*',
      'https://my.salesforce.com.evil.com/*',
    ])
      expect(isOptionalPattern(p), p).toBe(false);
  });

  it('asks once for what is wanted; a refusal is an error naming the hosts', async () => {
    const granted = fakePermissions(true);
    await ensureHostAccess(granted.port, [
      'https://acme.my.salesforce.com/*',
      'https://acme.my.salesforce.com/*',
    ]);
    expect(granted.calls).toEqual(['request https://acme.my.salesforce.com/*']);
    expect([...granted.optional]).toEqual(['https://acme.my.salesforce.com/*']);

    const refused = fakePermissions(false);
    const error = await ensureHostAccess(refused.port, ['https://284-rpr-133.mktorest.com/*']).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(HostAccessRefusedError);
    expect(error.message).toMatch(/access to 284-rpr-133\.mktorest\.com/);
  });

  it('grants the emulator on loopback with no prompt (test builds have it as required)', async () => {
    const never = fakePermissions(false);
    await ensureHostAccess(never.port, ['http://127.0.0.1:4123/*']);
  });

  it('gives back only optional grants that are held, and never throws', async () => {
    const { port, calls, optional } = fakePermissions(true, [
      'https://acme.my.salesforce.com/*',
      ANY_MY_DOMAIN,
    ]);
    await releaseHostAccess(port, [
      'https://acme.my.salesforce.com/*',
      'https://login.salesforce.com/*',
      'http://127.0.0.1:4123/*',
      'https://other.my.salesforce.com/*',
      ANY_MY_DOMAIN,
    ]);
    expect(calls).toEqual([`remove https://acme.my.salesforce.com/*`, `remove ${ANY_MY_DOMAIN}`]);
    expect(optional.size).toBe(0);
    const failing = {
      ...port,
      contains: async () => true,
      remove: async () => Promise.reject(new Error('x')),
    };
    await expect(releaseHostAccess(failing, ['https://acme.my.salesforce.com/*'])).resolves.toBeUndefined();
  });

  it('names the connected hosts Chrome does not let the extension reach', async () => {
    const { port } = fakePermissions(false, ['https://acme.my.salesforce.com/*']);
    expect(
      await missingHostAccess(port, [
        'https://acme.my.salesforce.com',
        'https://284-rpr-133.mktorest.com/rest',
      ]),
    ).toEqual(['host access to 284-rpr-133.mktorest.com']);
    expect(await missingHostAccess(port, ['http://127.0.0.1:4123', undefined])).toEqual([]);
  });
});
