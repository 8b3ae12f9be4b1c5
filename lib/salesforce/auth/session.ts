// Reusing the admin's browser session the way Salesforce Inspector Reloaded does (api-facts A2.1):
// the `sid` on a Lightning page (`*.lightning.force.com`) is a restricted UI session with no API
// access. The API-capable sid of the same org lives on the My Domain host
// (`*.my.salesforce.com`); both start with the org id and `!`. So: read the page's sid for its
// org id, look for a sid cookie of that org on the Salesforce cookie domains, and call the host
// that cookie belongs to. The cookie store is a port: the background wires chrome.cookies, tests
// a plain in-memory jar.
import { LOGIN_AGAIN_HINT, SalesforceApiError } from '../errors';
import type { SalesforceSession, TokenSource } from '../transport';

export interface Cookie {
  name: string;
  value: string;
  /** As chrome.cookies reports it: a host ("acme.my.salesforce.com") or ".example.com". */
  domain: string;
}

export interface CookiePort {
  get(url: string, name: string): Promise<Cookie | null>;
  getAll(filter: { name: string; domain: string }): Promise<Cookie[]>;
}

/** Where SIR looks for sid cookies; `getAll({domain})` also matches subdomains. */
export const SID_COOKIE_DOMAINS = [
  'salesforce.com',
  'cloudforce.com',
  'salesforce.mil',
  'cloudforce.mil',
  'sfcrmproducts.cn',
  'force.com',
  'salesforce-setup.com',
] as const;

export interface DiscoveredSession extends SalesforceSession {
  /** 15-char org id: the sid up to the first `!`. */
  orgId: string;
}

const isLoopback = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '[::1]';

/**
 * Maps a Salesforce UI host to its My Domain API host (SIR `getMyDomain()`):
 * `acme.lightning.force.com` → `acme.my.salesforce.com`,
 * `acme--uat.sandbox.lightning.force.com` → `acme--uat.sandbox.my.salesforce.com`,
 * `acme.my.salesforce-setup.com` → `acme.my.salesforce.com`, and drops a `.mcas.ms` proxy suffix.
 */
export function apiHostFor(host: string): string {
  let h = host
    .toLowerCase()
    .replace(/^\./, '')
    .replace(/\.mcas\.ms$/, '');
  h = h.replace(/\.lightning\.force\.com$/, '.my.salesforce.com');
  h = h.replace(/\.lightning\.([a-z0-9-]+)\.force\.com$/, '.my.$1.salesforce.com');
  h = h.replace(/\.my\.salesforce-setup\.com$/, '.my.salesforce.com');
  return h;
}

/** The API origin for a Salesforce page URL; the emulator on loopback is its own API host. */
export function apiOriginFor(pageUrl: string): string {
  const url = new URL(pageUrl);
  if (isLoopback(url.hostname)) return url.origin;
  return `https://${apiHostFor(url.hostname)}`;
}

function noSession(detail: string): SalesforceApiError {
  return new SalesforceApiError('NO_SESSION', `${detail}; ${LOGIN_AGAIN_HINT}`, 'session discovery', 'auth');
}

/** Finds the org's API-capable session for a Salesforce tab's URL. */
export async function discoverSession(cookies: CookiePort, pageUrl: string): Promise<DiscoveredSession> {
  const url = new URL(pageUrl);
  const pageSid = await cookies.get(pageUrl, 'sid');
  if (!pageSid?.value.includes('!')) throw noSession(`No Salesforce session cookie for ${url.host}`);
  const orgId = pageSid.value.slice(0, pageSid.value.indexOf('!'));
  const sameOrg = (c: Cookie) => c.value.startsWith(`${orgId}!`);

  if (isLoopback(url.hostname)) {
    // The emulator serves its pages and its API on one origin: the page's own sid is the session.
    return { orgId, instanceUrl: url.origin, accessToken: pageSid.value };
  }
  const candidates: Cookie[] = [];
  for (const domain of SID_COOKIE_DOMAINS) {
    for (const c of await cookies.getAll({ name: 'sid', domain })) {
      const host = c.domain.replace(/^\./, '');
      if (sameOrg(c) && host !== 'help.salesforce.com') candidates.push(c);
    }
  }
  const wanted = apiHostFor(url.hostname);
  const apiCapable = (c: Cookie) =>
    /\.my\.(?:[a-z0-9-]+\.)?salesforce\.com$/.test(c.domain.replace(/^\./, ''));
  // Prefer the host this page maps to, then any My Domain host of the org, then whatever matched.
  const chosen =
    candidates.find((c) => c.domain.replace(/^\./, '') === wanted) ??
    candidates.find(apiCapable) ??
    candidates.find((c) => !/lightning\.force\.com$|visual\.force\.com$/.test(c.domain));
  if (!chosen) throw noSession(`No API session for org ${orgId} (only a Lightning UI session was found)`);
  const host = apiHostFor(chosen.domain);
  return { orgId, instanceUrl: `https://${host}`, accessToken: chosen.value };
}

/**
 * A token source backed by the browser session. It cannot refresh a session by itself: after a
 * 401 it looks at the cookies again (the admin may have logged in again meanwhile) and otherwise
 * asks the admin to log in.
 */
export class BrowserSessionTokenSource implements TokenSource {
  private current: DiscoveredSession | undefined;

  constructor(
    private readonly cookies: CookiePort,
    /** The URL of a Salesforce tab (or the org's My Domain URL). */
    private readonly pageUrl: () => string | Promise<string>,
  ) {}

  async session(): Promise<DiscoveredSession> {
    this.current ??= await discoverSession(this.cookies, await this.pageUrl());
    return this.current;
  }

  async refresh(expired: SalesforceSession): Promise<SalesforceSession> {
    this.current = undefined;
    const fresh = await discoverSession(this.cookies, await this.pageUrl());
    if (fresh.accessToken === expired.accessToken) {
      throw new SalesforceApiError(
        'INVALID_SESSION_ID',
        `The Salesforce session has expired; ${LOGIN_AGAIN_HINT}`,
        'session discovery',
        'auth',
        401,
      );
    }
    this.current = fresh;
    return fresh;
  }
}

/** A session known up front (a token from the emulator or a script): no refresh is possible. */
export function fixedSession(session: SalesforceSession): TokenSource {
  return {
    session: async () => session,
    refresh: async () => {
      throw new SalesforceApiError(
        'INVALID_SESSION_ID',
        `The Salesforce session has expired; ${LOGIN_AGAIN_HINT}`,
        'session',
        'auth',
        401,
      );
    },
  };
}
