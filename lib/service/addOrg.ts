// `add-org`: validates everything before writing anything — the connection config (naming the
// command-line option of each bad field), that each secret reference resolves on this machine (the
// variable is set, the file readable: a typo found now, not at 3 a.m. in a worker's log), the
// settings file (the options page's export, validated as an import, naming each field) — then
// writes the org row and its pg-boss schedule in ONE transaction: an error leaves neither.
import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';
import { describeIssues, fieldIssues } from '../settings/issues';
import { defaultSettings, type SyncSettings } from '../settings/schema';
import { settingsFromExportJson } from '../settings/transfer';
import { hashApiToken, newApiToken } from './apiToken';
import { scheduleOrg } from './cycleQueue';
import { type OrgConfig, orgConfigSchema, type SecretRef } from './orgConfig';
import { findOrg, insertOrg } from './orgStore';
import { readSecret } from './secrets';
import { withTransaction } from './transaction';

export class AdminInputError extends Error {
  override name = 'AdminInputError';
}

export interface AddOrgInput {
  id: string;
  name?: string | undefined;
  salesforceUrl: string;
  salesforceToken: SecretRef;
  /**
   * OAuth refresh credentials (a connected app's refresh token for the sync user): an access token
   * Salesforce refuses is then replaced, as the extension's OAuth connection does. The login URL
   * defaults to the instance URL (My Domain answers /services/oauth2/token).
   */
  salesforceRefresh?: { token: SecretRef; clientId: string; loginUrl?: string | undefined } | undefined;
  marketoUrl: string;
  marketoClientId: string;
  marketoSecret: SecretRef;
  settingsFile?: string | undefined;
  intervalMinutes?: number | undefined;
}

/** The command-line option behind each config field, for error messages. */
const OPTION_OF: Record<string, string> = {
  id: '--id',
  name: '--name',
  'salesforce.instanceUrl': '--salesforce-url',
  'salesforce.token': '--salesforce-token-env/--salesforce-token-file',
  'salesforce.refresh.token': '--salesforce-refresh-token-env/--salesforce-refresh-token-file',
  'salesforce.refresh.clientId': '--salesforce-client-id',
  'salesforce.refresh.loginUrl': '--salesforce-login-url',
  'marketo.restUrl': '--marketo-url',
  'marketo.clientId': '--marketo-client-id',
  'marketo.clientSecret': '--marketo-secret-env/--marketo-secret-file',
  intervalMinutes: '--interval-minutes',
};

/** The settings in an options-page export file (default settings without one), validated as an import. */
export function settingsOf(file: string | undefined): SyncSettings {
  if (file === undefined) return defaultSettings();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AdminInputError(`--settings ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const parsed = settingsFromExportJson(text);
  if (!parsed.ok)
    throw new AdminInputError(`--settings ${file} was refused: ${describeIssues(parsed.errors)}`);
  return parsed.value;
}

export function orgConfigOf(input: AddOrgInput, settings: SyncSettings): OrgConfig {
  const parsed = orgConfigSchema.safeParse({
    id: input.id,
    name: input.name ?? input.id,
    salesforce: {
      instanceUrl: input.salesforceUrl,
      token: input.salesforceToken,
      ...(input.salesforceRefresh && {
        refresh: {
          token: input.salesforceRefresh.token,
          clientId: input.salesforceRefresh.clientId,
          loginUrl: input.salesforceRefresh.loginUrl ?? input.salesforceUrl,
        },
      }),
    },
    marketo: {
      restUrl: input.marketoUrl,
      clientId: input.marketoClientId,
      clientSecret: input.marketoSecret,
    },
    intervalMinutes: input.intervalMinutes ?? settings.intervalMinutes,
    paused: false,
  });
  if (parsed.success) return parsed.data;
  const issues = fieldIssues(parsed.error).map((issue) => {
    const field = Object.keys(OPTION_OF).find((f) => issue.path === f || issue.path.startsWith(`${f}.`));
    return { path: field ? OPTION_OF[field]! : issue.path, message: issue.message };
  });
  throw new AdminInputError(describeIssues(issues));
}

/** Adds the org and schedules it; answers its status-API token (shown once, stored hashed). */
export async function addOrg(pool: Pool, boss: PgBoss, input: AddOrgInput): Promise<string> {
  const settings = settingsOf(input.settingsFile);
  const config = orgConfigOf(input, settings);
  const missing = (
    [
      [config.salesforce.token, 'Salesforce access token'],
      ...(config.salesforce.refresh
        ? [[config.salesforce.refresh.token, 'Salesforce refresh token'] as const]
        : []),
      [config.marketo.clientSecret, 'Marketo client secret'],
    ] as const
  ).flatMap(([ref, what]) => {
    try {
      readSecret(ref, what);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  });
  if (missing.length > 0) throw new AdminInputError(missing.join('; '));
  const token = newApiToken();
  await withTransaction(pool, async (client, db) => {
    if (await findOrg(client, config.id)) throw new AdminInputError(`org ${config.id} already exists`);
    await insertOrg(client, { ...config, settings, tokenHash: hashApiToken(token) });
    await scheduleOrg(boss, config, { db });
  });
  return token;
}
