// Pull Updates for accounts: one page of changed accounts → the Marketo persons linked to them.

import { loadStates } from '../../db/syncState';
import type { PackedOutcome } from '../../db/types';
import { MARKETO_BATCH, MarketoApiError, type MarketoLead } from '../../marketo';
import type { StepContext } from '../context';
import { chunks, marketoError, nameOf } from './common';
import { classify, type PullRow, type PullSetup, withWrittenNumbers, writtenChanges } from './pullBatch';
import { owedAfterPullFailure, pullFailure, withPullOwed } from './pullOwed';

/**
 * Accounts have no Marketo record of their own: their fields live on every person linked to the
 * account (sfdcAccountId), so a changed account is written to each of its persons.
 */
export async function pullAccounts(ctx: StepContext, setup: PullSetup, rows: PullRow[], cursor?: string) {
  const states = await loadStates(
    ctx.db,
    rows.map((r) => r.Id),
  );
  const { outcomes, newStates, writes } = classify(ctx, setup, rows, states);
  const persons = new Map<string, number[]>();
  for (const ids of chunks(
    writes.map((w) => w.row.Id),
    MARKETO_BATCH,
  )) {
    for (const lead of await personsOfAccounts(ctx, setup.links.account, ids)) {
      const accountId = lead[setup.links.account] as string;
      persons.set(accountId, [...(persons.get(accountId) ?? []), lead.id]);
    }
  }
  const input = writes.flatMap((w) => (persons.get(w.row.Id) ?? []).map((id) => ({ id, ...w.values })));
  const owner = writes.flatMap((w) => (persons.get(w.row.Id) ?? []).map(() => w.row.Id));
  const failures = new Map<string, PackedOutcome['error']>();
  for (const [n, part] of chunks(input, MARKETO_BATCH).entries()) {
    ctx.budget.check();
    const results = await ctx.marketo.leads.sync({ action: 'updateOnly', lookupField: 'id', input: part });
    results.forEach((r, i) => {
      if (r.status === 'skipped') failures.set(owner[n * MARKETO_BATCH + i]!, marketoError(r));
    });
  }
  for (const w of writes) {
    const name = nameOf(w.row);
    const error = failures.get(w.row.Id);
    if (error) {
      outcomes.push({ sfId: w.row.Id, outcome: 'failed', error, ...pullFailure(w), ...(name && { name }) });
      if (w.state) newStates.set(w.row.Id, withPullOwed(w.state, owedAfterPullFailure(w, error)));
      continue;
    }
    const base = w.state ? withPullOwed(w.state, w.owed.held) : { sobject: 'Account', hashes: {} };
    const state = { ...base, sobject: 'Account', hashes: { ...w.state?.hashes, ...w.hashes } };
    newStates.set(w.row.Id, withWrittenNumbers(ctx, w, state));
    outcomes.push({
      sfId: w.row.Id,
      outcome: w.state ? 'updated' : 'new',
      changes: writtenChanges(w, (field) => w.row[field.sf]),
      ...(w.owed.settles && { settles: w.owed.settles }),
      ...(name && { name }),
    });
  }
  await ctx.commit({
    outcomes,
    states: newStates,
    ...(cursor && { cursor: { key: 'pull:Account', value: cursor } }),
  });
}

/**
 * Persons linked to these accounts: 300 accounts per lookup (Marketo's most filter values), but
 * Marketo refuses a filter matching more than 1,000 persons (1003, api-facts B): then the accounts
 * are halved and asked again, so big accounts cost extra calls and small ones do not.
 */
async function personsOfAccounts(ctx: StepContext, field: string, ids: string[]): Promise<MarketoLead[]> {
  ctx.budget.check();
  try {
    return await ctx.marketo.leads.getByFilter({ filterType: field, filterValues: ids, fields: [field] });
  } catch (error) {
    if (!(error instanceof MarketoApiError && error.code === '1003') || ids.length === 1) throw error;
    const half = Math.ceil(ids.length / 2);
    return [
      ...(await personsOfAccounts(ctx, field, ids.slice(0, half))),
      ...(await personsOfAccounts(ctx, field, ids.slice(half))),
    ];
  }
}
