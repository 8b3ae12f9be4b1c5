// Push Updates for Task (the seed's "Push updates" of Tasks): the Tasks the sync made from Marketo
// activities (Push New) follow their person. When that person's Salesforce lead converts, the Task
// moves to the contact; when its Marketo person is merged into another, the Task moves to the
// winner's lead or contact. Salesforce itself moves a converted lead's activities to the contact
// (those count Skipped, saying so); Tasks it left on the lead (ones the converting user could not
// see, under Shared Activities) and every Task of a merged person are updated here (Updated).
//
// What to look at, at no cost on an idle cycle: leads Pull Conversions converted since this step
// last completed (the log), and Merge Leads activities on the Marketo feed — read with Push Updates'
// own read when the type fits (pushFeed.ts, notes.mergeFeed), else on this step's token
// `push:merges`, which moves only with this step's commits. Failed moves are retried with back-off.

import { rowOutcomes } from '../../../db/eventRowBody';
import { loadStates, statesByMarketoId } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome } from '../../../db/types';
import type { MarketoActivity } from '../../../marketo';
import type { StepContext } from '../../context';
import { readCursor } from '../../cursors';
import type { OperationModule } from '../../plan';
import { retriesToRun } from '../../retryPause';
import { chunks, salesforceError } from '../common';
import { feedTypes, MERGE_LEADS, startToken } from '../pushFeed';
import { pushedListState, pushedLists, pushedOfKey } from './pushedTasks';
import { followsPushedTasks } from './steps';

export const MERGES_KEY = 'push:merges';

export const followTasks: OperationModule = {
  operation: 'Push Updates',
  steps: (scope) =>
    scope.record || !followsPushedTasks(scope.settings)
      ? []
      : [{ operation: 'Push Updates', objectType: 'Task', sobject: 'Task' }],
  async run(ctx) {
    const { merged, token } = await mergesToFollow(ctx);
    const whos = new Set<string>(await convertedSinceLastRun(ctx));
    const losers = await statesByMarketoId(ctx.db, [...merged.keys()]);
    for (const { sfId } of losers.values()) whos.add(sfId);
    const due = await retriesToRun(ctx, 'Push Updates', ctx.clock.now(), (r) => r.objectType === 'Task');
    const moves = await movesFor(
      ctx,
      [...whos],
      merged,
      due.map((r) => r.sfId),
    );
    const batches = chunks(moves, 200);
    const cursor = token ? { cursor: { key: MERGES_KEY, value: token } } : {};
    if (batches.length === 0 && token && token !== (await readCursor(ctx.db, MERGES_KEY)))
      await ctx.commit({ outcomes: [], ...cursor });
    for (const [i, batch] of batches.entries())
      await ctx.commit({ ...(await move(ctx, batch)), ...(i === batches.length - 1 && cursor) });
  },
};

/** Merged-away Marketo person → the person it was merged into; and the token to keep after them. */
async function mergesToFollow(ctx: StepContext): Promise<{ merged: Map<number, number>; token?: string }> {
  const stored = await readCursor(ctx.db, MERGES_KEY);
  const handed = ctx.notes.mergeFeed;
  const from = stored ?? handed?.from ?? (await startToken(ctx, MERGES_KEY));
  let activities: MarketoActivity[];
  let token: string;
  if (handed && handed.from === from) {
    activities = handed.merges;
    token = handed.to;
  } else {
    // A backlog of our own (after a stop), or Merge Leads did not fit Push Updates' read: the same
    // types as Push Updates, so that both tokens end at the same place (pushFeed.ts).
    const { types } = feedTypes(ctx);
    activities = [];
    token = from;
    ctx.budget.check();
    for await (const page of ctx.marketo.activities.activities({
      nextPageToken: from,
      activityTypeIds: types.includes(MERGE_LEADS) ? types : [MERGE_LEADS],
    })) {
      activities.push(...page.items.filter((a) => a.activityTypeId === MERGE_LEADS));
      token = page.nextPageToken;
      if (page.moreResult) ctx.budget.check();
    }
  }
  const merged = new Map<number, number>();
  for (const a of activities) {
    const ids = String(a.attributes.find((x) => x.name === 'Merge IDs')?.value ?? '')
      .split(',')
      .map((id) => Number(id.trim()))
      .filter((id) => Number.isInteger(id) && id !== a.leadId);
    for (const loser of ids) merged.set(loser, a.leadId);
  }
  // A person merged twice follows the chain to the last winner.
  for (const [loser, winner] of merged) {
    let last = winner;
    for (let n = 0; merged.has(last) && n < 10; n++) last = merged.get(last)!;
    merged.set(loser, last);
  }
  return { merged, token };
}

/**
 * Leads Pull Conversions converted since this step last completed (their outcomes in the log): this
 * cycle's, and a stopped run's too, so a resume misses none.
 */
async function convertedSinceLastRun(ctx: StepContext): Promise<string[]> {
  const byOperation = (operation: string, from: number) =>
    ctx.db.steps
      .where('[operation+startedAt+id]')
      .between([operation, from, 0], [operation, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);
  const last = await byOperation('Push Updates', 0)
    .reverse()
    .filter((s) => s.objectType === 'Task' && s.status === 'Completed' && s.id !== ctx.stepId)
    .first();
  const steps = await byOperation('Pull Conversions', last?.startedAt ?? 0)
    .filter((s) => s.updated > 0)
    .toArray();
  const out: string[] = [];
  for (const step of steps) {
    const rows = await ctx.db.recordEvents
      .where('[stepId+id]')
      .between([step.id, -Infinity], [step.id, Infinity])
      .toArray();
    for (const o of rows.flatMap((r) => rowOutcomes(r))) if (o.outcome === 'updated') out.push(o.sfId);
  }
  return out;
}

interface Move {
  taskId: string;
  from: string;
  to: string;
  mktoId: string;
}

/** For each pushed Task of these persons (and each due retry), where it should be now. */
async function movesFor(
  ctx: StepContext,
  whos: string[],
  merged: Map<number, number>,
  retries: string[],
): Promise<Move[]> {
  if (retries.length) {
    // A failed move: its Task is still on the person it was on; read which one.
    for (const ids of chunks(retries, 200)) {
      ctx.budget.check();
      for await (const page of ctx.salesforce.query(
        `SELECT Id, WhoId FROM Task WHERE Id IN (${ids.map((id) => `'${id}'`).join(',')})`,
      ))
        for (const row of page.records) if (typeof row.WhoId === 'string') whos.push(row.WhoId);
    }
  }
  const lists = await pushedLists(ctx, whos);
  const persons = await loadStates(ctx.db, [...lists.keys()]);
  const winners = await statesByMarketoId(ctx.db, [...new Set(merged.values())]);
  const moves: Move[] = [];
  for (const [who, list] of lists) {
    const converted = persons.get(who)?.convertedTo;
    for (const [taskId, mktoId] of list) {
      const winner = merged.get(Number(mktoId));
      const target = winner !== undefined ? winners.get(winner)?.sfId : converted;
      if (target && target !== who)
        moves.push({ taskId, from: who, to: target, mktoId: winner !== undefined ? String(winner) : mktoId });
    }
  }
  return moves;
}

/** Reads where the Tasks are, updates the WhoId of those not there yet; moves them in the lists. */
async function move(ctx: StepContext, batch: Move[]) {
  ctx.budget.check();
  const current = new Map<string, unknown>();
  const ids = batch.map((m) => `'${m.taskId}'`).join(',');
  for await (const page of ctx.salesforce.query(`SELECT Id, WhoId, Subject FROM Task WHERE Id IN (${ids})`))
    for (const row of page.records) current.set(String(row.Id), row);
  const outcomes: PackedOutcome[] = [];
  const lists = await pushedLists(
    ctx,
    batch.flatMap((m) => [m.from, m.to]),
  );
  const moved = (m: Move) => {
    lists.get(m.from)!.delete(m.taskId);
    lists.get(m.to)!.set(m.taskId, m.mktoId);
  };
  const todo: Move[] = [];
  for (const m of batch) {
    const row = current.get(m.taskId) as { WhoId?: unknown; Subject?: unknown } | undefined;
    if (!row)
      lists.get(m.from)!.delete(m.taskId); // deleted in Salesforce: nothing to follow
    else if (row.WhoId === m.to) {
      moved(m);
      outcomes.push({
        sfId: m.taskId,
        outcome: 'skipped',
        reason: "Salesforce moved it to the contact with the lead's conversion",
        ...(typeof row.Subject === 'string' && { name: row.Subject }),
      });
    } else todo.push(m);
  }
  if (todo.length) {
    ctx.budget.check();
    const results = await ctx.salesforce.update(
      'Task',
      todo.map((m) => ({ Id: m.taskId, WhoId: m.to })),
    );
    todo.forEach((m, i) => {
      const result = results[i]!;
      const subject = (current.get(m.taskId) as { Subject?: unknown }).Subject;
      const named = typeof subject === 'string' ? { name: subject } : {};
      const mktoId = Number(m.mktoId);
      const person = Number.isInteger(mktoId) && m.mktoId !== '' ? { mktoId } : {};
      if (result.success) {
        moved(m);
        outcomes.push({
          sfId: m.taskId,
          outcome: 'updated',
          changes: [{ field: 'WhoId', old: m.from, new: m.to }],
          ...named,
          ...person,
        });
      } else outcomes.push({ sfId: m.taskId, outcome: 'failed', error: salesforceError(result), ...named });
    });
  }
  const states = new Map<string, SyncState | null>();
  for (const [who, list] of lists) states.set(pushedOfKey(who), pushedListState(list));
  return { outcomes, states };
}
