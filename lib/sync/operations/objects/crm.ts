// What the writers of issue 19's objects share: the Marketo object's describe (cached in the
// schemas table like the lead's), the field mapping (a standard list per object plus the admin's
// own mappings, resolved through both describes like the persons'), values and hashes, and the 1018
// refusal turned into the step's failure (docs/objects.md).
import type { SyncState } from '../../../db/syncStateTypes';
import type { FieldChange, PackedOutcome, SchemaRow } from '../../../db/types';
import { MarketoApiError, type MarketoCrmObject, type MarketoRecordOutcome } from '../../../marketo';
import type { FieldMapping } from '../../../settings/defaultMappings';
import type { StepContext } from '../../context';
import { valueHash } from '../../hash';
import { type MappedField, resolveMapping, toMarketoValue } from '../../mapping';

/** The schema of a Marketo CRM object (its describe), cached like the lead's. */
export function marketoSchema(ctx: StepContext, object: MarketoCrmObject): Promise<SchemaRow> {
  return ctx.schema.marketoObject(object.path, () => object.describe());
}

/**
 * The fields a pull writes: the standard pairs (Salesforce field → Marketo field) that both
 * describes have, then the admin's own mappings of the object (pull or both); a Marketo field the
 * admin maps takes the place of the standard pair that writes it.
 */
export async function pullFields(
  ctx: StepContext,
  sobject: string,
  standard: readonly [string, string][],
  marketo: SchemaRow,
): Promise<MappedField[]> {
  const own = (ctx.settings.objects[sobject]?.fields ?? []).filter(
    (f) => f.direction === 'pull' || f.direction === 'both',
  );
  const taken = new Set(own.map((f) => f.marketoField));
  const fields: FieldMapping[] = [
    ...standard
      .filter(([, mk]) => !taken.has(mk))
      .map(([sf, mk]) => ({ salesforceField: sf, marketoField: mk, direction: 'pull' as const })),
    ...own.map((f) => ({ ...f, direction: 'pull' as const })),
  ];
  const salesforce = await ctx.schema.salesforce(sobject);
  return resolveMapping({ enabled: true, conflictWinner: 'salesforce', fields }, salesforce, marketo).pull;
}

/** The mapped values of a row in Marketo's form, and their hashes by Salesforce field. */
export function valuesOf(row: Record<string, unknown>, fields: readonly MappedField[]) {
  const values: Record<string, unknown> = {};
  const hashes: Record<string, string> = {};
  for (const f of fields) {
    const value = toMarketoValue(row[f.sf] ?? null, f);
    values[f.mk] = value;
    hashes[f.sf] = valueHash(value);
  }
  return { values, hashes };
}

/** The fields whose hash differs from the state's (all of them for a record never synced). */
export function changedFields(
  state: SyncState | undefined,
  hashes: Record<string, string>,
  row: Record<string, unknown>,
): FieldChange[] {
  return Object.keys(hashes)
    .filter((f) => state?.hashes[f] !== hashes[f])
    .filter((f) => state || (row[f] ?? null) !== null)
    .map((field) => ({ field, old: null, new: row[field] ?? null }));
}

/**
 * Marketo's own CRM sync is on (1018 "CRM Enabled", per record or per call): the step fails with
 * the plain reason (failureReason.ts), nothing of the batch is committed, and the position stays.
 */
export function throwIfCrmRefused(outcomes: readonly MarketoRecordOutcome[], endpoint: string): void {
  const refused = outcomes.find((o) => o.reasons.some((r) => r.code === '1018'));
  if (refused) throw new MarketoApiError('1018', 'CRM Enabled', endpoint, false, 'request');
}

/** A Marketo skip as the record's failure. */
export function failure(result: MarketoRecordOutcome): PackedOutcome['error'] {
  const reason = result.reasons[0];
  return {
    code: reason ? `MARKETO_${reason.code}` : 'MARKETO_SKIPPED',
    message: reason?.message || 'Marketo skipped the record without a reason',
    fields: [],
  };
}

/** The Marketo key kept in a state (`@guid` or `@id`). */
export const keyOf = (state: SyncState | undefined) => state?.hashes['@guid'] ?? state?.hashes['@id'];

/** A record whose first write failed keeps a state naming its object (objectPull.ts finds its retry). */
export function failedState(state: SyncState | undefined, sobject: string): SyncState {
  return state ?? { sobject, hashes: {} };
}
