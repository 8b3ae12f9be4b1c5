// Reconcile's comparison of one record (reconcile.ts reads the records): which fields are compared
// and which way each is repaired, and what a record's two sides say. Both sides are hashed in the
// Marketo form of the value (toMarketoValue), as Pull Updates hashes what it writes and Push Updates
// hashes what it reads, so equal data hashes equal and the hashes can be set as the sync state.
import type { SyncState } from '../../db/syncStateTypes';
import type { FieldChange, PackedOutcome } from '../../db/types';
import type { MarketoLead } from '../../marketo';
import type { StepContext } from '../context';
import { parseSalesforceDate } from '../cursors';
import { salesforceHash, valueHash } from '../hash';
import { type MappedField, toMarketoValue } from '../mapping';
import { thresholdOf } from '../thresholds';
import { applyValueRule, type ObjectValueRules, valueRulesOf } from '../valueRules';
import { nameOf } from './common';
import type { PullRow } from './pullBatch';
import { pullSetup } from './pullUpdates';

/** One compared field and which way a disagreement is repaired. */
export interface Compared {
  field: MappedField;
  /** pull: Salesforce → Marketo; push: Marketo → Salesforce; account: the contact's account field. */
  repair: 'pull' | 'push' | 'account';
  /**
   * The field's change threshold in its repair direction (thresholds.ts): sides closer than this
   * agree — Push/Pull Updates would skip that difference, so it is not drift.
   */
  minDelta?: number;
}

export interface ObjectComparison {
  sobject: string;
  compared: Compared[];
  /** The sync filter checkbox (rows with it ticked are not synced, so not compared), if any. */
  filterField: string | null;
  /** The object's value rules: a pushed Marketo value is compared as the rule writes it. */
  rules: ObjectValueRules;
}

/** The mapped fields of `sobject` (and a contact's account fields) and their repair direction. */
export async function comparisonOf(ctx: StepContext, sobject: string): Promise<ObjectComparison> {
  const setup = await pullSetup({ ...ctx, step: { ...ctx.step, sobject } });
  const winner = ctx.settings.objects[sobject]?.conflictWinner ?? 'salesforce';
  const bySf = new Map<string, Compared>();
  for (const field of setup.mapping.pull) bySf.set(field.sf, { field, repair: 'pull' });
  for (const field of setup.mapping.push) {
    const pulled = bySf.get(field.sf);
    // A field synced both ways is repaired from the side that wins conflicts.
    if (!pulled) bySf.set(field.sf, { field, repair: 'push' });
    else if (winner === 'marketo') pulled.repair = 'push';
  }
  const own = [...bySf.values()];
  const taken = new Set(own.map((c) => c.field.mk));
  const account = setup.accountFields
    .filter((field) => !taken.has(field.mk))
    .map((field): Compared => ({ field, repair: 'account' }));
  const compared = [...own, ...account].map((c) => {
    const minDelta = thresholdOf(ctx.settings, c.field, c.repair === 'push' ? 'push' : 'pull');
    return minDelta === undefined ? c : { ...c, minDelta };
  });
  return { sobject, compared, filterField: setup.filterField, rules: valueRulesOf(ctx.settings, sobject) };
}

/** What comparing one record found. */
export interface Finding {
  outcome: PackedOutcome;
  /** The record's new sync state: undefined = unchanged, null = dropped (re-created by the pull). */
  state?: SyncState | null;
  /** Queue the record for Pull Updates (its Salesforce id) / Push Updates (its Marketo id). */
  pull?: boolean;
  push?: boolean;
  kind: 'agree' | 'corrected' | 'owed' | 'inFlight' | 'drifted';
  /** For drift: whether each side differs from what was last synced. */
  salesforceMoved?: boolean;
  marketoMoved?: boolean;
}

/**
 * Compares one linked record with its person. Not drifted although the sides differ:
 * - a record owing a failed write (`owed`): its retry repairs it or says why not;
 * - a record changed on either side since `since` (the cycle's start, to the second, as both APIs
 *   stamp): this cycle's Pull/Push Updates read their changes before that edit, and the next cycle
 *   brings it the normal way. Repairing it now by the winner could overwrite an edit the feed is
 *   about to bring. A change made behind the sync's back moves no stamp, so it is never taken
 *   for this.
 */
export function compareRecord(
  object: ObjectComparison,
  row: PullRow,
  entry: SyncState,
  lead: MarketoLead | undefined,
  owed: boolean,
  since: number,
): Finding {
  const name = nameOf(row);
  const base = { sfId: row.Id, mktoId: entry.marketoId!, ...(name && { name }) };
  if (!lead) {
    // The person is gone (deleted, or merged away in Marketo): the pull writes the record anew,
    // upserting by its link field (a merge winner that carries the link is found that way).
    if (owed) return { outcome: { ...base, outcome: 'skipped' }, kind: 'owed' };
    const changes = [{ field: 'Marketo person', old: null, new: entry.marketoId }];
    return {
      outcome: { ...base, outcome: 'drifted', changes },
      state: null,
      pull: true,
      kind: 'drifted',
      marketoMoved: true,
    };
  }
  const { compared } = object;
  const sfValues = compared.map((c) =>
    toMarketoValue(c.repair === 'account' ? (row.Account?.[c.field.sf] ?? null) : row[c.field.sf], c.field),
  );
  const sfHashes = sfValues.map(valueHash);
  // A field repaired Marketo → Salesforce can only ever hold what Salesforce stores (it trims text on
  // save, lib/sync/hash.ts): its Marketo value agrees when its stored form does, or a value with
  // surrounding spaces would be "drifted" every day and written again for nothing.
  // A pushed field's Marketo value is what a value rule writes for it ("CA" is "California" there).
  const mkValue = (c: Compared) =>
    c.repair === 'push' || c.field.both
      ? applyValueRule(object.rules, c.field.sf, lead[c.field.mk] ?? null).value
      : (lead[c.field.mk] ?? null);
  const mkHashes = compared.map((c) =>
    c.repair === 'push' ? salesforceHash(mkValue(c)) : valueHash(mkValue(c)),
  );
  // The record's hash on each side is the list of its field hashes, compared exactly (a short hash
  // of the list could collide and hide a difference). A difference below the field's threshold
  // agrees: the step that would repair it skips it too.
  const agrees = compared.map(
    (c, i) => sfHashes[i] === mkHashes[i] || near(c, sfValues[i], lead[c.field.mk] ?? null),
  );
  if (agrees.every(Boolean)) {
    const state = corrected(compared, entry, sfHashes, mkHashes);
    return {
      outcome: { ...base, outcome: 'skipped' },
      ...(state && { state }),
      kind: state ? 'corrected' : 'agree',
    };
  }
  if (owed) return { outcome: { ...base, outcome: 'skipped' }, kind: 'owed' };
  const changedSince = (stamp: number) => Number.isFinite(stamp) && stamp >= since;
  if (
    changedSince(parseSalesforceDate(row.SystemModstamp)) ||
    changedSince(Date.parse(String(lead.updatedAt)))
  )
    return { outcome: { ...base, outcome: 'skipped' }, kind: 'inFlight' };
  const state: SyncState = { ...entry, hashes: { ...entry.hashes } };
  const changes: FieldChange[] = [];
  const finding: Finding = { outcome: { ...base, outcome: 'drifted', changes }, state, kind: 'drifted' };
  compared.forEach((c, i) => {
    if (agrees[i]) return;
    const stored = entry.hashes[c.field.sf];
    if (c.repair !== 'account') {
      if (stored !== sfHashes[i]) finding.salesforceMoved = true;
      if (stored !== mkHashes[i]) finding.marketoMoved = true;
    }
    const sfValue = sfValues[i] ?? null;
    const mkValue = lead[c.field.mk] ?? null;
    if (c.repair === 'push') {
      // Push Updates writes a field whose Marketo value hashes differently from the state.
      state.hashes[c.field.sf] = sfHashes[i]!;
      finding.push = true;
      changes.push({ field: c.field.sf, old: sfValue, new: mkValue });
      return;
    }
    // Pull Updates writes a field whose Salesforce value hashes differently from the state; a
    // contact's account fields are written when its account link looks moved (pullBatch.ts).
    if (c.repair === 'pull') state.hashes[c.field.sf] = mkHashes[i]!;
    else state.accountId = row.AccountId ? null : '';
    finding.pull = true;
    changes.push({
      field: c.repair === 'account' ? `Account.${c.field.sf}` : c.field.sf,
      old: mkValue,
      new: sfValue,
    });
  });
  return finding;
}

/** Whether two values of a field differ by less than its threshold. */
function near(c: Compared, a: unknown, b: unknown): boolean {
  if (c.minDelta === undefined) return false;
  const x = typeof a === 'string' && a !== '' ? Number(a) : a;
  const y = typeof b === 'string' && b !== '' ? Number(b) : b;
  return typeof x === 'number' && typeof y === 'number' && Math.abs(x - y) < c.minDelta;
}

/**
 * The entry with the agreed hashes when its stored ones are stale; undefined when they are not.
 * Fields that agree only within their threshold keep their stored hash (the last synced value).
 */
function corrected(
  compared: Compared[],
  entry: SyncState,
  hashes: string[],
  other: string[],
): SyncState | undefined {
  let agreed: Record<string, string> | undefined;
  compared.forEach((c, i) => {
    if (c.repair === 'account' || hashes[i] !== other[i] || entry.hashes[c.field.sf] === hashes[i]) return;
    agreed ??= { ...entry.hashes };
    agreed[c.field.sf] = hashes[i]!;
  });
  return agreed && { ...entry, hashes: agreed };
}
