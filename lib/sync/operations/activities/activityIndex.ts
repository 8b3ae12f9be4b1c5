// The activities sent to Marketo for each lead or contact, as the log knows them: the record
// panel's "Activities sent to Marketo" section on Lead and Contact pages reads it within its 150 ms
// (design §9), so from the log, not a query. One state per person, `activities-of:<whoId>`, listing
// each Task or Event id with its object, last change sent (Logged, Updated, Deleted) and when;
// written in the same transaction as the activities' own outcomes. A step keeps the lists it
// touched in memory (its commits land behind its writes, objectPull.ts), like roleIndex.ts.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { StepContext } from '../../context';
import type { ActivityChange, ActivityObject } from './shape';

export const activitiesOfKey = (whoId: string) => `activities-of:${whoId}`;

export interface IndexedActivity {
  object: ActivityObject;
  change: ActivityChange;
  at: number;
}

export function decodeActivities(state: SyncState | undefined): Map<string, IndexedActivity> {
  const out = new Map<string, IndexedActivity>();
  for (const [id, text] of Object.entries(state?.hashes ?? {})) {
    const [object, change, at] = text.split('|');
    if ((object === 'Task' || object === 'Event') && change)
      out.set(id, { object, change: change as ActivityChange, at: Number(at) });
  }
  return out;
}

export class ActivityIndex {
  private readonly byPerson = new Map<string, Map<string, string>>();

  constructor(private readonly ctx: StepContext) {}

  async load(whoIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(whoIds)].filter((id) => id && !this.byPerson.has(id));
    const states = await loadStates(this.ctx.db, missing.map(activitiesOfKey));
    for (const id of missing)
      this.byPerson.set(id, new Map(Object.entries(states.get(activitiesOfKey(id))?.hashes ?? {})));
  }

  /** Records an activity sent for `whoId` (moving it off `from`, its person before), noting the lists changed. */
  put(id: string, from: string | undefined, whoId: string, entry: IndexedActivity, changed: Set<string>) {
    if (from && from !== whoId && this.byPerson.get(from)?.delete(id)) changed.add(from);
    this.byPerson.get(whoId)?.set(id, `${entry.object}|${entry.change}|${entry.at}`);
    changed.add(whoId);
  }

  /** The changed lists as states, to commit with the batch. */
  states(changed: Iterable<string>, into: Map<string, SyncState | null>): void {
    for (const id of changed) {
      const list = this.byPerson.get(id);
      into.set(
        activitiesOfKey(id),
        list?.size ? { sobject: 'ActivitiesOf', hashes: Object.fromEntries(list) } : null,
      );
    }
  }
}
