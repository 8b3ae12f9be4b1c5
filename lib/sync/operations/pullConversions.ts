// Pull Conversions (design §2, api-facts A11): a Salesforce lead converted into a contact → its
// Marketo person now stands for the contact. If the contact has no person yet, the lead's person is
// relinked to it. If the contact already has one, the lead's person is relinked and then merged
// into the contact's person (with a CRM sync, the contact wins). Relink + merge is two writes: when
// the merge fails, the relink is undone from its before-image and the step ends Purged.
// Conversions are found by ConvertedDate (a date, so the scan starts a day before the cursor);
// whether conversion bumps SystemModstamp is unconfirmed, so the delta query is not relied on.
// An idle cycle skips the step only when the change probe saw nothing after the Lead AND the
// Contact pull positions (a conversion always creates or updates the contact), and never when the
// step's last run did not complete (runner.ts markers).

import { loadStates } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { MARKETO_BATCH } from '../../marketo';
import { toId18 } from '../../salesforce/ids';
import { inList } from '../../salesforce/soql';
import { salesforceChanged } from '../changes';
import type { StepContext } from '../context';
import { cursorKeys, readCursor } from '../cursors';
import { type LinkFields, resolveLinkFields } from '../linkage';
import type { OperationModule } from '../plan';
import { PurgedError } from '../runner';
import { chunks, marketoError, nameOf } from './common';

interface Converted extends Record<string, unknown> {
  Id: string;
  ConvertedContactId: string;
  ConvertedAccountId: string | null;
  ConvertedDate: string;
  FirstName?: string;
  LastName?: string;
}

export const pullConversions: OperationModule = {
  operation: 'Pull Conversions',
  steps: (scope) =>
    scope.settings.objects.Lead?.enabled && scope.settings.objects.Contact?.enabled && !scope.record
      ? [{ operation: 'Pull Conversions', objectType: 'Person', sobject: 'Lead' }]
      : [],
  async run(ctx) {
    // A conversion changes the contact it goes to (created or updated) and, in orgs where it bumps
    // the lead's SystemModstamp, the lead: either probe seeing something after the pulls' positions
    // means a conversion may be owed. A run that did not complete resumes without asking (runner.ts).
    if (!(await salesforceChanged(ctx, 'Lead')) && !(await salesforceChanged(ctx, 'Contact'))) return;
    const cursor = await readCursor(ctx.db, cursorKeys.conversions);
    const since = cursor ? new Date(Date.parse(cursor) - 86_400_000).toISOString().slice(0, 10) : undefined;
    const links = resolveLinkFields(await ctx.schema.marketo(), ctx.notes.linkFields);
    const soql =
      'SELECT Id, FirstName, LastName, ConvertedContactId, ConvertedAccountId, ConvertedDate FROM Lead ' +
      `WHERE IsConverted = true${since ? ` AND ConvertedDate >= ${since}` : ''} ORDER BY ConvertedDate, Id`;
    ctx.budget.check();
    let latest = cursor ?? '';
    for await (const page of ctx.salesforce.query(soql)) {
      for (const batch of chunks(page.records as unknown as Converted[], MARKETO_BATCH)) {
        ctx.budget.check();
        for (const row of batch) if (row.ConvertedDate > latest) latest = row.ConvertedDate;
        await convertBatch(ctx, links, batch, latest);
      }
    }
  },
};

async function personsBy(ctx: StepContext, field: string, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  ctx.budget.check();
  for (const lead of await ctx.marketo.leads.getByFilter({
    filterType: field,
    filterValues: ids,
    fields: [field],
  })) {
    out.set(String(lead[field]), lead.id);
  }
  return out;
}

/** Of the rows' converted contacts, the ones Salesforce no longer has (deleted). One query by id. */
async function deletedContacts(ctx: StepContext, rows: Converted[]): Promise<Set<string>> {
  const ids = [...new Set(rows.map((r) => r.ConvertedContactId))];
  if (!ids.length) return new Set();
  const found = new Set<string>();
  ctx.budget.check();
  // `query` (not queryAll) leaves deleted rows out: a missing id is a deleted contact.
  for await (const page of ctx.salesforce.query(`SELECT Id FROM Contact WHERE ${inList('Id', ids).soql}`))
    for (const row of page.records as { Id: string }[]) found.add(row.Id);
  return new Set(ids.filter((id) => !found.has(toId18(id)) && !found.has(id)));
}

/** Deletes the persons of leads whose contact is gone; the lead is remembered as converted. */
async function deletePersonsOfGone(
  ctx: StepContext,
  rows: Converted[],
  leadPersons: Map<string, number>,
  outcomes: PackedOutcome[],
  newStates: Map<string, SyncState | null>,
) {
  if (!rows.length) return;
  ctx.budget.check();
  const results = await ctx.marketo.leads.delete(rows.map((r) => leadPersons.get(r.Id)!));
  rows.forEach((r, i) => {
    const result = results[i]!;
    const mktoId = leadPersons.get(r.Id)!;
    const name = nameOf(r);
    if (result.status === 'deleted' || result.reasons[0]?.code === '1004') {
      newStates.set(r.Id, { sobject: 'Lead', hashes: {}, convertedTo: r.ConvertedContactId });
      outcomes.push({
        sfId: r.Id,
        mktoId,
        outcome: 'deleted',
        reason: `converted into contact ${r.ConvertedContactId}, which was deleted`,
        ...(name && { name }),
      });
    } else {
      outcomes.push({
        sfId: r.Id,
        mktoId,
        outcome: 'failed',
        error: marketoError(result),
        ...(name && { name }),
      });
    }
  });
}

async function convertBatch(ctx: StepContext, links: LinkFields, rows: Converted[], cursor: string) {
  const states = await loadStates(ctx.db, [
    ...rows.map((r) => r.Id),
    ...rows.map((r) => r.ConvertedContactId),
  ]);
  const outcomes: PackedOutcome[] = [];
  const newStates = new Map<string, SyncState | null>();
  const todo = rows.filter((r) => {
    if (states.get(r.Id)?.convertedTo !== r.ConvertedContactId) return true;
    outcomes.push({ sfId: r.Id, outcome: 'skipped', ...(nameOf(r) && { name: nameOf(r) }) });
    return false;
  });
  const leadPersons = await personsBy(
    ctx,
    links.lead,
    todo.map((r) => r.Id),
  );
  const contactPersons = await personsBy(
    ctx,
    links.contact,
    todo.map((r) => r.ConvertedContactId),
  );
  // The contact's pull may already have taken over the lead's person (same person under both
  // links): the relink is done, only the state is left to record.
  const linked = todo.filter(
    (r) => leadPersons.has(r.Id) && contactPersons.get(r.ConvertedContactId) === leadPersons.get(r.Id),
  );
  for (const r of linked) {
    const personId = leadPersons.get(r.Id)!;
    const contactState = states.get(r.ConvertedContactId);
    newStates.set(r.Id, { sobject: 'Lead', hashes: {}, convertedTo: r.ConvertedContactId });
    newStates.set(r.ConvertedContactId, {
      ...(contactState ?? { sobject: 'Contact', hashes: {} }),
      marketoId: personId,
      accountId: contactState?.accountId ?? r.ConvertedAccountId,
    });
    outcomes.push({
      sfId: r.Id,
      mktoId: personId,
      outcome: 'updated',
      changes: [{ field: 'ConvertedContactId', old: null, new: r.ConvertedContactId }],
      ...(nameOf(r) && { name: nameOf(r) }),
    });
  }
  const candidates = todo.filter((r) => leadPersons.has(r.Id) && !linked.includes(r));
  // A contact deleted before this step ran (converted and deleted between two cycles) was never
  // synced, so Pull Deletes had no person to delete for it: the lead's person must not be relinked
  // to it, it stands for nothing in Salesforce any more and is deleted (found by the property test).
  const gone = await deletedContacts(
    ctx,
    candidates.filter((r) => !states.has(r.ConvertedContactId)),
  );
  const relink = candidates.filter((r) => !gone.has(r.ConvertedContactId));
  await deletePersonsOfGone(
    ctx,
    candidates.filter((r) => gone.has(r.ConvertedContactId)),
    leadPersons,
    outcomes,
    newStates,
  );
  for (const r of todo.filter((r) => !leadPersons.has(r.Id))) {
    // No Marketo person for the lead: nothing to relink; remember the conversion.
    newStates.set(r.Id, { sobject: 'Lead', hashes: {}, convertedTo: r.ConvertedContactId });
    outcomes.push({ sfId: r.Id, outcome: 'skipped' });
  }
  if (relink.length) {
    // Before-images: what the relink overwrites, to undo it if the merge then fails.
    const before = relink.map((r) => ({
      id: leadPersons.get(r.Id)!,
      [links.contact]: null,
      [links.type]: 'Lead',
      [links.account]: null,
    }));
    ctx.budget.check();
    const results = await ctx.marketo.leads.sync({
      action: 'updateOnly',
      lookupField: 'id',
      input: relink.map((r) => ({
        id: leadPersons.get(r.Id)!,
        [links.contact]: r.ConvertedContactId,
        [links.type]: 'Contact',
        [links.account]: r.ConvertedAccountId,
      })),
    });
    const merged: Converted[] = [];
    for (const [i, r] of relink.entries()) {
      const personId = leadPersons.get(r.Id)!;
      const result = results[i]!;
      if (result.status === 'skipped') {
        // Marketo refused the relink: named from the Salesforce row, as the success is.
        const name = nameOf(r);
        outcomes.push({
          sfId: r.Id,
          mktoId: personId,
          outcome: 'failed',
          error: marketoError(result),
          ...(name && { name }),
        });
        continue;
      }
      const winner = contactPersons.get(r.ConvertedContactId);
      if (winner !== undefined && winner !== personId) {
        try {
          ctx.budget.check();
          await ctx.marketo.leads.merge(winner, [personId]);
        } catch (error) {
          await undo(
            ctx,
            before.slice(i).filter((_b, k) => results[i + k]!.status !== 'skipped'),
          );
          await ctx.commit({ outcomes, states: newStates });
          throw new PurgedError(
            `Merge of Marketo person ${personId} into ${winner} (lead ${r.Id} → contact ${r.ConvertedContactId}) ` +
              `failed; the relinks not merged yet were undone: ${error instanceof Error ? error.message : error}`,
          );
        }
        merged.push(r);
      }
      const contactPerson = winner ?? personId;
      newStates.set(r.Id, { sobject: 'Lead', hashes: {}, convertedTo: r.ConvertedContactId });
      const contactState = states.get(r.ConvertedContactId);
      newStates.set(r.ConvertedContactId, {
        ...(contactState ?? { sobject: 'Contact', hashes: {} }),
        marketoId: contactPerson,
        accountId: contactState?.accountId ?? r.ConvertedAccountId,
      });
      outcomes.push({
        sfId: r.Id,
        mktoId: contactPerson,
        outcome: 'updated',
        changes: [{ field: 'ConvertedContactId', old: null, new: r.ConvertedContactId }],
        ...(nameOf(r) && { name: nameOf(r) }),
      });
    }
    if (merged.length)
      ctx.log(`Pull Conversions: merged ${merged.length} lead persons into their contact's person`);
  }
  await ctx.commit({ outcomes, states: newStates, cursor: { key: cursorKeys.conversions, value: cursor } });
}

async function undo(ctx: StepContext, before: Record<string, unknown>[]) {
  if (!before.length) return;
  await ctx.marketo.leads.sync({ action: 'updateOnly', lookupField: 'id', input: before });
}
