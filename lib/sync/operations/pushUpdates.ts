// Push Updates (design §5): Marketo person changes → Salesforce Lead/Contact updates. One step for
// both objects because Marketo has one person feed. The Change Data Value activities (type 13)
// carry the field (by display name) and its new value, so a person whose pushed fields hash to
// what was synced — typically the echo of our own Pull Updates — is skipped without reading it.
// The feed is read with the Task activity types too, so that on an idle cycle this single call
// also tells Push New there is nothing for it (design §9: idle cycle ≤ 3 calls).
// A refused update leaves the fields it tried owed (owedFields.ts): a later update of other fields
// leaves them owed, and the retry (or Sync now) writes them again.

import { isRetryDue } from '../../db/recordFlags';
import { loadStates } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { dueRetries } from '../../db/writeBatch';
import type { MarketoActivity } from '../../marketo';
import type { StepContext } from '../context';
import { cursorKeys, readCursor } from '../cursors';
import { type LinkFields, resolveLinkFields } from '../linkage';
import { type MappedField, resolveMapping } from '../mapping';
import { type FieldPlan, owedAfterFailure, planFields } from '../owedFields';
import type { OperationModule } from '../plan';
import { chunks, salesforceError } from './common';
import { type LinkedPerson, linkedPersons } from './persons';
import { owedPush, type PushField, pushCandidates, withPushOwed } from './pushOwed';

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
    // re-checked (their owed fields may be settled now, or still held back).
    const retry = (mktoId: number) => due.has(mktoId);
    for (const ids of chunks([...new Set([...due, ...ctx.notes.pushRecheck])], 300))
      await pushCurrent(ctx, setup, ids, retry);

    const token = await startToken(ctx, cursorKeys.pushPersons);
    const taskTypes = ctx.settings.taskActivityTypes.map((t) => t.id);
    const types = [CHANGE_DATA_VALUE, ...taskTypes.filter((t) => t !== CHANGE_DATA_VALUE)];
    const withTasks = types.length <= 10;
    ctx.budget.check();
    let first = true;
    for await (const page of ctx.marketo.activities.activities({
      nextPageToken: token,
      activityTypeIds: withTasks ? types : [CHANGE_DATA_VALUE],
    })) {
      if (first && withTasks && page.items.length === 0 && !page.moreResult)
        ctx.notes.taskFeedEmptyFrom = token;
      first = false;
      const changes = changesOf(page.items, setup);
      await pushChanges(ctx, setup, changes, { token: page.nextPageToken });
      if (page.moreResult) ctx.budget.check();
    }
  },
};

/** The first token of a Marketo feed: the stored one, or (first cycle) one shared by both feeds. */
export async function startToken(ctx: StepContext, key: string): Promise<string> {
  const stored = await readCursor(ctx.db, key);
  if (stored) return stored;
  if (!ctx.notes.firstToken) {
    ctx.budget.check();
    ctx.notes.firstToken = ctx.marketo.activities.pagingToken(new Date(ctx.clock.now()));
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
