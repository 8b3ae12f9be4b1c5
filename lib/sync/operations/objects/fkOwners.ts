// Update FKs User (fkStep.ts): users that became sales persons after persons, opportunities or
// companies were synced (`fk:salespersons`, written by Pull Updates User in the commit that created
// them). The persons they own get `externalSalesPersonId` (their owner link, ownerLink.ts), and so do
// the opportunities and the companies (Account Type) they own: both leave the link out while the
// owner is not a sales person (Marketo refuses an unknown one, 718) — a first cycle whose user step
// failed wrote them all without it, and only a change of the row itself would write them again.
// What the pulls would write anyway (their owner hash already agrees) is left alone. Each chunk of
// users commits its outcomes, the states and the rest of the backlog together.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import type { StepContext } from '../../context';
import { valueHash } from '../../hash';
import { accountTypeEnabled } from '../../probeTargets';
import { chunks } from '../common';
import { companyKey } from './accountTypes';
import { failure, throwIfCrmRefused } from './crm';
import { OWNER_LINK } from './ownerLink';
import { owedSalesPersons, SALESPERSON_BACKLOG } from './users';

type Owned = { Id: string; OwnerId: string };

async function owned(ctx: StepContext, sobject: string, users: string[], extra = ''): Promise<Owned[]> {
  const rows: Owned[] = [];
  const list = users.map((u) => `'${u}'`).join(',');
  ctx.budget.check();
  for await (const page of ctx.salesforce.query(
    `SELECT Id, OwnerId FROM ${sobject} WHERE OwnerId IN (${list})${extra}`,
  ))
    rows.push(...(page.records as Owned[]));
  return rows;
}

export async function relinkOwners(ctx: StepContext): Promise<void> {
  const backlog = await owedSalesPersons(ctx);
  const batches = chunks(backlog, 50);
  for (const [i, users] of batches.entries()) {
    const rest = batches.slice(i + 1).flat();
    const outcomes: PackedOutcome[] = [];
    const states = new Map<string, SyncState | null>();
    for (const sobject of ['Lead', 'Contact'] as const) {
      if (!ctx.settings.objects[sobject]?.enabled) continue;
      const rows = await owned(ctx, sobject, users, sobject === 'Lead' ? ' AND IsConverted = false' : '');
      await linkPersons(ctx, rows, outcomes, states);
    }
    if (ctx.settings.objects.Opportunity?.enabled)
      await linkOpportunities(ctx, await owned(ctx, 'Opportunity', users), outcomes, states);
    if (accountTypeEnabled(ctx.settings))
      await linkCompanies(ctx, await owned(ctx, 'Account', users), outcomes, states);
    await ctx.commit({
      outcomes,
      states,
      extraCursors: [{ key: SALESPERSON_BACKLOG, value: rest.length ? JSON.stringify(rest) : null }],
    });
  }
}

async function linkPersons(
  ctx: StepContext,
  rows: Owned[],
  outcomes: PackedOutcome[],
  states: Map<string, SyncState | null>,
) {
  for (const batch of chunks(rows, 300)) {
    const known = await loadStates(
      ctx.db,
      batch.map((r) => r.Id),
    );
    const todo = batch.filter((r) => {
      const state = known.get(r.Id);
      return state?.marketoId !== undefined && state.hashes.OwnerId !== valueHash(r.OwnerId);
    });
    if (todo.length === 0) continue;
    ctx.budget.check();
    const results = await ctx.marketo.leads.sync({
      action: 'updateOnly',
      lookupField: 'id',
      input: todo.map((r) => ({ id: known.get(r.Id)!.marketoId, [OWNER_LINK]: r.OwnerId })),
    });
    todo.forEach((r, n) => {
      const state = known.get(r.Id)!;
      const result = results[n]!;
      if (result.status === 'skipped') {
        outcomes.push({ sfId: r.Id, mktoId: state.marketoId!, outcome: 'failed', error: failure(result) });
        return;
      }
      states.set(r.Id, { ...state, hashes: { ...state.hashes, OwnerId: valueHash(r.OwnerId) } });
      outcomes.push({
        sfId: r.Id,
        mktoId: state.marketoId!,
        outcome: 'updated',
        changes: [{ field: 'OwnerId', old: null, new: r.OwnerId }],
      });
    });
  }
}

async function linkOpportunities(
  ctx: StepContext,
  rows: Owned[],
  outcomes: PackedOutcome[],
  states: Map<string, SyncState | null>,
) {
  for (const batch of chunks(rows, 300)) {
    const known = await loadStates(
      ctx.db,
      batch.map((r) => r.Id),
    );
    const todo = batch.filter(
      (r) => known.get(r.Id)?.hashes['@guid'] && known.get(r.Id)!.hashes['@owner'] !== r.OwnerId,
    );
    if (todo.length === 0) continue;
    ctx.budget.check();
    const results = await ctx.marketo.opportunities.sync({
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: todo.map((r) => ({
        marketoGUID: known.get(r.Id)!.hashes['@guid'],
        externalSalesPersonId: r.OwnerId,
      })),
    });
    throwIfCrmRefused(results, 'POST /rest/v1/opportunities.json');
    todo.forEach((r, n) => {
      const state = known.get(r.Id)!;
      const result = results[n]!;
      if (result.status === 'skipped') {
        outcomes.push({ sfId: r.Id, outcome: 'failed', error: failure(result) });
        return;
      }
      states.set(r.Id, { ...state, hashes: { ...state.hashes, '@owner': r.OwnerId } });
      outcomes.push({
        sfId: r.Id,
        outcome: 'updated',
        changes: [{ field: 'OwnerId', old: null, new: r.OwnerId }],
      });
    });
  }
}

/** Companies (Account Type, accountTypes.ts) of these accounts written without their owner's link. */
async function linkCompanies(
  ctx: StepContext,
  rows: Owned[],
  outcomes: PackedOutcome[],
  states: Map<string, SyncState | null>,
) {
  for (const batch of chunks(rows, 300)) {
    const known = await loadStates(
      ctx.db,
      batch.map((r) => companyKey(r.Id)),
    );
    const todo = batch.filter((r) => {
      const state = known.get(companyKey(r.Id));
      return state?.hashes['@id'] && state.hashes['@owner'] !== r.OwnerId;
    });
    if (todo.length === 0) continue;
    ctx.budget.check();
    const results = await ctx.marketo.companies.sync({
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: todo.map((r) => ({
        id: Number(known.get(companyKey(r.Id))!.hashes['@id']),
        externalSalesPersonId: r.OwnerId,
      })),
    });
    throwIfCrmRefused(results, 'POST /rest/v1/companies.json');
    todo.forEach((r, n) => {
      const state = known.get(companyKey(r.Id))!;
      const result = results[n]!;
      if (result.status === 'skipped') {
        outcomes.push({ sfId: r.Id, outcome: 'failed', error: failure(result) });
        return;
      }
      states.set(companyKey(r.Id), { ...state, hashes: { ...state.hashes, '@owner': r.OwnerId } });
      outcomes.push({
        sfId: r.Id,
        outcome: 'updated',
        changes: [{ field: 'OwnerId', old: null, new: r.OwnerId }],
      });
    });
  }
}
