// Push Updates (design §5): Marketo person changes → Salesforce Lead/Contact updates. One step for
// both objects because Marketo has one person feed. The Change Data Value activities (type 13)
// carry the field (by display name) and its new value, so a person whose pushed fields hash to
// what was synced — typically the echo of our own Pull Updates — is skipped without reading it.
// The feed is read with the Task activity types too, and what it saw of them is handed to Push New
// (notes.ts taskFeed): one feed call serves both steps when their tokens agree (design §9: idle
// cycle ≤ 3 calls); Push New reads the same types when it reads itself, so their tokens stay equal.
// A refused update leaves the fields it tried owed (owedFields.ts): a later update of other fields
// leaves them owed, and the retry (or Sync now) writes them again.

import { isRetryDue } from '../../db/recordFlags';
import { loadStates } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { dueRetries } from '../../db/writeBatch';
import type { MarketoActivity } from '../../marketo';
import type { StepContext } from '../context';
import { cursorKeys, readCursor, writeCursor } from '../cursors';
import { valueHash } from '../hash';
import { type LinkFields, resolveLinkFields } from '../linkage';
import { type MappedField, resolveMapping, toSalesforceValue } from '../mapping';
import type { TaskFeedRead } from '../notes';
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
import { chunks, salesforceError } from './common';
import { type LinkedPerson, linkedPersons } from './persons';
import { owedPush, type PushField, pushCandidates, withPushOwed } from './pushOwed';
import { pushDrifted } from './reconcileRepair';

export const CHANGE_DATA_VALUE = 13;

interface PushSetup {
  links: LinkFields;
  fields: Record<'Lead' | 'Contact', MappedField[]>;
  byDisplayName: Map<string, string>;
}

export const pushUpdates: OperationModule = {
  operation: 'Push Updates',
  steps: (scope) => {
    const persons = ['Lead', 'Contact'].filter((o) => scope.settings.objects[o]?.enabled);
    if (!persons.length || (scope.record && !persons.includes(scope.record.sobject))) return [];
    return [{ operation: 'Push Updates', objectType: 'Person', sobject: 'Lead' }];
  },
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
    // (their state says what Salesforce holds) are written like any other difference.
    const drifted = await pushDrifted(ctx);
    const retry = (mktoId: number) => due.has(mktoId);
    for (const ids of chunks([...new Set([...due, ...ctx.notes.pushRecheck, ...drifted.ids])], 300))
      await pushCurrent(ctx, setup, ids, retry);
    await drifted.done();

    const token = await startToken(ctx, cursorKeys.pushPersons);
    const { types, withTasks } = feedTypes(ctx);
    const taskTypes = new Set(ctx.settings.taskActivityTypes.map((t) => t.id));
    // What this read saw of the Task types, for Push New (notes.ts taskFeed); dropped past a bound.
    let handOver: TaskFeedRead | undefined = withTasks ? { from: token, pages: [] } : undefined;
    let handedActivities = 0;
    let pageFrom = token;
    ctx.budget.check();
    for await (const page of ctx.marketo.activities.activities({
      nextPageToken: token,
      activityTypeIds: types,
    })) {
      if (handOver) {
        const activities = page.items.filter((a) => taskTypes.has(a.activityTypeId));
        handedActivities += activities.length;
        if (handedActivities > MAX_HANDED_ACTIVITIES) handOver = undefined;
        else handOver.pages.push({ from: pageFrom, next: page.nextPageToken, activities });
      }
      pageFrom = page.nextPageToken;
      const changes = changesOf(page.items, setup);
      await pushChanges(ctx, setup, changes.values, { token: page.nextPageToken, before: changes.before });
      if (page.moreResult) ctx.budget.check();
    }
    // Only a read that reached the feed's end is handed over (a failed one throws before this).
    if (handOver) ctx.notes.taskFeed = handOver;
  },
};

/** Task activities Push Updates keeps for Push New at most; past it Push New reads the feed itself. */
const MAX_HANDED_ACTIVITIES = 5000;

/**
 * The activity types both feed steps read: Change Data Value and the Task types together when
 * Marketo's 10-type limit allows, so that both read the same feed and their tokens stay equal —
 * then Push New can take Push Updates' read instead of its own call (design §9: idle cycle ≤ 3).
 */
export function feedTypes(ctx: StepContext): { types: number[]; withTasks: boolean } {
  const taskTypes = ctx.settings.taskActivityTypes.map((t) => t.id);
  const types = [CHANGE_DATA_VALUE, ...taskTypes.filter((t) => t !== CHANGE_DATA_VALUE)];
  return types.length <= 10 ? { types, withTasks: true } : { types: [CHANGE_DATA_VALUE], withTasks: false };
}

/**
 * The first token of a Marketo feed: the stored one, or one for the instant the feeds started (the
 * first cycle that needed a token), shared by both feeds within a cycle. That instant is kept in its
 * own row before the token is asked for: a feed step stopped or failed before its first commit (or a
 * failed token call, which fails both steps) starts from the same instant next time, not from a
 * later "now" that would skip the activities in between.
 */
export async function startToken(ctx: StepContext, key: string): Promise<string> {
  const stored = await readCursor(ctx.db, key);
  if (stored) return stored;
  if (!ctx.notes.firstToken) {
    let since = await readCursor(ctx.db, cursorKeys.feedStart);
    if (!since) {
      since = new Date(ctx.clock.now()).toISOString();
      await writeCursor(ctx.db, cursorKeys.feedStart, since, ctx.clock.now());
    }
    ctx.budget.check();
    ctx.notes.firstToken = ctx.marketo.activities.pagingToken(new Date(since));
  }
  return ctx.notes.firstToken;
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
    links: resolveLinkFields(marketo, ctx.notes.linkFields),
    fields,
    byDisplayName: new Map(marketo.fields.map((f) => [f.label, f.name])),
  };
}

/** Per person, by Marketo field: the newest value, and the value before this read's first change. */
interface FeedChanges {
  values: Map<number, Record<string, unknown>>;
  /** "Old Value" of each field's first change read (a threshold's baseline when none is synced). */
  before: Map<number, Record<string, unknown>>;
}

/** Newest value per Marketo field per person, from Change Data Value activities in feed order. */
function changesOf(items: MarketoActivity[], setup: PushSetup): FeedChanges {
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
  const fields = [...new Set([...setup.fields.Lead, ...setup.fields.Contact].map((f) => f.mk))];
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

async function pushChanges(
  ctx: StepContext,
  setup: PushSetup,
  changes: Map<number, Record<string, unknown>>,
  read: {
    /** The feed position after these changes (feed pages only). */
    token?: string;
    /** Whether a person's owed fields are written even at the refused value (retry, Sync now). */
    retry?: (mktoId: number) => boolean;
    /** Every pushed field was read (not a feed page, which names only what changed). */
    complete?: boolean;
    /** Feed pages: each field's value before the first change read (FeedChanges.before). */
    before?: Map<number, Record<string, unknown>>;
  } = {},
) {
  const { token, retry = () => false, complete = false } = read;
  const persons = changes.size
    ? await linkedPersons(ctx, setup.links, [...changes.keys()])
    : new Map<number, LinkedPerson>();
  const outcomes: PackedOutcome[] = [];
  const states = new Map<string, SyncState | null>();
  const writes: PushWrite[] = [];
  for (const [mktoId, values] of changes) {
    const person: LinkedPerson | undefined = persons.get(mktoId);
    if (!person) continue; // not linked to Salesforce: not a record of this sync
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
  for (const sobject of ['Lead', 'Contact'] as const) {
    const group = writes.filter((w) => w.person.sobject === sobject);
    if (!group.length) continue;
    ctx.budget.check();
    const results = await ctx.salesforce.update(
      sobject,
      group.map((w) => ({
        Id: w.person.sfId,
        ...Object.fromEntries(w.plan.write.map((f) => [f.sf, f.value])),
      })),
    );
    group.forEach((w, i) => {
      const result = results[i]!;
      const { sfId, mktoId } = w.person;
      const settles = w.plan.before ? { settles: w.plan.settles } : {};
      if (!result.success) {
        const error = salesforceError(result);
        const owes = Object.fromEntries(w.plan.write.map((f) => [f.sf, f.value ?? null]));
        outcomes.push({ sfId, mktoId, outcome: 'failed', error, owes, ...settles });
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
  await ctx.commit({
    outcomes,
    states,
    ...(token && { cursor: { key: cursorKeys.pushPersons, value: token } }),
  });
}
