// Push Updates (design §5): Marketo person changes → Salesforce Lead/Contact updates, one step per
// object (Lead, then Contact). Marketo has one person feed: the first step reads it and hands the
// contacts' changes to the Contact step (pushFeed.ts, notes.ts contactFeed), so an idle cycle still
// reads it once. The Change Data Value activities (type 13) carry the field (by display name) and
// its new value, so a person whose pushed fields hash to what was synced — typically the echo of
// our own Pull Updates — is skipped without reading it.
// A refused update leaves the fields it tried owed (owedFields.ts): a later update of other fields
// leaves them owed, and the retry (or Sync now) writes them again. A change below its field's
// threshold is skipped with the reason (thresholds.ts).

import { isRetryDue } from '../../db/recordFlags';
import { knownNames } from '../../db/recordStatus';
import { loadStates, statesByMarketoId } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { dueRetries } from '../../db/writeBatch';
import type { MarketoActivity } from '../../marketo';
import type { StepContext } from '../context';
import { type LinkFields, resolveLinkFields } from '../linkage';
import { type MappedField, resolveMapping, toSalesforceValue } from '../mapping';
import type { ContactFeedRead, PersonChanges } from '../notes';
import { type FieldPlan, owedAfterFailure, planFields } from '../owedFields';
import type { OperationModule } from '../plan';
import {
  type HeldChange,
  heldByThreshold,
  heldReason,
  thresholdOf,
  withNumbers,
  withSyncedNumbers,
} from '../thresholds';
import { chunks, salesforceError, stepsFor } from './common';
import { type LinkedPerson, linkedPersons } from './persons';
import { CHANGE_DATA_VALUE, pushCursorKey, pushStart, readFeed } from './pushFeed';
import { owedPush, type PushField, pushCandidates, withPushOwed } from './pushOwed';
import { pushDrifted } from './reconcileRepair';

type PersonObject = 'Lead' | 'Contact';

interface PushSetup {
  /** The step's object: persons of the other object are left to its own step. */
  sobject: PersonObject;
  links: LinkFields;
  fields: Record<PersonObject, MappedField[]>;
  byDisplayName: Map<string, string>;
}

/** Contact changes Push Updates Lead keeps for the Contact step at most; past it that step reads itself. */
const MAX_HANDED_CONTACTS = 5000;

export const pushUpdates: OperationModule = {
  operation: 'Push Updates',
  steps: (scope) => stepsFor('Push Updates', scope, ['Lead', 'Contact']),
  async run(ctx) {
    const setup = await pushSetup(ctx);
    if (ctx.record) {
      const entry = (await loadStates(ctx.db, [ctx.record.id])).get(ctx.record.id);
      const id = entry?.marketoId;
      if (id !== undefined) await pushCurrent(ctx, setup, [id], () => true);
      return;
    }
    const now = ctx.clock.now();
    const due = new Set(
      (await dueRetries(ctx.db, now, 2000))
        .filter((r) => r.mktoId !== undefined && isRetryDue(r, 'Push Updates', now))
        .map((r) => r.mktoId!),
    );
    // Due retries write their owed fields; persons a pull wrote while they owed a push are only
    // re-checked (their owed fields may be settled now, or still held back); Reconcile's finds
    // (their state says what Salesforce holds) are written like any other difference. Each step
    // takes the persons of its object (their sync state says which; failures logged before
    // per-object steps were all under "Person"), so no person is read twice.
    const drifted = await pushDrifted(ctx);
    const queued = [...new Set([...due, ...ctx.notes.pushRecheck, ...drifted.ids])];
    const others = await ofObject(ctx, queued, other(setup.sobject));
    const retry = (mktoId: number) => due.has(mktoId);
    const mine = queued.filter((id) => !others.has(id));
    for (const ids of chunks(mine, 300)) await pushCurrent(ctx, setup, ids, retry);
    await drifted.done(drifted.ids.filter((id) => others.has(id)));

    if (setup.sobject === 'Contact' && (await takeHandedRead(ctx, setup))) return;
    const key = pushCursorKey(setup.sobject);
    const from = await pushStart(ctx, setup.sobject);
    // The Lead step hands the contacts' part of its read to the Contact step when that one runs.
    const handing = setup.sobject === 'Lead' && ctx.settings.objects.Contact?.enabled === true;
    const handOver: ContactFeedRead = { from, pages: [] };
    let handed = 0;
    if (handing) ctx.notes.contactFeed = { from }; // until the read reaches the end
    await readFeed(ctx, from, async (page) => {
      const changes = changesOf(page.items, setup);
      const contacts = await pushChanges(ctx, setup, changes.values, {
        token: page.next,
        key,
        before: changes.before,
      });
      if (!handing || !handOver.pages) return;
      handed += contacts.size;
      if (handed > MAX_HANDED_CONTACTS) handOver.pages = undefined;
      else handOver.pages.push({ next: page.next, changes: only(changes, contacts) });
    });
    if (handing) ctx.notes.contactFeed = handOver;
  },
};

/** The Contact step takes the Lead step's read when it starts from its own position; false if not. */
async function takeHandedRead(ctx: StepContext, setup: PushSetup): Promise<boolean> {
  const handed = ctx.notes.contactFeed;
  if (!handed?.pages || handed.from !== (await pushStart(ctx, 'Contact'))) return false;
  const key = pushCursorKey('Contact');
  for (const page of handed.pages)
    await pushChanges(ctx, setup, page.changes.values, {
      token: page.next,
      key,
      before: page.changes.before,
    });
  return true;
}

const other = (sobject: PersonObject): PersonObject => (sobject === 'Lead' ? 'Contact' : 'Lead');

/** The persons among `mktoIds` whose sync state is of `sobject`. */
async function ofObject(ctx: StepContext, mktoIds: number[], sobject: PersonObject): Promise<Set<number>> {
  const states = await statesByMarketoId(ctx.db, mktoIds);
  return new Set([...states].filter(([, s]) => s.entry.sobject === sobject).map(([id]) => id));
}

/** The changes of these persons only. */
function only(changes: PersonChanges, mktoIds: ReadonlySet<number>): PersonChanges {
  const pick = (map: Map<number, Record<string, unknown>>) =>
    new Map([...map].filter(([id]) => mktoIds.has(id)));
  return { values: pick(changes.values), before: pick(changes.before) };
}

async function pushSetup(ctx: StepContext): Promise<PushSetup> {
  const marketo = await ctx.schema.marketo();
  const fields = { Lead: [] as MappedField[], Contact: [] as MappedField[] };
  for (const sobject of ['Lead', 'Contact'] as const) {
    if (!ctx.settings.objects[sobject]?.enabled) continue;
    fields[sobject] = resolveMapping(
      ctx.settings.objects[sobject],
      await ctx.schema.salesforce(sobject),
      marketo,
    ).push;
  }
  return {
    sobject: ctx.step.sobject === 'Contact' ? 'Contact' : 'Lead',
    links: resolveLinkFields(marketo, ctx.notes.linkFields),
    fields,
    byDisplayName: new Map(marketo.fields.map((f) => [f.label, f.name])),
  };
}

/** Newest value per Marketo field per person, from Change Data Value activities in feed order. */
function changesOf(items: MarketoActivity[], setup: PushSetup): PersonChanges {
  const pushed = new Set([...setup.fields.Lead, ...setup.fields.Contact].map((f) => f.mk));
  const values = new Map<number, Record<string, unknown>>();
  const before = new Map<number, Record<string, unknown>>();
  for (const item of items) {
    if (item.activityTypeId !== CHANGE_DATA_VALUE) continue;
    const field = setup.byDisplayName.get(String(item.primaryAttributeValue ?? ''));
    if (!field || !pushed.has(field)) continue;
    const attribute = (name: string) => item.attributes?.find((a) => a.name === name)?.value ?? null;
    values.set(item.leadId, { ...values.get(item.leadId), [field]: attribute('New Value') });
    const old = before.get(item.leadId) ?? {};
    if (!(field in old)) before.set(item.leadId, { ...old, [field]: attribute('Old Value') });
  }
  return { values, before };
}

/** Retries, re-checks and "Sync now": read the persons' current values and push what differs. */
async function pushCurrent(
  ctx: StepContext,
  setup: PushSetup,
  mktoIds: number[],
  retry: (mktoId: number) => boolean,
) {
  const fields = setup.fields[setup.sobject].map((f) => f.mk);
  ctx.budget.check();
  const leads = await ctx.marketo.leads.getByFilter({ filterType: 'id', filterValues: mktoIds, fields });
  const changes = new Map<number, Record<string, unknown>>();
  for (const lead of leads) changes.set(lead.id, Object.fromEntries(fields.map((f) => [f, lead[f] ?? null])));
  await pushChanges(ctx, setup, changes, { retry, complete: true });
}

interface PushWrite {
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
async function pushChanges(
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
      pushCandidates(setup.fields[person.sobject], values),
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

/** Updates the step's records in Salesforce; each result becomes an outcome and a state. */
async function writePush(
  ctx: StepContext,
  sobject: PersonObject,
  writes: PushWrite[],
  outcomes: PackedOutcome[],
  states: Map<string, SyncState | null>,
) {
  ctx.budget.check();
  const results = await ctx.salesforce.update(
    sobject,
    writes.map((w) => ({
      Id: w.person.sfId,
      ...Object.fromEntries(w.plan.write.map((f) => [f.sf, f.value])),
    })),
  );
  // The feed names persons, not records: a failure takes the record's name from the log, so the
  // panel, the popup's step records and the CSV name it (a success needs none: its row has one).
  const failed = writes.filter((_, i) => !results[i]!.success).map((w) => w.person.sfId);
  const names = await knownNames(ctx.db, failed);
  writes.forEach((w, i) => {
    const result = results[i]!;
    const { sfId, mktoId } = w.person;
    const settles = w.plan.before ? { settles: w.plan.settles } : {};
    if (!result.success) {
      const error = salesforceError(result);
      const owes = Object.fromEntries(w.plan.write.map((f) => [f.sf, f.value ?? null]));
      const name = names.get(sfId);
      outcomes.push({ sfId, mktoId, outcome: 'failed', error, owes, ...settles, ...(name && { name }) });
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
    });
  });
}
