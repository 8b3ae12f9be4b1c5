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
import { unreadableFieldWarning, unreadableMappedFields } from '../fieldAccess';
import { valueHash } from '../hash';
import { type LinkFields, resolveLinkFields } from '../linkage';
import { type MappedField, resolveMapping, toSalesforceValue } from '../mapping';
import type { TaskFeedRead } from '../notes';
import { type FieldPlan, owedAfterFailure, planFields } from '../owedFields';
import type { OperationModule } from '../plan';
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
      await pushCurrent(drifted.ctx, setup, ids, retry);
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
      await pushChanges(ctx, setup, changes, { token: page.nextPageToken });
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
    // A mapped field the sync user can no longer see is left out of the writes: say so on the row.
    const schema = await ctx.schema.salesforce(sobject);
    for (const field of unreadableMappedFields(ctx.settings.objects[sobject], schema, ['push', 'both']))
      ctx.warn(unreadableFieldWarning(sobject, field));
  }
  return {
    links: resolveLinkFields(marketo, ctx.notes.linkFields),
    fields,
    byDisplayName: new Map(marketo.fields.map((f) => [f.label, f.name])),
  };
}

/** Newest value per Marketo field per person, from Change Data Value activities in feed order. */
function changesOf(items: MarketoActivity[], setup: PushSetup): Map<number, Record<string, unknown>> {
  const pushed = new Set([...setup.fields.Lead, ...setup.fields.Contact].map((f) => f.mk));
  const changes = new Map<number, Record<string, unknown>>();
  for (const item of items) {
    if (item.activityTypeId !== CHANGE_DATA_VALUE) continue;
    const field = setup.byDisplayName.get(String(item.primaryAttributeValue ?? ''));
    if (!field || !pushed.has(field)) continue;
    const value = item.attributes?.find((a) => a.name === 'New Value')?.value ?? null;
    changes.set(item.leadId, { ...changes.get(item.leadId), [field]: value });
  }
  return changes;
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
    if (plan.write.length) {
      writes.push({ person, plan });
      continue;
    }
    outcomes.push({
      sfId: person.sfId,
      mktoId,
      outcome: 'skipped',
      ...(plan.settles.length && { settles: plan.settles }),
    });
    if (plan.settles.length) states.set(person.sfId, withPushOwed(person, plan.held));
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
      states.set(sfId, { ...withPushOwed(w.person, w.plan.held), hashes: f });
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
