// The Tasks the sync made from Marketo activities (Push New), per lead or contact: one state per
// person, `pushed-tasks-of:<whoId>`, listing each Task id and the Marketo person it was made for.
// Written by Push New in the same transaction as the Task's outcome; read and moved by Push Updates
// Task (followTasks.ts) when that person's record converts or its Marketo person is merged.
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import type { StepContext } from '../../context';

export const pushedOfKey = (whoId: string) => `pushed-tasks-of:${whoId}`;
export const PUSHED_TASKS = 'PushedTasks';

export interface PushedTask {
  taskId: string;
  whoId: string;
  /** The Marketo person the Task's activity was on. */
  mktoId?: number;
}

/** The pushed-Task lists of these persons, as maps of Task id → Marketo person id ('' unknown). */
export async function pushedLists(
  ctx: StepContext,
  whoIds: Iterable<string>,
): Promise<Map<string, Map<string, string>>> {
  const ids = [...new Set(whoIds)];
  const states = await loadStates(ctx.db, ids.map(pushedOfKey));
  return new Map(ids.map((id) => [id, new Map(Object.entries(states.get(pushedOfKey(id))?.hashes ?? {}))]));
}

export const listState = (list: Map<string, string>): SyncState | null =>
  list.size ? { sobject: PUSHED_TASKS, hashes: Object.fromEntries(list) } : null;

/** The lists of the persons these Tasks were made for, with them added (Push New's commit). */
export async function pushedTaskStates(ctx: StepContext, created: readonly PushedTask[]) {
  const states = new Map<string, SyncState | null>();
  if (created.length === 0) return states;
  const lists = await pushedLists(
    ctx,
    created.map((c) => c.whoId),
  );
  for (const c of created) lists.get(c.whoId)!.set(c.taskId, c.mktoId === undefined ? '' : String(c.mktoId));
  for (const [who, list] of lists) states.set(pushedOfKey(who), listState(list));
  return states;
}

/** The Tasks Push New's outcomes say it made (a new outcome names the Task's Id and WhoId). */
export function createdTasks(outcomes: readonly PackedOutcome[]): PushedTask[] {
  return outcomes.flatMap((o) => {
    if (o.outcome !== 'new') return [];
    const value = (field: string) => o.changes?.find((c) => c.field === field)?.new;
    const taskId = value('Id');
    const whoId = value('WhoId');
    return typeof taskId === 'string' && typeof whoId === 'string'
      ? [{ taskId, whoId, ...(o.mktoId !== undefined && { mktoId: o.mktoId }) }]
      : [];
  });
}
