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
import type { MarketoRecordOutcome } from '../../../marketo';
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
      await relink(ctx, personOwners(ctx), rows, outcomes, states);
    }
    if (ctx.settings.objects.Opportunity?.enabled)
      await relink(ctx, opportunityOwners(ctx), await owned(ctx, 'Opportunity', users), outcomes, states);
    if (accountTypeEnabled(ctx.settings))
      await relink(ctx, companyOwners(ctx), await owned(ctx, 'Account', users), outcomes, states);
    await ctx.commit({
      outcomes,
      states,
      extraCursors: [{ key: SALESPERSON_BACKLOG, value: rest.length ? JSON.stringify(rest) : null }],
    });
  }
}

/**
 * What Update FKs User rewrites on one kind of Marketo record: its state in the log, whether that
 * state holds another owner (or none) while the record is synced, the owner as the state keeps it,
 * and the write of the owner link for a chunk.
 */
interface OwnerTarget {
  key: (sfId: string) => string;
  stale: (state: SyncState | undefined, row: Owned) => boolean;
  kept: (row: Owned) => Record<string, string>;
  write: (todo: { row: Owned; state: SyncState }[]) => Promise<MarketoRecordOutcome[]>;
  /** The outcome names the Marketo person (persons only). */
  person?: boolean;
}

/** Writes the owner link of those `rows` whose record is synced with another owner, 300 a call. */
async function relink(
  ctx: StepContext,
  target: OwnerTarget,
  rows: Owned[],
  outcomes: PackedOutcome[],
  states: Map<string, SyncState | null>,
) {
  for (const batch of chunks(rows, 300)) {
    const known = await loadStates(
      ctx.db,
      batch.map((r) => target.key(r.Id)),
    );
    const todo = batch
      .map((row) => ({ row, state: known.get(target.key(row.Id)) }))
      .filter((t): t is { row: Owned; state: SyncState } => target.stale(t.state, t.row));
    if (todo.length === 0) continue;
    ctx.budget.check();
    const results = await target.write(todo);
    todo.forEach(({ row, state }, n) => {
      const result = results[n]!;
      const base = { sfId: row.Id, ...(target.person && { mktoId: state.marketoId! }) };
      if (result.status === 'skipped') {
        outcomes.push({ ...base, outcome: 'failed', error: failure(result) });
        return;
      }
      states.set(target.key(row.Id), { ...state, hashes: { ...state.hashes, ...target.kept(row) } });
      outcomes.push({
        ...base,
        outcome: 'updated',
        changes: [{ field: 'OwnerId', old: null, new: row.OwnerId }],
      });
    });
  }
}

/** Leads and contacts: their person's owner link (ownerLink.ts). */
const personOwners = (ctx: StepContext): OwnerTarget => ({
  key: (id) => id,
  stale: (state, row) => state?.marketoId !== undefined && state.hashes.OwnerId !== valueHash(row.OwnerId),
  kept: (row) => ({ OwnerId: valueHash(row.OwnerId) }),
  write: (todo) =>
    ctx.marketo.leads.sync({
      action: 'updateOnly',
      lookupField: 'id',
      input: todo.map(({ row, state }) => ({ id: state.marketoId, [OWNER_LINK]: row.OwnerId })),
    }),
  person: true,
});

const opportunityOwners = (ctx: StepContext): OwnerTarget => ({
  key: (id) => id,
  stale: (state, row) => !!state?.hashes['@guid'] && state.hashes['@owner'] !== row.OwnerId,
  kept: (row) => ({ '@owner': row.OwnerId }),
  write: async (todo) => {
    const results = await ctx.marketo.opportunities.sync({
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: todo.map(({ row, state }) => ({
        marketoGUID: state.hashes['@guid'],
        externalSalesPersonId: row.OwnerId,
      })),
    });
    throwIfCrmRefused(results, 'POST /rest/v1/opportunities.json');
    return results;
  },
});

/** Companies (Account Type, accountTypes.ts) of these accounts written without their owner's link. */
const companyOwners = (ctx: StepContext): OwnerTarget => ({
  key: companyKey,
  stale: (state, row) => !!state?.hashes['@id'] && state.hashes['@owner'] !== row.OwnerId,
  kept: (row) => ({ '@owner': row.OwnerId }),
  write: async (todo) => {
    const results = await ctx.marketo.companies.sync({
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: todo.map(({ row, state }) => ({
        id: Number(state.hashes['@id']),
        externalSalesPersonId: row.OwnerId,
      })),
    });
    throwIfCrmRefused(results, 'POST /rest/v1/companies.json');
    return results;
  },
});
