// Update FKs Opportunity (fkStep.ts): opportunities whose account Pull Deletes removed keep no
// company link. The accounts are owed in `fk:opportunity-accounts` (JSON ids); each chunk's commit
// removes the chunk, with the outcomes it made, so a stop loses nothing and repeats nothing.
import { allStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import type { StepContext } from '../../context';
import { readCursor } from '../../cursors';
import { chunks } from '../common';
import { failure, throwIfCrmRefused } from './crm';

export const OPPORTUNITY_ACCOUNTS = 'fk:opportunity-accounts';

export async function owedOpportunityAccounts(ctx: StepContext): Promise<string[]> {
  const stored = await readCursor(ctx.db, OPPORTUNITY_ACCOUNTS);
  const parsed: unknown = stored ? JSON.parse(stored) : [];
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
}

export async function clearDeletedAccounts(ctx: StepContext): Promise<void> {
  const accounts = await owedOpportunityAccounts(ctx);
  if (accounts.length === 0) return;
  // The opportunities linked to those accounts, from the log (one pass over its states).
  const owed = new Set(accounts);
  const linked: [string, SyncState][] = [];
  for await (const page of allStates(ctx.db, 'Opportunity', 100))
    for (const [id, state] of page)
      if (owed.has(state.hashes['@account'] ?? '') && state.hashes['@guid']) linked.push([id, state]);
  const batches = chunks(linked, 300);
  if (batches.length === 0) {
    await ctx.commit({ outcomes: [], extraCursors: [{ key: OPPORTUNITY_ACCOUNTS, value: null }] });
    return;
  }
  for (const [i, batch] of batches.entries()) {
    ctx.budget.check();
    const results = await ctx.marketo.opportunities.sync({
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: batch.map(([, s]) => ({ marketoGUID: s.hashes['@guid'], externalCompanyId: null })),
    });
    throwIfCrmRefused(results, 'POST /rest/v1/opportunities.json');
    const outcomes: PackedOutcome[] = [];
    const states = new Map<string, SyncState | null>();
    batch.forEach(([id, state], n) => {
      const result = results[n]!;
      if (result.status === 'skipped' && result.reasons[0]?.code !== '1013') {
        outcomes.push({ sfId: id, outcome: 'failed', error: failure(result) });
        return;
      }
      states.set(id, { ...state, hashes: { ...state.hashes, '@account': '' } });
      outcomes.push({
        sfId: id,
        outcome: 'updated',
        changes: [{ field: 'AccountId', old: state.hashes['@account'], new: null }],
      });
    });
    const last = i === batches.length - 1;
    await ctx.commit({
      outcomes,
      states,
      ...(last && { extraCursors: [{ key: OPPORTUNITY_ACCOUNTS, value: null }] }),
    });
  }
}
