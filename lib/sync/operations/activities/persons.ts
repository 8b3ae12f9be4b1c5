// Whose activity a Task or Event is: its WhoId (a lead or a contact) and that record's Marketo
// person, as the log knows it. A converted lead's person is its contact's (the log's convertedTo);
// Salesforce moves a converted lead's activities to the contact anyway (docs/activities.md). A
// person the sync filter excluded before it was ever synced has no state: its newest outcome says.

import { rowOutcomes } from '../../../db/eventRowBody';
import type { LogDatabase } from '../../../db/logPort';
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { StepContext } from '../../context';
import type { ActivityRow } from './shape';

export type ActivityPerson =
  | { kind: 'none' }
  | { kind: 'excluded'; who: string }
  | { kind: 'queued'; who: string }
  | { kind: 'linked'; who: string; leadId: number };

/** The person of each row (by WhoId), from the log only. */
export async function activityPersons(
  ctx: StepContext,
  rows: readonly ActivityRow[],
): Promise<Map<string, ActivityPerson>> {
  const whos = [
    ...new Set(rows.map((r) => r.WhoId).filter((w): w is string => typeof w === 'string' && w !== '')),
  ];
  const states = await loadStates(ctx.db, whos);
  const converted = await loadStates(
    ctx.db,
    [...states.values()].flatMap((s) => (s.convertedTo ? [s.convertedTo] : [])),
  );
  const out = new Map<string, ActivityPerson>();
  for (const row of rows) {
    const who = typeof row.WhoId === 'string' && row.WhoId !== '' ? row.WhoId : undefined;
    if (!who) {
      out.set(row.Id, { kind: 'none' });
      continue;
    }
    let state: SyncState | undefined = states.get(who);
    if (state?.convertedTo) state = converted.get(state.convertedTo) ?? state;
    if (state?.excluded) out.set(row.Id, { kind: 'excluded', who });
    else if (state?.marketoId === undefined) out.set(row.Id, { kind: 'queued', who });
    else out.set(row.Id, { kind: 'linked', who, leadId: state.marketoId });
  }
  const unsynced = [...out.values()].flatMap((p) =>
    p.kind === 'queued' && !states.has(p.who) ? [p.who] : [],
  );
  const excluded = await excludedNow(ctx.db, unsynced);
  for (const [id, p] of out)
    if (p.kind === 'queued' && excluded.has(p.who)) out.set(id, { kind: 'excluded', who: p.who });
  return out;
}

/** Of these records without a state, those whose newest logged outcome is "excluded". */
async function excludedNow(db: LogDatabase, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      const newest = await db.recordEvents.where('sfIds').equals(id).last();
      const outcome = (newest ? rowOutcomes(newest) : []).findLast((o) => o.sfId === id)?.outcome;
      if (outcome === 'excluded') out.add(id);
    }),
  );
  return out;
}

export const EXCLUDED_REASON = (filter: string | null) =>
  `its lead or contact is excluded by the sync filter${filter ? ` (${filter} is checked)` : ''}; sent once it is not`;
export const QUEUED_REASON = 'Queued: its lead or contact is not in Marketo yet; sent once it is';
