import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryCookieJar } from '../../lib/salesforce/auth/cookieJar';
import { createPkcePair, pkceChallenge } from '../../lib/salesforce/auth/oauth';
import {
  apiHostFor,
  apiOriginFor,
  BrowserSessionTokenSource,
  discoverSession,
} from '../../lib/salesforce/auth/session';
import { SalesforceApiError } from '../../lib/salesforce/errors';
import { parseLimitInfo } from '../../lib/salesforce/limits';

const ORG = '00D5e000000AbCd';
const OTHER_ORG = '00D5e000000ZzZz';

describe('apiHostFor (UI host → My Domain API host)', () => {
  it.each([
    ['acme.lightning.force.com', 'acme.my.salesforce.com'],
    ['acme--uat.sandbox.lightning.force.com', 'acme--uat.sandbox.my.salesforce.com'],
    ['acme-dev-ed.develop.lightning.force.com', 'acme-dev-ed.develop.my.salesforce.com'],
    ['acme.my.salesforce-setup.com', 'acme.my.salesforce.com'],
    ['acme.lightning.force.com.mcas.ms', 'acme.my.salesforce.com'],
    ['acme.my.salesforce.com', 'acme.my.salesforce.com'],
    ['.ACME.my.salesforce.com', 'acme.my.salesforce.com'],
  ])('%s → %s', (ui, api) => {
    expect(apiHostFor(ui)).toBe(api);
  });

  it('keeps the emulator on loopback as its own API origin', () => {
    expect(apiOriginFor('http://127.0.0.1:4321/lightning/r/Lead/00Q/view')).toBe('http://127.0.0.1:4321');
    expect(apiOriginFor('https://acme.lightning.force.com/lightning/page/home')).toBe(
      'https://acme.my.salesforce.com',
    );
  });
});

describe('discoverSession', () => {
  let jar: MemoryCookieJar;
  beforeEach(() => {
    jar = new MemoryCookieJar();
    jar.set({ name: 'sid', value: `${ORG}!UI-ONLY`, domain: 'acme.lightning.force.com' });
    jar.set({ name: 'sid', value: `${ORG}!HELP`, domain: 'help.salesforce.com' });
    jar.set({ name: 'sid', value: `${OTHER_ORG}!OTHER`, domain: 'other.my.salesforce.com' });
  });

  it('picks the same org’s sid on the My Domain host, not the Lightning UI sid or another org', async () => {
    jar.set({ name: 'sid', value: `${ORG}!API`, domain: 'acme.my.salesforce.com' });
    const session = await discoverSession(
      jar,
      'https://acme.lightning.force.com/lightning/r/Lead/00Q5e000000AAAAAAA/view',
    );
    expect(session).toEqual({
      orgId: ORG,
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: `${ORG}!API`,
    });
  });

  it('works for sandbox hosts', async () => {
    jar.set({ name: 'sid', value: `${ORG}!UI`, domain: 'acme--uat.sandbox.lightning.force.com' });
    jar.set({ name: 'sid', value: `${ORG}!SBX`, domain: 'acme--uat.sandbox.my.salesforce.com' });
    const session = await discoverSession(
      jar,
      'https://acme--uat.sandbox.lightning.force.com/lightning/page/home',
    );
    expect(session.instanceUrl).toBe('https://acme--uat.sandbox.my.salesforce.com');
    expect(session.accessToken).toBe(`${ORG}!SBX`);
  });

  it('asks to log in again when only a UI-only session exists', async () => {
    const error = await discoverSession(jar, 'https://acme.lightning.force.com/').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error.errorCode).toBe('NO_SESSION');
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/log in again/);
  });

  it('asks to log in when the tab has no sid at all', async () => {
    const error = await discoverSession(jar, 'https://nobody.lightning.force.com/').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error.message).toMatch(/No Salesforce session cookie/);
  });

  it('BrowserSessionTokenSource re-reads cookies after a 401 and refuses the same expired sid', async () => {
    jar.set({ name: 'sid', value: `${ORG}!OLD`, domain: 'acme.my.salesforce.com' });
    const source = new BrowserSessionTokenSource(jar, () => 'https://acme.lightning.force.com/');
    const old = await source.session();
    await expect(source.refresh(old)).rejects.toThrow(/log in again/);
    jar.set({ name: 'sid', value: `${ORG}!NEW`, domain: 'acme.my.salesforce.com' });
    expect((await source.refresh(old)).accessToken).toBe(`${ORG}!NEW`);
  });
});

describe('PKCE S256', () => {
  it('challenge is base64url(SHA-256(verifier)) with no padding', async () => {
    const { verifier, challenge } = await createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(await pkceChallenge('abc')).toBe(createHash('sha256').update('abc').digest('base64url'));
    expect((await createPkcePair()).verifier).not.toBe(verifier);
  });
});

describe('Sforce-Limit-Info', () => {
  it.each([
    ['api-usage=18/5000', { used: 18, max: 5000 }],
    ['api-usage=18/5000; per-app-api-usage=17/250(appName=sample-app)', { used: 18, max: 5000 }],
    ['api-bursts=1/750; api-usage=25/15000', { used: 25, max: 15000 }],
  ])('%s', (header, usage) => {
    expect(parseLimitInfo(header)).toEqual(usage);
  });
  it('ignores a missing or unreadable header', () => {
    expect(parseLimitInfo(null)).toBeUndefined();
    expect(parseLimitInfo('per-app-api-usage=1/2')).toBeUndefined();
  });
});
