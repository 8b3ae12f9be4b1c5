// Push Updates' writes (pushUpdates.ts reads): which of a person's changed fields to write
// (owed fields, owedFields.ts; thresholds, thresholds.ts), the Salesforce update of one step's
// object, and one commit per read with the step's feed position.
import { knownNames } from '../../db/recordStatus';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import type { HttpExchange } from '../../salesforce/transport';
import type { StepContext } from '../context';
import type { LinkFields } from '../linkage';
import { type MappedField, toSalesforceValue } from '../mapping';
import { type FieldPlan, owedAfterFailure, planFields } from '../owedFields';
import {
  type HeldChange,
  heldByThreshold,
  heldReason,
  thresholdOf,
  withNumbers,
  withSyncedNumbers,
} from '../thresholds';
import type { ObjectValueRules } from '../valueRules';
import { salesforceError } from './common';
import { type LinkedPerson, linkedPersons } from './persons';
import { owedPush, type PushField, pushCandidates, withPushOwed } from './pushOwed';

export type PersonObject = 'Lead' | 'Contact';

export interface PushSetup {
  /** The step's object: persons of the other object are left to its own step. */
  sobject: PersonObject;
  links: LinkFields;
  fields: Record<PersonObject, MappedField[]>;
  /** Each object's value rules (settings `valueRules`), applied to what is written. */
  rules: Record<PersonObject, ObjectValueRules>;
  byDisplayName: Map<string, string>;
}

export interface PushWrite {
  person: LinkedPerson;
  plan: FieldPlan<PushField>;
  /** The person's synced numbers before this write (thresholds.ts), baselines taken included. */
  numbers: Record<string, number> | undefined;
}

/**
 * Takes the fields whose change is below their threshold out of `plan.write` (thresholds.ts). An
 * owed field is not held back by a threshold: its retry writes what was refused. With no synced
 * number yet (a person synced before thresholds were kept, or a push-only field the pull never
 * writes), the value Marketo had before this read's first change is the baseline — kept in the
 * state, so the next small change adds up from it instead of from its own "Old Value".
 */
function pushThresholds(
  ctx: StepContext,
  person: LinkedPerson,
  plan: FieldPlan<PushField>,
  before: Record<string, unknown> | undefined,
): { held: HeldChange[]; numbers: Record<string, number> | undefined; baselineTaken: boolean } {
  let numbers = person.entry?.syncedNumbers;
  let baselineTaken = false;
  const held: HeldChange[] = [];
  const owed = owedPush(person.entry);
  plan.write = plan.write.filter((candidate) => {
    const { field } = candidate;
    if (owed?.[field.sf] !== undefined || thresholdOf(ctx.settings, field, 'push') === undefined) return true;
    if (numbers?.[field.sf] === undefined && before && field.mk in before) {
      const baseline = toSalesforceValue(before[field.mk], field);
      if (typeof baseline === 'number') {
        numbers = { ...numbers, [field.sf]: baseline };
        baselineTaken = true;
      }
    }
    const change = heldByThreshold(ctx.settings, field, 'push', candidate.value, numbers);
    if (change) held.push(change);
    return !change;
  });
  return { held, numbers, baselineTaken };
}

/** Pushes the step's persons among `changes`; returns the persons of the other object it left. */
export async function pushChanges(
  ctx: StepContext,
  setup: PushSetup,
  changes: Map<number, Record<string, unknown>>,
  read: {
    /** The feed position after these changes (feed pages only), and the step's cursor key. */
    token?: string;
    key?: string;
    /** Whether a person's owed fields are written even at the refused value (retry, Sync now). */
    retry?: (mktoId: number) => boolean;
    /** Every pushed field was read (not a feed page, which names only what changed). */
    complete?: boolean;
    /** Feed pages: each field's value before the first change read (PersonChanges.before). */
    before?: Map<number, Record<string, unknown>>;
  } = {},
): Promise<Set<number>> {
  const { token, key, retry = () => false, complete = false } = read;
  const persons = changes.size
    ? await linkedPersons(ctx, setup.links, [...changes.keys()])
    : new Map<number, LinkedPerson>();
  const outcomes: PackedOutcome[] = [];
  const states = new Map<string, SyncState | null>();
  const writes: PushWrite[] = [];
  const others = new Set<number>();
  for (const [mktoId, values] of changes) {
    const person: LinkedPerson | undefined = persons.get(mktoId);
    if (!person) continue; // not linked to Salesforce: not a record of this sync
    if (person.sobject !== setup.sobject) {
      others.add(mktoId); // the other object's step pushes it
      continue;
    }
    if (person.entry?.excluded) {
      outcomes.push({
        sfId: person.sfId,
        mktoId,
        outcome: 'excluded',
        reason: 'excluded by the sync filter field',
      });
      continue;
    }
    const plan = planFields(
      pushCandidates(setup.fields[person.sobject], values, setup.rules[person.sobject]),
      person.entry?.hashes,
      owedPush(person.entry),
      retry(mktoId),
      complete,
    );
    const limits = pushThresholds(ctx, person, plan, read.before?.get(mktoId));
    if (plan.write.length) {
      writes.push({ person, plan, numbers: limits.numbers });
      continue;
    }
    outcomes.push({
      sfId: person.sfId,
      mktoId,
      outcome: 'skipped',
      ...(plan.settles.length && { settles: plan.settles }),
      ...(limits.held.length && { reason: heldReason(limits.held) }),
    });
    if (plan.settles.length || limits.baselineTaken)
      states.set(person.sfId, withNumbers(withPushOwed(person, plan.held), limits.numbers));
  }
  if (writes.length) await writePush(ctx, setup.sobject, writes, outcomes, states);
  await ctx.commit({
    outcomes,
    states,
    ...(token && key && { cursor: { key, value: token } }),
  });
  return others;
}

/**
 * Updates the step's records in Salesforce; each result becomes an outcome and a state. `capture`
 * sees the raw HTTP exchange (Replay as the sync user, pushReplay.ts).
 */
export async function writePush(
  ctx: StepContext,
  sobject: PersonObject,
  writes: PushWrite[],
  outcomes: PackedOutcome[],
  states: Map<string, SyncState | null>,
  capture?: (exchange: HttpExchange) => void,
) {
  ctx.budget.check();
  const results = await ctx.salesforce.update(
    sobject,
    writes.map((w) => ({
      Id: w.person.sfId,
      ...Object.fromEntries(w.plan.write.map((f) => [f.sf, f.value])),
    })),
    capture && { capture },
  );
  // The feed names persons, not records: a failure takes the record's name from the log, so the
  // panel, the popup's step records and the CSV name it (a success needs none: its row has one).
  const failed = writes.filter((_, i) => !results[i]!.success).map((w) => w.person.sfId);
  const names = await knownNames(ctx.db, failed);
  writes.forEach((w, i) => {
    const result = results[i]!;
    const { sfId, mktoId } = w.person;
    const settles = w.plan.before ? { settles: w.plan.settles } : {};
    const ruled = w.plan.write.flatMap((f) => (f.rule ? [f.rule] : []));
    const rules = ruled.length ? { valueRules: ruled } : {};
    if (!result.success) {
      const error = salesforceError(result);
      const owes = Object.fromEntries(w.plan.write.map((f) => [f.sf, f.value ?? null]));
      const name = names.get(sfId);
      outcomes.push({
        sfId,
        mktoId,
        outcome: 'failed',
        error,
        owes,
        ...settles,
        ...rules,
        ...(name && { name }),
      });
      const owed = owedAfterFailure(w.plan.write, w.plan.held, w.plan.before, error.fields);
      states.set(sfId, withPushOwed(w.person, owed));
      return;
    }
    const f = { ...w.person.entry?.hashes };
    for (const field of w.plan.write) f[field.sf] = field.hash;
    const written = new Map(w.plan.write.map((p) => [p.field, p.value]));
    const numbers = withSyncedNumbers(ctx.settings, w.numbers, [...written.keys()], (m) => written.get(m));
    states.set(sfId, withNumbers({ ...withPushOwed(w.person, w.plan.held), hashes: f }, numbers));
    outcomes.push({
      sfId,
      mktoId,
      outcome: 'updated',
      changes: w.plan.write.map((field) => ({ field: field.sf, old: null, new: field.value ?? null })),
      ...settles,
      ...rules,
    });
  });
}
