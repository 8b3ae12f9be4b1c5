// One page of Pull Updates, classified: skipped / excluded / to write (personWriter.ts and
// pullAccounts.ts write and commit). Values are hashed in their Marketo form so that a number
// Marketo rounds (12.7 → 13) does not look like a change on the next cycle.
import type { SyncState } from '../../db/syncStateTypes';
import type { FieldChange, PackedOutcome } from '../../db/types';
import type { StepContext } from '../context';
import { valueHash } from '../hash';
import type { LinkFields } from '../linkage';
import { type MappedField, type ResolvedMapping, toMarketoValue } from '../mapping';
import { type HeldChange, heldByThreshold, heldReason, withNumbers, withSyncedNumbers } from '../thresholds';
import { nameOf } from './common';
import { type PullOwed, planOwed, withPullOwed } from './pullOwed';

export interface PullRow extends Record<string, unknown> {
  Id: string;
  SystemModstamp?: string;
  AccountId?: string | null;
  Account?: Record<string, unknown> | null;
}

export interface PullSetup {
  sobject: string;
  mapping: ResolvedMapping;
  links: LinkFields;
  filterField: string | null;
  /** Contacts: account fields read through the Account relationship. */
  accountFields: MappedField[];
  /** A due retry or Sync now: owed fields are written even when their value is the refused one. */
  retry?: boolean;
  /**
   * Re-reading a second this step already read (pullUpdates.ts settleSecond): a row exactly as the
   * first read saw it was handled then, whatever its outcome; it is skipped now (and not logged
   * twice), so a refused write is not tried, failed and counted a second time in one step.
   */
  seenUnchanged?: (row: PullRow) => boolean;
}

/**
 * The fields a pull wrote, as the log keeps them. A record written for the first time (no sync
 * state yet) leaves its empty fields out: nothing was there before, so they tell nobody anything
 * (the record panel shows no field first written empty), and they were a third of a first sync's
 * log (35 % of the mapped lead fields are empty in the large seed; each entry is an object that
 * IndexedDB serialises on every commit).
 */
export function writtenChanges(write: PendingWrite, written: (field: MappedField) => unknown): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of write.fields) {
    const value = written(field) ?? null;
    if (value !== null || write.state) changes.push({ field: field.sf, old: null, new: value });
  }
  return changes;
}

export interface PendingWrite {
  row: PullRow;
  state: SyncState | undefined;
  /** The mapped fields to write (changed since the last sync). */
  fields: MappedField[];
  /** Their values in Marketo's form, by Marketo field name. */
  values: Record<string, unknown>;
  /** Their value hashes, by Salesforce field name: the sync state once the write succeeds. */
  hashes: Record<string, string>;
  /** Owed fields (owedFields.ts): held back, settled, and what a failure of this write owes. */
  owed: PullOwed;
}

/** A written record's state with the synced numbers of its thresholded fields (thresholds.ts). */
export function withWrittenNumbers(ctx: StepContext, write: PendingWrite, state: SyncState): SyncState {
  const numbers = withSyncedNumbers(
    ctx.settings,
    write.state?.syncedNumbers,
    write.fields,
    (f) => write.values[f.mk],
  );
  return withNumbers(state, numbers);
}

/** Contact id → the Marketo person of the lead converted into it (seen by this cycle's lead pull). */
export function convertedPersons(ctx: StepContext): Map<string, number> {
  return ctx.notes.convertedPersons;
}

/** Contact id → a converted lead we never synced (its person, if any, is looked up by link). */
export function convertedLeads(ctx: StepContext): Map<string, string> {
  return ctx.notes.convertedLeads;
}

/** Marketo persons whose failed push Push Updates must re-check this cycle. */
export function pushRecheck(ctx: StepContext): number[] {
  return ctx.notes.pushRecheck;
}

export function classify(
  ctx: StepContext,
  setup: PullSetup,
  rows: PullRow[],
  states: Map<string, SyncState>,
) {
  const outcomes: PackedOutcome[] = [];
  const newStates = new Map<string, SyncState | null>();
  const writes: PendingWrite[] = [];
  for (const row of rows) {
    const state = states.get(row.Id);
    const name = nameOf(row);
    if (setup.seenUnchanged?.(row)) {
      outcomes.push({ sfId: row.Id, outcome: 'skipped', ...(name && { name }) });
      continue;
    }
    if (row.IsConverted === true) {
      // Pull Conversions owns converted leads; the contact's pull may take over the lead's person.
      if (typeof row.ConvertedContactId === 'string') {
        if (state?.marketoId !== undefined)
          convertedPersons(ctx).set(row.ConvertedContactId, state.marketoId);
        else if (!state?.convertedTo) convertedLeads(ctx).set(row.ConvertedContactId, row.Id);
      }
      outcomes.push({ sfId: row.Id, outcome: 'skipped', ...(name && { name }) });
      continue;
    }
    if (setup.filterField && row[setup.filterField] === true) {
      outcomes.push({
        sfId: row.Id,
        outcome: 'excluded',
        reason: `${setup.filterField} is checked`,
        ...(name && { name }),
      });
      if (state && !state.excluded) newStates.set(row.Id, { ...state, excluded: true });
      continue;
    }
    // Each value is converted and hashed once: the hash decides "changed" and becomes the new state.
    const changed: MappedField[] = [];
    const values: Record<string, unknown> = {};
    const hashes: Record<string, string> = {};
    const owedBefore = state?.owed?.pull;
    // Changes below their field's threshold (thresholds.ts); a record owing fields writes them all.
    const held: HeldChange[] = [];
    if (!owedBefore) {
      for (const f of setup.mapping.pull) {
        const value = toMarketoValue(row[f.sf], f);
        const hash = valueHash(value);
        if (state?.hashes[f.sf] === hash) continue;
        const small = heldByThreshold(ctx.settings, f, 'pull', value, state?.syncedNumbers);
        if (small) {
          held.push(small);
          continue;
        }
        changed.push(f);
        values[f.mk] = value;
        hashes[f.sf] = hash;
      }
    }
    const plan = owedBefore && planOwed(setup, row, state!, owedBefore);
    if (plan) {
      for (const c of plan.write) {
        changed.push(c.field);
        values[c.field.mk] = c.value;
        hashes[c.sf] = c.hash;
      }
    }
    const owed: PullOwed = plan
      ? { held: plan.held, settles: plan.settles, before: plan.before }
      : { held: {}, settles: undefined, before: undefined };
    const person = setup.sobject !== 'Account';
    const relinked = person && (state?.marketoId === undefined || state.excluded === true);
    const accountMoved =
      setup.sobject === 'Contact' && (state?.accountId ?? null) !== (row.AccountId ?? null);
    if (!changed.length && !relinked && !accountMoved && state) {
      const settles = plan ? plan.settles : [];
      outcomes.push({
        sfId: row.Id,
        outcome: 'skipped',
        ...(name && { name }),
        ...(settles.length && { settles }),
        ...(held.length && { reason: heldReason(held) }),
      });
      if (settles.length) newStates.set(row.Id, withPullOwed(state, owed.held));
      continue;
    }
    if (setup.sobject === 'Contact' && (accountMoved || relinked)) {
      for (const f of setup.accountFields) values[f.mk] = toMarketoValue(row.Account?.[f.sf] ?? null, f);
    }
    writes.push({ row, state, fields: changed, values, hashes, owed });
  }
  return { outcomes, newStates, writes };
}

/** Marketo wins conflicts: drop 'both' fields that Marketo changed since the last sync too. */
export async function dropMarketoWins(ctx: StepContext, setup: PullSetup, writes: PendingWrite[]) {
  if (ctx.settings.objects[setup.sobject]?.conflictWinner !== 'marketo') return;
  const contested = writes.filter((w) => w.state?.marketoId !== undefined && w.fields.some((f) => f.both));
  if (!contested.length) return;
  const bothFields = setup.mapping.pull.filter((f) => f.both);
  const current = new Map<number, Record<string, unknown>>();
  ctx.budget.check();
  const leads = await ctx.marketo.leads.getByFilter({
    filterType: 'id',
    filterValues: contested.map((w) => w.state!.marketoId!),
    fields: bothFields.map((f) => f.mk),
  });
  for (const lead of leads) current.set(lead.id, lead);
  for (const w of contested) {
    const lead = current.get(w.state!.marketoId!);
    if (!lead) continue;
    const theirs = w.fields.filter(
      (f) => f.both && valueHash(toMarketoValue(lead[f.mk] ?? null, f)) !== w.state!.hashes[f.sf],
    );
    if (!theirs.length) continue;
    ctx.log(
      `Pull Updates ${w.row.Id}: Marketo wins ${theirs.map((f) => f.sf).join(', ')} (changed on both sides)`,
    );
    w.fields = w.fields.filter((f) => !theirs.includes(f));
    for (const f of theirs) {
      delete w.values[f.mk];
      delete w.hashes[f.sf];
    }
  }
}

/** A new contact converted from a lead takes over the lead's person (no second person + merge). */
export async function lookUpConvertedLeads(ctx: StepContext, setup: PullSetup, writes: PendingWrite[]) {
  const converted = convertedPersons(ctx);
  const unsynced = convertedLeads(ctx);
  const lookUp = writes.filter((w) => !w.state && !converted.has(w.row.Id) && unsynced.has(w.row.Id));
  if (!lookUp.length) return;
  // Persons linked to these leads before we ever synced them (one lookup instead of a merge each).
  ctx.budget.check();
  const found = await ctx.marketo.leads.getByFilter({
    filterType: setup.links.lead,
    filterValues: lookUp.map((w) => unsynced.get(w.row.Id)!),
    fields: [setup.links.lead, setup.links.contact],
  });
  const byLead = new Map(
    found.filter((p) => !p[setup.links.contact]).map((p) => [String(p[setup.links.lead]), p.id]),
  );
  for (const w of lookUp) {
    const person = byLead.get(unsynced.get(w.row.Id)!);
    if (person !== undefined) converted.set(w.row.Id, person);
  }
}
