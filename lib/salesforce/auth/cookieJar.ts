// A plain in-memory CookiePort with the matching rules chrome.cookies uses, for running the
// client outside a browser (Node, tests, headless runs): `get(url)` finds a cookie whose domain
// covers the URL's host; `getAll({domain})` finds cookies on that domain or its subdomains.
// Cookies on loopback are shared by every port, as in browsers.
import type { Cookie, CookiePort } from './session';

export class MemoryCookieJar implements CookiePort {
  private readonly cookies: (Cookie & { hostOnly: boolean })[] = [];

  /** Stores a cookie; `domain` with a leading dot (or hostOnly false) also covers subdomains. */
  set(cookie: Cookie & { hostOnly?: boolean }): void {
    const hostOnly = cookie.hostOnly ?? !cookie.domain.startsWith('.');
    const domain = cookie.domain.toLowerCase();
    const at = this.cookies.findIndex((c) => c.name === cookie.name && c.domain === domain);
    const entry = { name: cookie.name, value: cookie.value, domain, hostOnly };
    if (at >= 0) this.cookies[at] = entry;
    else this.cookies.push(entry);
  }

  /** Reads the Set-Cookie headers of a response to `url`, as a browser would store them. */
  setFromResponse(url: string, response: Response): void {
    const host = new URL(url).hostname.toLowerCase();
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair!.indexOf('=');
      if (eq <= 0) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const domainAttr = attributes.map((a) => a.trim()).find((a) => /^domain=/i.test(a));
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) {
        this.remove(name, host);
        continue;
      }
      if (domainAttr)
        this.set({ name, value, domain: `.${domainAttr.slice(7).replace(/^\./, '')}`, hostOnly: false });
      else this.set({ name, value, domain: host, hostOnly: true });
    }
  }

  remove(name: string, domain: string): void {
    const at = this.cookies.findIndex((c) => c.name === name && c.domain.replace(/^\./, '') === domain);
    if (at >= 0) this.cookies.splice(at, 1);
  }

  async get(url: string, name: string): Promise<Cookie | null> {
    const host = new URL(url).hostname.toLowerCase();
    const matches = this.cookies.filter((c) => c.name === name && covers(c, host));
    // The most specific domain wins, as in the browser's cookie order.
    matches.sort((a, b) => b.domain.length - a.domain.length);
    const hit = matches[0];
    return hit ? { name: hit.name, value: hit.value, domain: hit.domain } : null;
  }

  async getAll(filter: { name: string; domain: string }): Promise<Cookie[]> {
    const domain = filter.domain.toLowerCase().replace(/^\./, '');
    return this.cookies
      .filter((c) => c.name === filter.name)
      .filter((c) => {
        const d = c.domain.replace(/^\./, '');
        return d === domain || d.endsWith(`.${domain}`);
      })
      .map((c) => ({ name: c.name, value: c.value, domain: c.domain }));
  }
}

function covers(cookie: { domain: string; hostOnly: boolean }, host: string): boolean {
  const d = cookie.domain.replace(/^\./, '');
  if (cookie.hostOnly) return d === host;
  return host === d || host.endsWith(`.${d}`);
}
