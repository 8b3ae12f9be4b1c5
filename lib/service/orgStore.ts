// The orgs table (schema `service`, migrations.ts): one row per org, read back through the same zod
// schemas it was written with, so a row edited by hand into something invalid is refused naming
// the field instead of reaching the engine. Settings are kept in the options page's export format
// and read with settingsFromExportJson: the import's validation and its version migrations apply
// to stored settings too when the settings schema moves on.
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { describeIssues } from '../settings/issues';
import type { SyncSettings } from '../settings/schema';
import { settingsFromExportJson, settingsToExportJson } from '../settings/transfer';
import { type OrgConfig, orgConfigSchema, secretRefSchema } from './orgConfig';

export interface Org extends OrgConfig {
  settings: SyncSettings;
  tokenHash: string;
}

type Queryable = Pool | PoolClient;

const rowSchema = z.object({
  id: z.string(),
  name: z.string(),
  salesforce_url: z.string(),
  salesforce_token: secretRefSchema,
  salesforce_refresh: z.unknown().nullable(),
  marketo_url: z.string(),
  marketo_client_id: z.string(),
  marketo_secret: secretRefSchema,
  settings: z.unknown(),
  interval_minutes: z.number(),
  paused: z.boolean(),
  token_hash: z.string(),
});

export class StoredOrgError extends Error {
  override name = 'StoredOrgError';
}

function orgOf(raw: unknown): Org {
  const row = rowSchema.parse(raw);
  const config = orgConfigSchema.safeParse({
    id: row.id,
    name: row.name,
    salesforce: {
      instanceUrl: row.salesforce_url,
      token: row.salesforce_token,
      ...(row.salesforce_refresh !== null && { refresh: row.salesforce_refresh }),
    },
    marketo: { restUrl: row.marketo_url, clientId: row.marketo_client_id, clientSecret: row.marketo_secret },
    intervalMinutes: row.interval_minutes,
    paused: row.paused,
  });
  if (!config.success)
    throw new StoredOrgError(`org ${row.id} in PostgreSQL is invalid: ${config.error.message}`);
  const settings = settingsFromExportJson(JSON.stringify(row.settings));
  if (!settings.ok)
    throw new StoredOrgError(
      `org ${row.id}: its stored settings are invalid: ${describeIssues(settings.errors)}`,
    );
  return { ...config.data, settings: settings.value, tokenHash: row.token_hash };
}

/** Adds the org; the caller's transaction decides whether it is kept. */
export async function insertOrg(db: Queryable, org: Org): Promise<void> {
  // The schedule lives in the org's columns; the stored settings say the same so views agree.
  const settings = { ...org.settings, intervalMinutes: org.intervalMinutes, paused: org.paused };
  await db.query(
    `INSERT INTO service.orgs (id, name, salesforce_url, salesforce_token, salesforce_refresh, marketo_url,
       marketo_client_id, marketo_secret, settings, interval_minutes, paused, token_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      org.id,
      org.name,
      org.salesforce.instanceUrl,
      JSON.stringify(org.salesforce.token),
      org.salesforce.refresh ? JSON.stringify(org.salesforce.refresh) : null,
      org.marketo.restUrl,
      org.marketo.clientId,
      JSON.stringify(org.marketo.clientSecret),
      settingsToExportJson(settings),
      org.intervalMinutes,
      org.paused,
      org.tokenHash,
    ],
  );
}

export async function findOrg(db: Queryable, id: string): Promise<Org | undefined> {
  const { rows } = await db.query('SELECT * FROM service.orgs WHERE id = $1', [id]);
  return rows[0] === undefined ? undefined : orgOf(rows[0]);
}

export async function listOrgs(db: Queryable): Promise<Org[]> {
  const { rows } = await db.query('SELECT * FROM service.orgs ORDER BY id');
  return rows.map(orgOf);
}

/**
 * Replaces the org's settings and interval (the settings say the same interval, as insertOrg
 * keeps them); the caller's transaction also moves the schedule. False when there is no such org.
 */
export async function setOrgSettings(
  db: Queryable,
  org: Pick<Org, 'id' | 'paused'>,
  settings: SyncSettings,
): Promise<boolean> {
  const stored = { ...settings, paused: org.paused };
  const { rowCount } = await db.query(
    `UPDATE service.orgs SET settings = $2, interval_minutes = $3, updated_at = now() WHERE id = $1`,
    [org.id, settingsToExportJson(stored), settings.intervalMinutes],
  );
  return rowCount === 1;
}

/** Sets the paused flag (and the stored settings' copy); false when there is no such org. */
export async function setOrgPaused(db: Queryable, id: string, paused: boolean): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE service.orgs SET paused = $2, updated_at = now(),
       settings = jsonb_set(settings, '{settings,paused}', to_jsonb($2::boolean))
     WHERE id = $1`,
    [id, paused],
  );
  return rowCount === 1;
}

/** The org's status-API token hash, without parsing the rest (the API checks it on every request). */
export async function orgTokenHash(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ token_hash: string }>(
    'SELECT token_hash FROM service.orgs WHERE id = $1',
    [id],
  );
  return rows[0]?.token_hash;
}
