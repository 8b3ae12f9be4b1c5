// "Pending" = the record changed in Salesforce since it was last synced, in a way the next cycle
// will write. Decided by hashing the record's mapped fields exactly as Pull Updates does and
// comparing them with the hashes the engine stored for it (its current sync state, lib/db/syncState): no clock comparison
// (SystemModstamp is Salesforce's clock, our log is the browser's), no false "pending" from the
// echo of our own pushes (their hashes are stored), and a change to an unmapped field — which the
// next cycle will only skip — is not called pending. It costs one SOQL query by id, made only when
// a panel asks, and cached per record until the record's log changes or `ttlMs` passes.
import type { LogDatabase } from '../db/logPort';
import type { ClockPort } from '../http/ports';
import type { SalesforceClient } from '../salesforce/client';
import { eq, soql } from '../salesforce/soql';
import type { SyncSettings } from '../settings/schema';
import { valueHash } from '../sync/hash';
import { resolveMapping, toMarketoValue } from '../sync/mapping';
import { MARKETO_LEAD_SCHEMA } from '../sync/schemaCache';
import { heldByThreshold } from '../sync/thresholds';

export type PendingCheck =
  /** `changed`: mapped fields whose value differs from what was synced (all of them if never synced). */
  | { kind: 'checked'; changed: string[]; excludedBy?: string }
  /** The record is gone from Salesforce's live records (deleted, or invisible to the sync user). */
  | { kind: 'missing' }
  | { kind: 'unknown'; reason: string };

export interface PendingRequest {
  sobject: string;
  sfId: string;
  settings: SyncSettings;
  /** The hashes the record was last synced with (SyncState.hashes); none: never synced. */
  hashes: Readonly<Record<string, string>> | undefined;
  /** Its synced numbers (SyncState.syncedNumbers): a change below its threshold is not pending. */
  numbers?: Readonly<Record<string, number>> | undefined;
}

export interface PendingCheckDeps {
  db: LogDatabase;
  clock: ClockPort;
  /** The Salesforce client, or a reason when not connected. */
  salesforce(): Promise<Pick<SalesforceClient, 'query'> | string>;
  ttlMs?: number;
}

/** Short: an admin who edits the record and reloads expects to see "Pending" soon. */
const DEFAULT_TTL_MS = 15_000;

export function createPendingChecker(deps: PendingCheckDeps) {
  const ttl = deps.ttlMs ?? DEFAULT_TTL_MS;
  const cache = new Map<string, { key: string; at: number; result: PendingCheck }>();

  async function check(
    request: PendingRequest,
    /** Changes whenever the record's log changes (e.g. its newest event id): a new cycle invalidates. */
    logKey: string,
  ): Promise<PendingCheck> {
    const cached = cache.get(request.sfId);
    if (cached && cached.key === logKey && deps.clock.now() - cached.at < ttl) return cached.result;
    const result = await run(request);
    if (result.kind !== 'unknown') cache.set(request.sfId, { key: logKey, at: deps.clock.now(), result });
    return result;
  }

  async function run({ sobject, sfId, settings, hashes, numbers }: PendingRequest): Promise<PendingCheck> {
    const [sfSchema, mkSchema] = await Promise.all([
      deps.db.schemas.get(sobject),
      deps.db.schemas.get(MARKETO_LEAD_SCHEMA),
    ]);
    if (!sfSchema || !mkSchema) return { kind: 'unknown', reason: 'no cycle has described the objects yet' };
    const client = await deps.salesforce();
    if (typeof client === 'string') return { kind: 'unknown', reason: client };
    const pull = resolveMapping(settings.objects[sobject], sfSchema, mkSchema).pull;
    const filter = settings.syncFilterField;
    const hasFilter = !!filter && sobject !== 'Account' && sfSchema.fields.some((f) => f.name === filter);
    const select = ['Id', ...pull.map((f) => f.sf), ...(hasFilter && filter ? [filter] : [])];
    let row: Record<string, unknown> | undefined;
    try {
      for await (const page of client.query(
        soql({ select, from: sobject, where: eq('Id', sfId), limit: 1 }),
      )) {
        row = page.records[0] as Record<string, unknown> | undefined;
        break;
      }
    } catch (error) {
      return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
    }
    if (!row) return { kind: 'missing' };
    // Hashed in Marketo's form, as Pull Updates hashes them (lib/sync/operations/pullBatch.ts); a
    // change below its threshold is one the next cycle skips too (lib/sync/thresholds.ts).
    const changed = pull
      .filter((f) => {
        const value = toMarketoValue(row[f.sf], f);
        if (hashes?.[f.sf] === valueHash(value)) return false;
        return !heldByThreshold(settings, f, 'pull', value, numbers);
      })
      .map((f) => f.sf);
    return {
      kind: 'checked',
      changed,
      ...(hasFilter && filter && row[filter] === true && { excludedBy: filter }),
    };
  }

  return { check, forget: (sfId: string) => cache.delete(sfId) };
}

export type PendingChecker = ReturnType<typeof createPendingChecker>;
