// Finding the Salesforce record behind Marketo persons (Push Updates, Push New): our sync state
// knows every person we linked; persons linked by someone else are read from Marketo once.

import { loadStates, statesByMarketoId } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { StepContext } from '../context';
import { type LinkFields, linkedRecord } from '../linkage';

export interface LinkedPerson {
  mktoId: number;
  sfId: string;
  sobject: 'Lead' | 'Contact';
  entry: SyncState | undefined;
}

export async function linkedPersons(
  ctx: StepContext,
  links: LinkFields,
  mktoIds: readonly number[],
): Promise<Map<number, LinkedPerson>> {
  const out = new Map<number, LinkedPerson>();
  const known = await statesByMarketoId(ctx.db, mktoIds);
  for (const [mktoId, { sfId, entry }] of known) {
    if (entry.sobject === 'Lead' || entry.sobject === 'Contact')
      out.set(mktoId, { mktoId, sfId, sobject: entry.sobject, entry });
  }
  const unknown = mktoIds.filter((id) => !out.has(id));
  if (unknown.length === 0) return out;
  ctx.budget.check();
  const leads = await ctx.marketo.leads.getByFilter({
    filterType: 'id',
    filterValues: unknown,
    fields: [links.lead, links.contact, links.type],
  });
  const linked = leads.flatMap((lead) => {
    const record = linkedRecord(links, lead);
    return record ? [{ mktoId: lead.id, ...record }] : [];
  });
  const states = await loadStates(
    ctx.db,
    linked.map((l) => l.sfId),
  );
  for (const l of linked) out.set(l.mktoId, { ...l, entry: states.get(l.sfId) });
  return out;
}
