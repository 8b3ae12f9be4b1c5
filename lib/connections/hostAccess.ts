// Host access asked for when the admin connects (docs/permissions.md). The store build is installed
// with access to Salesforce's Lightning pages and its two OAuth login hosts only; the org's My
// Domain (its API and the session cookie that lives there) and the Marketo instance are optional
// host permissions, asked for by the options page — exactly the org and the instance being
// connected — and given back on disconnect. Pure: the options page wires chrome.permissions.

/** The optional host permissions of the manifest (wxt.config.ts reads this list). */
export const OPTIONAL_HOST_PATTERNS = ['https://*.my.salesforce.com/*', 'https://*.mktorest.com/*'] as const;

/** Every org's My Domain: asked for when OAuth starts at login/test.salesforce.com (org unknown yet). */
export const ANY_MY_DOMAIN = OPTIONAL_HOST_PATTERNS[0];

export interface HostPermissionsPort {
  /** chrome.permissions.request: true when granted (at once when already granted, else after a prompt). */
  request(origins: string[]): Promise<boolean>;
  contains(origins: string[]): Promise<boolean>;
  remove(origins: string[]): Promise<boolean>;
}

export class HostAccessRefusedError extends Error {}

/** The match pattern of one URL's origin: `https://acme.my.salesforce.com/x` → `https://acme.my.salesforce.com/*`. */
export function originPattern(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? `${parsed.origin}/*` : undefined;
  } catch {
    return undefined;
  }
}

const OPTIONAL_HOST = /^https:\/\/(?:[a-z0-9-]+\.)+(?:my\.salesforce\.com|mktorest\.com)\/\*$/;

/**
 * Whether a pattern is one of the optional ones (an org, an instance, or a whole optional pattern).
 * Only those are asked for and given back: the rest is the manifest's required access (login hosts,
 * Lightning, and in test builds the emulator on loopback), which Chrome refuses to remove.
 */
export function isOptionalPattern(pattern: string): boolean {
  return (OPTIONAL_HOST_PATTERNS as readonly string[]).includes(pattern) || OPTIONAL_HOST.test(pattern);
}

/**
 * Asks for access to these patterns (from a click: Chrome prompts only during a user gesture).
 * Patterns the build already grants (loopback in test builds) are granted at once, with no prompt.
 * Throws, naming the hosts, when the admin declines.
 */
export async function ensureHostAccess(
  port: HostPermissionsPort,
  patterns: readonly string[],
): Promise<void> {
  const wanted = [...new Set(patterns)];
  if (wanted.length === 0 || (await port.request(wanted))) return;
  const hosts = wanted.map((p) => p.replace(/^https?:\/\//, '').replace(/\/\*$/, '')).join(', ');
  throw new HostAccessRefusedError(
    `Chrome did not give the extension access to ${hosts}: the connection needs it to reach the API. Try again and choose Allow.`,
  );
}

/** Gives back the optional access among these patterns (those still granted); never throws. */
export async function releaseHostAccess(
  port: HostPermissionsPort,
  patterns: readonly string[],
): Promise<void> {
  for (const pattern of new Set(patterns.filter(isOptionalPattern))) {
    try {
      if (await port.contains([pattern])) await port.remove([pattern]);
    } catch {
      // Giving access back is best effort: a leftover grant is harmless once nothing is stored.
    }
  }
}

/**
 * The connected hosts Chrome does not let the extension reach (the admin removed the site access
 * in chrome://extensions, or declined it): named as `host access to acme.my.salesforce.com`, so
 * "Sync now" says what to set up on the options page instead of failing every call with a bare
 * "Failed to fetch".
 */
export async function missingHostAccess(
  port: Pick<HostPermissionsPort, 'contains'>,
  urls: readonly (string | undefined)[],
): Promise<string[]> {
  const missing: string[] = [];
  for (const url of urls) {
    const pattern = url ? originPattern(url) : undefined;
    if (!url || !pattern || (await port.contains([pattern]).catch(() => true))) continue;
    missing.push(`host access to ${new URL(url).host}`);
  }
  return missing;
}
