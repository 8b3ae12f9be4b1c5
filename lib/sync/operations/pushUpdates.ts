// Push Updates (design §5): Marketo person changes → Salesforce Lead/Contact updates, one step per
// object (Lead, then Contact). Marketo has one person feed: the first step reads it and hands the
// contacts' changes to the Contact step (pushFeed.ts, notes.ts contactFeed), so an idle cycle still
// reads it once. The Change Data Value activities (type 13) carry the field (by display name) and
// its new value, so a person whose pushed fields hash to what was synced — typically the echo of
// our own Pull Updates — is skipped without reading it.
// A refused update leaves the fields it tried owed (owedFields.ts): a later update of other fields
// leaves them owed, and the retry (or Sync now) writes them again. A change below its field's
// threshold is skipped with the reason (thresholds.ts).

import { loadStates, statesByMarketoId } from '../../db/syncState';
import type { MarketoActivity } from '../../marketo';
import type { StepContext } from '../context';
import { unreadableFieldWarning, unreadableMappedFields } from '../fieldAccess';
import { resolveLinkFields } from '../linkage';
import { type MappedField, resolveMapping } from '../mapping';
import type { ContactFeedRead, PersonChanges } from '../notes';
import type { OperationModule } from '../plan';
import { retriesToRun } from '../retryPause';
import { valueRulesOf } from '../valueRules';
import { chunks, stepsFor } from './common';
import { CHANGE_DATA_VALUE, pushCursorKey, pushStart, readFeed } from './pushFeed';
import { replayPush } from './pushReplay';
import { type PersonObject, type PushSetup, pushChanges } from './pushWrite';
import { pushDrifted } from './reconcileRepair';

/** Contact changes Push Updates Lead keeps for the Contact step at most; past it that step reads itself. */
const MAX_HANDED_CONTACTS = 5000;

export const pushUpdates: OperationModule = {
  operation: 'Push Updates',
  steps: (scope) => stepsFor('Push Updates', scope, ['Lead', 'Contact']),
  async run(ctx) {
    const setup = await pushSetup(ctx);
    if (ctx.notes.replay) return replayPush(ctx, setup, ctx.notes.replay);
    if (ctx.record) {
      const entry = (await loadStates(ctx.db, [ctx.record.id])).get(ctx.record.id);
      const id = entry?.marketoId;
      if (id !== undefined) await pushCurrent(ctx, setup, [id], () => true);
      return;
    }
    const now = ctx.clock.now();
    const due = new Set(
      (await retriesToRun(ctx, 'Push Updates', now, (r) => r.mktoId !== undefined)).map((r) => r.mktoId!),
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
    for (const ids of chunks(mine, 300)) await pushCurrent(drifted.ctx, setup, ids, retry);
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
    // A mapped field the sync user can no longer see is left out of the writes: say so on the row
    // of this object's step.
    if (sobject !== (ctx.step.sobject === 'Contact' ? 'Contact' : 'Lead')) continue;
    const schema = await ctx.schema.salesforce(sobject);
    for (const field of unreadableMappedFields(ctx.settings.objects[sobject], schema, ['push', 'both']))
      ctx.warn(unreadableFieldWarning(sobject, field));
  }
  return {
    sobject: ctx.step.sobject === 'Contact' ? 'Contact' : 'Lead',
    links: resolveLinkFields(marketo, ctx.notes.linkFields),
    fields,
    rules: { Lead: valueRulesOf(ctx.settings, 'Lead'), Contact: valueRulesOf(ctx.settings, 'Contact') },
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
