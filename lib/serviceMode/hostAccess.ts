import { isOptionalPattern, originPattern } from '../connections/hostAccess';
import type { ServiceConnectionView } from '../messaging/serviceViews';

// Host access to the service (docs/permissions.md). A service can be at any https origin, so the
// manifest lists every https origin as optional; the options page asks for exactly the service's
// origin on Save and Test (a click), and gives it back when the service is no longer used.

/** The optional host permission a service's status API needs (wxt.config.ts). */
export const SERVICE_HOST_PATTERN = 'https://*/*';

/**
 * The service origin to give back after a save: the one saved before, when the cycles no longer run
 * there. Never a loopback origin (test builds hold it as required, and Chrome refuses to remove
 * those) nor a Salesforce or Marketo host (the connections may hold the same grant).
 */
export function serviceHostToRelease(
  before: Pick<ServiceConnectionView, 'url'>,
  after: Pick<ServiceConnectionView, 'syncRunsIn' | 'url'>,
): string | undefined {
  const old = before.url ? originPattern(before.url) : undefined;
  if (!old?.startsWith('https://') || isOptionalPattern(old)) return undefined;
  const used = after.syncRunsIn === 'service' && after.url ? originPattern(after.url) : undefined;
  return used === old ? undefined : old;
}
