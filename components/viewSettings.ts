import * as z from 'zod/mini';

// What the popup shows from the stored settings, parsed with zod/mini. The full schemas of
// lib/settings (classic zod) would add ~14 KB gzipped to a popup whose budget is 50 KB (design §9);
// these parse only the fields the popup reads and ignore the rest, which the options page owns and
// validates when it saves them. Storage keys: lib/settings/store.ts (`local:settings` is `settings`).

export const VIEW_STORAGE_KEYS = { settings: 'settings', connections: 'connections' } as const;

const viewSettingsSchema = z.object({
  personLabel: z._default(z.enum(['Lead', 'Person']), 'Lead'),
});

/** Only http(s) origins may become link targets (the options page stores normalised origins). */
const origin = z.string().check(z.regex(/^https?:\/\/[^/\s]+$/, 'not an http(s) origin'));

const viewConnectionsSchema = z.object({
  salesforce: z._default(
    z.object({
      instanceUrl: z.optional(origin),
      user: z.optional(z.object({ username: z.string(), displayName: z.string(), isAdmin: z.boolean() })),
    }),
    {},
  ),
  marketo: z._default(
    z.object({ restEndpoint: z.optional(z.string()), clientId: z.optional(z.string()) }),
    {},
  ),
});

export type ViewSettings = z.output<typeof viewSettingsSchema>;
export type ViewConnections = z.output<typeof viewConnectionsSchema>;

export type ViewParsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parse<T>(schema: z.ZodMiniType<T>, what: string, stored: unknown): ViewParsed<T> {
  const result = schema.safeParse(stored ?? {});
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, error: `Stored ${what} are invalid: ${issues.join('; ')}` };
}

export const parseViewSettings = (stored: unknown) => parse(viewSettingsSchema, 'settings', stored);
export const parseViewConnections = (stored: unknown) =>
  parse(viewConnectionsSchema, 'connection settings', stored);
