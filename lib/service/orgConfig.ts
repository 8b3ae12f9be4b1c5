// What the service keeps about an org (docs/service.md): its connections, the REFERENCES to its
// secrets, its settings and its schedule. Secrets themselves never enter the config or the
// database: a reference names an environment variable or a file each worker reads at cycle time, so
// rotating a secret is a change to the worker's environment (or the file), not to PostgreSQL.
import { z } from 'zod';

/** An org's id: a slug, also its log's name (openPostgresLog) and its pg-boss singleton key. */
export const orgIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a slug: lowercase letters, digits and dashes, at most 40');

/** An environment variable's name, as POSIX shells accept it. */
const envNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name');

/** Where a secret is: `{ env: NAME }` or `{ file: PATH }` (absolute, so every worker reads the same). */
export const secretRefSchema = z.union([
  z.strictObject({ env: envNameSchema }),
  z.strictObject({ file: z.string().startsWith('/', 'must be an absolute path') }),
]);
export type SecretRef = z.infer<typeof secretRefSchema>;

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'not an http(s) URL' })
  // Stored as an origin-and-path without a trailing slash: the clients append their own paths.
  .transform((url) => url.replace(/\/+$/, ''));

export const salesforceConfigSchema = z.strictObject({
  /** The org's instance URL (My Domain), where its REST API answers. */
  instanceUrl: httpUrl,
  /** An access token for the sync user. */
  token: secretRefSchema,
  /**
   * With a refresh token (OAuth grant of a connected app, public client), an expired access token is
   * replaced on the first 401, as the extension's OAuth connection does (lib/salesforce/auth).
   */
  refresh: z
    .strictObject({ token: secretRefSchema, clientId: z.string().min(1), loginUrl: httpUrl })
    .optional(),
});

export const marketoConfigSchema = z.strictObject({
  /** The instance's REST base URL (https://NNN-XXX-NNN.mktorest.com), without `/rest`. */
  restUrl: httpUrl,
  clientId: z.string().min(1, 'is required'),
  clientSecret: secretRefSchema,
});

export const orgConfigSchema = z.strictObject({
  id: orgIdSchema,
  name: z.string().min(1).max(200),
  salesforce: salesforceConfigSchema,
  marketo: marketoConfigSchema,
  /** Minutes between scheduled cycles: pg-boss cron has minute precision, as the extension's alarm. */
  intervalMinutes: z.number().int().min(1).max(60),
  paused: z.boolean(),
});
export type OrgConfig = z.infer<typeof orgConfigSchema>;
