// Pull Updates Opportunity (issue 19): Salesforce opportunities → Marketo opportunities, keyed by
// `externalOpportunityId` = the 18-character opportunity id (api-facts E2.2). Written with their
// links: `externalCompanyId` = AccountId (the account's company, accountTypes.ts), and, while User
// syncs, `externalSalesPersonId` = OwnerId — only when that user is a sales person already:
// Marketo refuses the whole call for an unknown one (718), so an owner not synced yet is left out
// and linked later by Update FKs User. `externalCreatedDate` = CreatedDate (revenue analytics reads
// it as the opportunity's creation date, WP). The state keeps the hashes, the marketoGUID and the
// links written (`@account`, `@owner`), which Update FKs compares against.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { StepContext } from '../../context';
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
import { salesPersonOf } from './ownerLink';

export const OPPORTUNITY_FIELDS: [string, string][] = [
  ['Name', 'name'],
  ['StageName', 'stage'],
  ['Amount', 'amount'],
  ['CloseDate', 'closeDate'],
  ['Type', 'type'],
  ['LeadSource', 'source'],
  ['Description', 'description'],
  ['IsClosed', 'isClosed'],
  ['IsWon', 'isWon'],
  ['Probability', 'probability'],
  ['ExpectedRevenue', 'expectedRevenue'],
  ['ForecastCategoryName', 'forecastCategoryName'],
  ['NextStep', 'nextStep'],
];

/** The sales person ids among these owners (users synced as sales persons). */
export async function salesPersonsAmong(ctx: StepContext, owners: readonly unknown[]): Promise<Set<string>> {
  if (!ctx.settings.objects.User?.enabled) return new Set();
  const users = [...new Set(owners.map(salesPersonOf).filter((o): o is string => o !== null))];
  const states = await loadStates(ctx.db, users);
  return new Set(users.filter((u) => states.get(u)?.hashes['@id']));
}

export async function opportunityPull(ctx: StepContext): Promise<ObjectPullSpec> {
  const target = ctx.marketo.opportunities;
  const fields = await pullFields(ctx, 'Opportunity', OPPORTUNITY_FIELDS, await marketoSchema(ctx, target));
  const base = ['Id', 'SystemModstamp', 'Name', 'AccountId', 'OwnerId', 'CreatedDate'];
  const select = [...new Set([...base, ...fields.map((f) => f.sf)])].join(', ');
  return {
    target: 'Opportunity',
    sobject: 'Opportunity',
    stateObject: 'Opportunity',
    select,
    // Nothing of one batch's write is shared with another's (its rows' states are its own).
    overlap: true,
    async write(rows, quiet, fresh) {
      const states = fresh
        ? new Map<string, SyncState>()
        : await loadStates(
            ctx.db,
            rows.map((r) => r.Id),
          );
      const persons = await salesPersonsAmong(
        ctx,
        rows.map((r) => r.OwnerId),
      );
      const out: WrittenBatch = { outcomes: [], states: new Map() };
      const writes: { row: ObjectRow; input: Record<string, unknown>; hashes: Record<string, string> }[] = [];
      for (const row of rows) {
        const { values, hashes } = valuesOf(row, fields);
        const account = typeof row.AccountId === 'string' ? row.AccountId : '';
        const owner = persons.has(String(row.OwnerId)) ? String(row.OwnerId) : '';
        const state = states.get(row.Id);
        const name = nameOf(row);
        const same =
          state?.hashes['@guid'] &&
          changedFields(state, hashes, row).length === 0 &&
          state.hashes['@account'] === account &&
          state.hashes['@owner'] === owner;
        if (same) {
          if (!quiet.has(row.Id))
            out.outcomes.push({ sfId: row.Id, outcome: 'skipped', ...(name && { name }) });
          continue;
        }
        const input: Record<string, unknown> = {
          externalOpportunityId: row.Id,
          ...values,
          externalCompanyId: account || null,
          externalCreatedDate: row.CreatedDate ?? null,
          ...(owner && { externalSalesPersonId: owner }),
        };
        writes.push({ row, input, hashes: { ...hashes, '@account': account, '@owner': owner } });
      }
      if (writes.length === 0) return out;
      ctx.budget.check();
      const results = await target.sync({ action: 'createOrUpdate', input: writes.map((w) => w.input) });
      throwIfCrmRefused(results, 'POST /rest/v1/opportunities.json');
      writes.forEach((w, i) => {
        const result = results[i]!;
        const state = states.get(w.row.Id);
        const name = nameOf(w.row);
        if (result.status === 'skipped' || typeof result.id !== 'string') {
          out.outcomes.push({
            sfId: w.row.Id,
            outcome: 'failed',
            error: failure(result),
            ...(name && { name }),
          });
          out.states.set(w.row.Id, failedState(state, 'Opportunity'));
          return;
        }
        const next: SyncState = { sobject: 'Opportunity', hashes: { ...w.hashes, '@guid': result.id } };
        out.states.set(w.row.Id, next);
        const links = (['AccountId', 'OwnerId'] as const)
          .filter(
            (f) =>
              state?.hashes[f === 'AccountId' ? '@account' : '@owner'] !==
              w.hashes[f === 'AccountId' ? '@account' : '@owner'],
          )
          .map((field) => ({ field, old: null, new: w.row[field] ?? null }));
        out.outcomes.push({
          sfId: w.row.Id,
          outcome: state?.hashes['@guid'] ? 'updated' : 'new',
          changes: [
            ...changedFields(state, w.hashes, w.row).filter((c) => !c.field.startsWith('@')),
            ...links,
          ],
          ...(name && { name }),
        });
      });
      return out;
    },
  };
}
