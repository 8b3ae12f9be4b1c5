// Salesforce custom objects → Marketo custom objects (issue 19; settings `customObjects`, the switch
// and field mapping in `objects[<name>__c]`). A record is keyed in Marketo by its Salesforce id in
// the Marketo object's one dedupe field (a compound key cannot hold it: Sync Schema says so and the
// object is not synced), and linked to its person through the Marketo object's link field: the
// first of the admin's link fields (lookups to Lead or Contact) that is set names the person, whose
// Marketo id the log knows (a converted lead's is its contact's). A record whose person is not in
// Marketo yet is queued; one whose person is excluded by the sync filter is Excluded (counted) and
// queued too; one with no person at all is Skipped saying so. A record moved off the person it was
// written on, to none or to one it cannot be written on yet, leaves that person's Marketo record
// at once (formerLinks.ts).
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { CustomObjectSettings } from '../../../settings/schema';
import { salesforceChanged } from '../../changes';
import type { StepContext } from '../../context';
import { nameOf } from '../common';
import { changedFields, failedState, failure, pullFields, valuesOf } from './crm';
import type { CustomTarget } from './customTarget';
import { deleteLeft, failLeaving, type Leaving } from './formerLinks';
import type { ObjectPullSpec, ObjectRow, WrittenBatch } from './objectPull';

export async function customPull(
  ctx: StepContext,
  config: CustomObjectSettings,
  target: CustomTarget,
): Promise<ObjectPullSpec> {
  const { sobject } = ctx.step;
  const salesforce = await ctx.schema.salesforce(sobject);
  const links = config.linkFields.filter((f) => salesforce.fields.some((s) => s.name === f));
  const fields = (await pullFields(ctx, sobject, [], target.schema)).filter(
    (f) => f.mk !== target.link && f.mk !== target.key,
  );
  const filter = ctx.settings.syncFilterField;
  // The link fields' persons' filter checkbox, read with the record (`Lead__r.<field>`), when both
  // person objects have it.
  const hasFilter = async (o: string) =>
    !!filter && (await ctx.schema.salesforce(o)).fields.some((f) => f.name === filter);
  const personFilter =
    (await hasFilter('Lead')) && (await hasFilter('Contact'))
      ? links.map((l) => `${l.replace(/__c$/, '__r')}.${filter}`)
      : [];
  const select = [
    ...new Set(['Id', 'SystemModstamp', 'Name', ...links, ...fields.map((f) => f.sf), ...personFilter]),
  ];
  return {
    target: sobject,
    sobject,
    stateObject: sobject,
    select: select.join(', '),
    queue: {
      key: `queue:${sobject}`,
      ready: async (c) => (await salesforceChanged(c, 'Lead')) || (await salesforceChanged(c, 'Contact')),
    },
    async write(rows, quiet, fresh) {
      const persons = rows.map((r) =>
        links.map((l) => r[l]).find((v): v is string => typeof v === 'string' && v !== ''),
      );
      const ids = [...new Set(persons.filter((p): p is string => !!p))];
      const personStates = await loadStates(ctx.db, ids);
      // A converted lead's person is its contact's.
      const converted = [...personStates.values()].flatMap((s) => (s.convertedTo ? [s.convertedTo] : []));
      const contacts = await loadStates(ctx.db, converted);
      const states = fresh
        ? new Map<string, SyncState>()
        : await loadStates(
            ctx.db,
            rows.map((r) => r.Id),
          );
      const out: WrittenBatch = { outcomes: [], states: new Map(), queued: [] };
      const writes: {
        row: ObjectRow;
        person: string;
        leadId: number;
        hashes: Record<string, string>;
        input: Record<string, unknown>;
      }[] = [];
      const leaving: Leaving[] = [];
      const leaves = (row: ObjectRow, person: string | undefined) => {
        const [guid, from] = [states.get(row.Id)?.hashes['@guid'], states.get(row.Id)?.hashes['@person']];
        if (guid && from && from !== person) leaving.push({ id: row.Id, guid, from });
      };
      rows.forEach((row, i) => {
        const person = persons[i];
        const name = nameOf(row);
        const named = name ? { name } : {};
        if (!person) {
          leaves(row, undefined);
          out.outcomes.push({
            sfId: row.Id,
            outcome: 'skipped',
            reason: `no lead or contact in ${links.join(', ')}`,
            ...named,
          });
          return;
        }
        let personState = personStates.get(person);
        if (personState?.convertedTo) personState = contacts.get(personState.convertedTo);
        const relation = links.find((l) => row[l] === person)!.replace(/__c$/, '__r');
        const excludedNow = filter
          ? (row[relation] as Record<string, unknown> | null)?.[filter] === true
          : false;
        if (excludedNow || personState?.excluded) {
          leaves(row, person);
          out.queued!.push(row.Id);
          out.outcomes.push({
            sfId: row.Id,
            outcome: 'excluded',
            reason: `its person is excluded by the sync filter (${filter} is checked)`,
            ...named,
          });
          return;
        }
        const leadId = personState?.marketoId;
        if (leadId === undefined) {
          leaves(row, person);
          out.queued!.push(row.Id);
          out.outcomes.push({
            sfId: row.Id,
            outcome: 'skipped',
            reason: 'Queued: its person is not in Marketo yet; the record is written once it is',
            ...named,
          });
          return;
        }
        const { values, hashes } = valuesOf(row, fields);
        const state = states.get(row.Id);
        if (
          state?.hashes['@guid'] &&
          state.hashes['@lead'] === String(leadId) &&
          changedFields(state, hashes, row).length === 0
        ) {
          if (!quiet.has(row.Id))
            out.outcomes.push({ sfId: row.Id, mktoId: leadId, outcome: 'skipped', ...named });
          return;
        }
        writes.push({
          row,
          person,
          leadId,
          hashes,
          input: { [target.key]: row.Id, [target.link]: leadId, ...values },
        });
      });
      const errors = await deleteLeft(
        ctx,
        leaving,
        (input) => ctx.marketo.customObjects.delete(target.name, { deleteBy: 'idField', input }),
        `POST /rest/v1/customobjects/${target.name}/delete.json`,
      );
      for (const [i, l] of leaving.entries())
        if (errors[i]) failLeaving(out.outcomes, l.id, errors[i]);
        else out.states.set(l.id, null);
      if (writes.length === 0) return out;
      ctx.budget.check();
      const results = await ctx.marketo.customObjects.sync(target.name, {
        action: 'createOrUpdate',
        input: writes.map((w) => w.input),
      });
      writes.forEach((w, i) => {
        const result = results[i]!;
        const state = states.get(w.row.Id);
        const name = nameOf(w.row);
        const named = name ? { name } : {};
        if (result.status === 'skipped' || typeof result.id !== 'string') {
          out.outcomes.push({
            sfId: w.row.Id,
            mktoId: w.leadId,
            outcome: 'failed',
            error: failure(result),
            ...named,
          });
          out.states.set(w.row.Id, failedState(state, sobject));
          return;
        }
        out.states.set(w.row.Id, {
          sobject,
          hashes: { ...w.hashes, '@guid': result.id, '@lead': String(w.leadId), '@person': w.person },
        });
        const moved = state?.hashes['@lead'] !== undefined && state.hashes['@lead'] !== String(w.leadId);
        out.outcomes.push({
          sfId: w.row.Id,
          mktoId: w.leadId,
          outcome: state?.hashes['@guid'] ? 'updated' : 'new',
          changes: [
            ...changedFields(state, w.hashes, w.row),
            ...(moved || !state ? [{ field: 'Person', old: null, new: w.person }] : []),
          ],
          ...named,
        });
      });
      return out;
    },
  };
}
