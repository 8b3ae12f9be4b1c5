import { z } from 'zod';
import { orgIdSchema } from '../service/orgConfig';

// "Sync runs in: this browser | a service" (issue 21, docs/service-mode.md). The service's URL and
// org are connection settings (storage.local, beside the Salesforce and Marketo connections); its
// token is a secret, kept in the secrets item like the Marketo client secret and never sent to a
// page or a content script.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The status API's base URL: https, or http on a loopback host (the service on the admin's own
 * machine, the demo). Stored as origin + path without a trailing slash; the client appends
 * `/v1/orgs/…` (lib/service/statusApi.ts).
 */
export const serviceUrlSchema = z.string().transform((value, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  const allowed =
    url &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash;
  if (!url || !allowed) {
    ctx.addIssue({
      code: 'custom',
      message:
        'not a service URL (https://sync.example.com, or http://127.0.0.1:8787 for a service on this machine)',
    });
    return z.NEVER;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
});

/** The status-API token `npm run service -- add-org` printed (lib/service/apiToken.ts). */
export const serviceTokenSchema = z
  .string()
  .trim()
  .min(1, 'required')
  .max(512)
  .regex(/^\S+$/, 'a token has no spaces');

export const serviceConnectionSchema = z.strictObject({ url: serviceUrlSchema, orgId: orgIdSchema });
export type ServiceConnection = z.output<typeof serviceConnectionSchema>;

/**
 * Where the cycles run. `service`: this browser runs none and shows the service's log. Absent means
 * this browser (connections stored before issue 21, and the service's own ConnectionSettings).
 */
export const syncRunsInSchema = z.enum(['browser', 'service']).optional();
export type SyncRunsIn = 'browser' | 'service';

export const serviceSecretsSchema = z.strictObject({ token: z.string().min(1).optional() }).optional();

/** Whether these connections say the cycles run in a service (and name one). */
export const runsInService = (connections: {
  syncRunsIn?: SyncRunsIn | undefined;
  service?: ServiceConnection | undefined;
}): connections is { syncRunsIn: 'service'; service: ServiceConnection } =>
  connections.syncRunsIn === 'service' && connections.service !== undefined;
