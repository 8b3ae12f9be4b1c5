import { z } from 'zod';
import { serviceConnectionSchema, serviceSecretsSchema, syncRunsInSchema } from './serviceConnection';

// Connection settings. The non-secret part (where to connect, as whom) and the secrets (tokens,
// client secret) are separate schemas in separate storage keys, so nothing that reads or exports
// settings can pick up a secret by accident (design §7: secrets in storage.local only, never sent
// to a content script).

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** https, or http on a loopback host with an explicit port: the local emulator. */
function isAllowedOrigin(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && url.port !== '';
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

const SALESFORCE_HOST = /(^|\.)(salesforce\.com|force\.com|salesforce\.mil|cloudforce\.com)$/;

/** A Salesforce origin (My Domain, instance or login host), normalised to `https://host`. */
export const salesforceUrlSchema = z.string().transform((value, ctx) => {
  const url = parseUrl(value.trim());
  if (!url || !isAllowedOrigin(url) || (url.protocol === 'https:' && !SALESFORCE_HOST.test(url.hostname))) {
    ctx.addIssue({
      code: 'custom',
      message:
        'not a Salesforce URL (https://yourdomain.my.salesforce.com, or http://127.0.0.1:port for the emulator)',
    });
    return z.NEVER;
  }
  return url.origin;
});

/** Marketo's Munchkin account id, e.g. 284-RPR-133 (Admin → Munchkin). */
export const MUNCHKIN_ID = /^\d{3}-[A-Za-z0-9]{3}-\d{3}$/;

/**
 * Marketo's REST endpoint as Admin → Web Services shows it (`https://284-RPR-133.mktorest.com/rest`),
 * with or without `/rest`, or just the Munchkin id. Normalised to `<origin>/rest`, host in lower case
 * (as URL parsing gives it), so parsing a stored value again returns it unchanged.
 */
export const marketoEndpointSchema = z.string().transform((value, ctx) => {
  const trimmed = value.trim();
  if (MUNCHKIN_ID.test(trimmed)) return `https://${trimmed.toLowerCase()}.mktorest.com/rest`;
  const url = parseUrl(trimmed);
  const path = url?.pathname.replace(/\/+$/, '') ?? '';
  const hostOk =
    url &&
    isAllowedOrigin(url) &&
    (url.protocol === 'http:' || /^\d{3}-[a-z0-9]{3}-\d{3}\.mktorest\.com$/i.test(url.hostname));
  if (!url || !hostOk || (path !== '' && path !== '/rest') || url.search || url.hash) {
    ctx.addIssue({
      code: 'custom',
      message:
        'not a Marketo REST endpoint (https://123-ABC-456.mktorest.com/rest or a Munchkin id like 123-ABC-456)',
    });
    return z.NEVER;
  }
  return `${url.origin}/rest`;
});

/** `https://284-RPR-133.mktorest.com/rest` → `https://284-RPR-133.mktorest.com` (identity lives there). */
export const marketoBaseUrl = (restEndpoint: string) => restEndpoint.replace(/\/rest$/, '');

const salesforceId = z
  .string()
  .regex(/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/, 'not a 15- or 18-character Salesforce id');

export const salesforceConnectionSchema = z.strictObject({
  /** session: the logged-in admin's browser session; oauth: a dedicated sync user (design §3). */
  mode: z.enum(['session', 'oauth']).default('session'),
  /** API host, e.g. https://acme.my.salesforce.com. Discovered from the session when unset. */
  instanceUrl: salesforceUrlSchema.optional(),
  /** Where OAuth starts: login.salesforce.com, test.salesforce.com (sandboxes) or the My Domain. */
  loginHost: salesforceUrlSchema.default('https://login.salesforce.com'),
  /** Consumer key of the External Client App / Connected App, for OAuth (PKCE, no secret). */
  clientId: z.string().min(1).max(256).optional(),
  orgId: salesforceId
    .refine((id) => id.startsWith('00D'), 'not an organization id (starts with 00D)')
    .optional(),
  user: z
    .strictObject({
      id: salesforceId,
      username: z.string().min(1),
      displayName: z.string(),
      isAdmin: z.boolean(),
    })
    .optional(),
});

export const marketoConnectionSchema = z.strictObject({
  restEndpoint: marketoEndpointSchema.optional(),
  /** The LaunchPoint custom service's client id (its secret is in the secrets). */
  clientId: z.string().min(1).max(256).optional(),
});

export const connectionSettingsSchema = z.strictObject({
  salesforce: salesforceConnectionSchema.prefault({}),
  marketo: marketoConnectionSchema.prefault({}),
  /** Issue 21: cycles run here or in a service whose log the pages show (./serviceConnection.ts). */
  syncRunsIn: syncRunsInSchema,
  service: serviceConnectionSchema.optional(),
});
export type ConnectionSettings = z.output<typeof connectionSettingsSchema>;

const token = z.strictObject({
  value: z.string().min(1),
  /** Epoch ms; the token is renewed before this. */
  expiresAt: z.number().int().nonnegative(),
});

export const secretsSchema = z.strictObject({
  salesforce: z
    .strictObject({
      refreshToken: z.string().min(1).optional(),
      accessToken: token.optional(),
    })
    .prefault({}),
  marketo: z
    .strictObject({
      clientSecret: z.string().min(1).optional(),
      accessToken: token.optional(),
    })
    .prefault({}),
  service: serviceSecretsSchema,
});
export type Secrets = z.output<typeof secretsSchema>;
