// Pull Updates User (issue 19): Salesforce users → Marketo sales persons, keyed by
// `externalSalesPersonId` = the 18-character user id (api-facts E2.4; MSI-NN wants the user's email
// on it). Users are never deleted, only deactivated (E1): a deactivated user stays a sales person,
// because leads, opportunities and companies may still name it (Marketo refuses deleting one in use).
// A user that becomes a sales person after persons, opportunities or companies were already synced
// is owed to Update FKs (`fk:salespersons`): the records it owns are linked to it there (fkOwners.ts).
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import type { StepContext } from '../../context';
import { cursorKeys, readCursor } from '../../cursors';
import { ACCOUNT_TYPE } from '../../probeTargets';
import { nameOf } from '../common';
import {
  changedFields,
  failedState,
  failure,
  marketoSchema,
  pullFields,
  throwIfCrmRefused,
  valuesOf,
} from './crm';
import type { ObjectPullSpec, ObjectRow, WrittenBatch } from './objectPull';

export const USER_FIELDS: [string, string][] = [
  ['Email', 'email'],
  ['FirstName', 'firstName'],
  ['LastName', 'lastName'],
  ['Title', 'title'],
  ['Phone', 'phone'],
  ['MobilePhone', 'mobilePhone'],
];

/** Users Update FKs still has to link their persons and opportunities to (JSON ids). */
export const SALESPERSON_BACKLOG = 'fk:salespersons';

export async function owedSalesPersons(ctx: StepContext): Promise<string[]> {
  const stored = await readCursor(ctx.db, SALESPERSON_BACKLOG);
  const parsed: unknown = stored ? JSON.parse(stored) : [];
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
}

export async function userPull(ctx: StepContext): Promise<ObjectPullSpec> {
  const target = ctx.marketo.salesPersons;
  const fields = await pullFields(ctx, 'User', USER_FIELDS, await marketoSchema(ctx, target));
  const select = [...new Set(['Id', 'SystemModstamp', 'FirstName', 'LastName', ...fields.map((f) => f.sf)])];
  // Persons, opportunities and companies synced before this user became a sales person (a first
  // cycle whose user step failed wrote them without their owner) must be linked afterwards.
  let synced = false;
  for (const target of ['Lead', 'Contact', 'Opportunity', ACCOUNT_TYPE])
    synced ||= (await readCursor(ctx.db, cursorKeys.pull(target))) !== undefined;
  const backlog = await owedSalesPersons(ctx);
  return {
    target: 'User',
    sobject: 'User',
    stateObject: 'User',
    select: select.join(', '),
    async write(rows, quiet, fresh) {
      const states = fresh
        ? new Map<string, SyncState>()
        : await loadStates(
            ctx.db,
            rows.map((r) => r.Id),
          );
      const out: WrittenBatch = { outcomes: [], states: new Map() };
      const writes: { row: ObjectRow; values: Record<string, unknown>; hashes: Record<string, string> }[] =
        [];
      for (const row of rows) {
        const { values, hashes } = valuesOf(row, fields);
        const state = states.get(row.Id);
        const name = nameOf(row);
        if (state?.hashes['@id'] && changedFields(state, hashes, row).length === 0) {
          if (!quiet.has(row.Id))
            out.outcomes.push({ sfId: row.Id, outcome: 'skipped', ...(name && { name }) });
          continue;
        }
        writes.push({ row, values, hashes });
      }
      if (writes.length === 0) return out;
      ctx.budget.check();
      const results = await target.sync({
        action: 'createOrUpdate',
        input: writes.map((w) => ({ externalSalesPersonId: w.row.Id, ...w.values })),
      });
      throwIfCrmRefused(results, 'POST /rest/v1/salespersons.json');
      const created: string[] = [];
      writes.forEach((w, i) => {
        const result = results[i]!;
        const state = states.get(w.row.Id);
        const name = nameOf(w.row);
        const base: Pick<PackedOutcome, 'sfId' | 'name'> = { sfId: w.row.Id, ...(name && { name }) };
        if (result.status === 'skipped' || result.id === undefined) {
          out.outcomes.push({ ...base, outcome: 'failed', error: failure(result) });
          out.states.set(w.row.Id, failedState(state, 'User'));
          return;
        }
        const next: SyncState = { sobject: 'User', hashes: { ...w.hashes, '@id': String(result.id) } };
        out.states.set(w.row.Id, next);
        if (!state?.hashes['@id']) created.push(w.row.Id);
        out.outcomes.push({
          ...base,
          outcome: state?.hashes['@id'] ? 'updated' : 'new',
          changes: changedFields(state, w.hashes, w.row),
        });
      });
      if (created.length && synced) {
        // Kept here between batches: a batch's commit may land after the next batch is written.
        backlog.push(...created);
        out.extraCursors = [{ key: SALESPERSON_BACKLOG, value: JSON.stringify(backlog) }];
      }
      return out;
    },
  };
}
