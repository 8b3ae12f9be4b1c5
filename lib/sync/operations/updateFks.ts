// Update FKs (design §2): re-resolve foreign keys on Marketo persons. Contacts moving between
// accounts are handled by Pull Updates (the account link is written with the contact); what is
// left is persons pointing at an account that Salesforce deleted this cycle: their account link
// is cleared so that they stop carrying a dangling id. The accounts come from a cursor row Pull
// Deletes writes with its deletes; each chunk's commit removes the chunk from it.

import { knownNames } from '../../db/recordStatus';
import { loadStates } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { cursorKeys } from '../cursors';
import { linkedRecord, resolveLinkFields } from '../linkage';
import type { OperationModule } from '../plan';
import { chunks, marketoError } from './common';
import { owedAccounts } from './pullDeletes';

export const updateFks: OperationModule = {
  operation: 'Update FKs',
  steps: (scope) =>
    !scope.record && scope.settings.objects.Contact?.enabled && scope.settings.objects.Account?.enabled
      ? [{ operation: 'Update FKs', objectType: 'Contact', sobject: 'Contact' }]
      : [],
  async run(ctx) {
    const accounts = await owedAccounts(ctx);
    if (!accounts.length) return;
    const key = cursorKeys.fkDeletedAccounts;
    const links = resolveLinkFields(await ctx.schema.marketo(), ctx.notes.linkFields);
    const batches = chunks(accounts, 50);
    for (const [i, ids] of batches.entries()) {
      const rest = batches.slice(i + 1).flat();
      const remaining = [{ key, value: rest.length ? JSON.stringify(rest) : null }];
      ctx.budget.check();
      const persons = await ctx.marketo.leads.getByFilter({
        filterType: links.account,
        filterValues: ids,
        fields: [links.account, links.contact, links.lead, links.type],
      });
      const linked = persons.flatMap((p) => {
        const record = linkedRecord(links, p);
        return record ? [{ person: p, ...record }] : [];
      });
      if (!linked.length) {
        await ctx.commit({ outcomes: [], extraCursors: remaining });
        continue;
      }
      ctx.budget.check();
      const results = await ctx.marketo.leads.sync({
        action: 'updateOnly',
        lookupField: 'id',
        input: linked.map((l) => ({ id: l.person.id, [links.account]: null })),
      });
      const states = await loadStates(
        ctx.db,
        linked.map((l) => l.sfId),
      );
      const outcomes: PackedOutcome[] = [];
      const newStates = new Map<string, SyncState | null>();
      // Only ids are at hand here: a refused write takes the contact's name from the log.
      const names = await knownNames(
        ctx.db,
        linked.filter((_, i) => results[i]!.status === 'skipped').map((l) => l.sfId),
      );
      linked.forEach((l, i) => {
        const result = results[i]!;
        if (result.status === 'skipped') {
          const name = names.get(l.sfId);
          outcomes.push({
            sfId: l.sfId,
            mktoId: l.person.id,
            outcome: 'failed',
            error: marketoError(result),
            ...(name && { name }),
          });
          return;
        }
        const state = states.get(l.sfId);
        if (state) newStates.set(l.sfId, { ...state, accountId: null });
        outcomes.push({
          sfId: l.sfId,
          mktoId: l.person.id,
          outcome: 'updated',
          changes: [{ field: 'AccountId', old: l.person[links.account] ?? null, new: null }],
        });
      });
      await ctx.commit({ outcomes, states: newStates, extraCursors: remaining });
    }
  },
};
