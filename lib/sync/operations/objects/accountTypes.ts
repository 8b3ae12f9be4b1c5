// Pull Updates Account Type (issue 19): each account's Type (with its Name and owner) → the
// Marketo company of the account (`externalCompanyId` = the account id), which the opportunities
// name (opportunities.ts). Marketo's native mapping puts Account Type in the account table's
// "SFDC Type"; its REST name is unconfirmed (api-facts E1), so the company field is found in
// Marketo's company describe: the first updateable of `accountType`, `sfdcType`, `type`. Without one
// the step warns and writes nothing. Persons are not linked to companies (`externalCompanyId` on a
// lead makes its company fields read-only, 1021, which the Account pull writes: docs/objects.md).
// The step reads Account on its own cursor (`pull:AccountType`) and keeps each company's state
// under `company:<accountId>`, apart from the account's own (Pull Updates Account).
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { StepContext } from '../../context';
import { hashText } from '../../hash';
import { ACCOUNT_TYPE } from '../../probeTargets';
import { nameOf } from '../common';
import { failedState, failure, marketoSchema, throwIfCrmRefused } from './crm';
import type { ObjectPullSpec, WrittenBatch } from './objectPull';
import { salesPersonsAmong } from './opportunities';

export const TYPE_FIELDS = ['accountType', 'sfdcType', 'type'];
export const companyKey = (accountId: string) => `company:${accountId}`;

/** The company field Account Type is written to, or undefined when Marketo's describe has none. */
export async function accountTypeField(ctx: StepContext): Promise<string | undefined> {
  const schema = await marketoSchema(ctx, ctx.marketo.companies);
  return TYPE_FIELDS.find((name) => schema.fields.some((f) => f.name === name && f.updateable));
}

export async function accountTypePull(ctx: StepContext): Promise<ObjectPullSpec | undefined> {
  const field = await accountTypeField(ctx);
  if (!field) {
    ctx.warn(
      `Marketo's company object has no field for the account type (${TYPE_FIELDS.join(', ')}): not synced`,
    );
    return undefined;
  }
  return {
    target: ACCOUNT_TYPE,
    sobject: 'Account',
    stateObject: 'Company',
    stateKeyOf: companyKey,
    select: 'Id, SystemModstamp, Name, Type, OwnerId',
    async write(rows, quiet, fresh) {
      const states = fresh
        ? new Map<string, SyncState>()
        : await loadStates(
            ctx.db,
            rows.map((r) => companyKey(r.Id)),
          );
      const persons = await salesPersonsAmong(
        ctx,
        rows.map((r) => r.OwnerId),
      );
      const out: WrittenBatch = { outcomes: [], states: new Map() };
      const writes = [];
      for (const row of rows) {
        const owner = persons.has(String(row.OwnerId)) ? String(row.OwnerId) : '';
        const hashes = {
          Type: hashText(String(row.Type ?? '')),
          Name: hashText(String(row.Name ?? '')),
          '@owner': owner,
        };
        const state = states.get(companyKey(row.Id));
        const name = nameOf(row);
        if (state?.hashes['@id'] && Object.entries(hashes).every(([k, v]) => state.hashes[k] === v)) {
          if (!quiet.has(row.Id))
            out.outcomes.push({ sfId: row.Id, outcome: 'skipped', ...(name && { name }) });
          continue;
        }
        const input = {
          externalCompanyId: row.Id,
          company: row.Name ?? null,
          [field]: row.Type ?? null,
          ...(owner && { externalSalesPersonId: owner }),
        };
        writes.push({ row, state, hashes, input, name });
      }
      if (writes.length === 0) return out;
      ctx.budget.check();
      const results = await ctx.marketo.companies.sync({
        action: 'createOrUpdate',
        input: writes.map((w) => w.input),
      });
      throwIfCrmRefused(results, 'POST /rest/v1/companies.json');
      writes.forEach((w, i) => {
        const result = results[i]!;
        const named = w.name ? { name: w.name } : {};
        if (result.status === 'skipped' || result.id === undefined) {
          out.outcomes.push({ sfId: w.row.Id, outcome: 'failed', error: failure(result), ...named });
          out.states.set(companyKey(w.row.Id), failedState(w.state, 'Company'));
          return;
        }
        const next: SyncState = { sobject: 'Company', hashes: { ...w.hashes, '@id': String(result.id) } };
        out.states.set(companyKey(w.row.Id), next);
        out.outcomes.push({
          sfId: w.row.Id,
          outcome: w.state?.hashes['@id'] ? 'updated' : 'new',
          changes: [{ field: 'Type', old: null, new: w.row.Type ?? null }],
          ...named,
        });
      });
      return out;
    },
  };
}
