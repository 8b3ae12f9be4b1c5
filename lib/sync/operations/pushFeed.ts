// The Marketo activity feed as the push steps read it (design §9: an idle cycle costs ≤ 3 calls).
// Marketo has ONE person feed for leads and contacts, but Push Updates runs one step per object
// (Lead, then Contact): the first of them reads the feed and hands what it saw to the others —
// - to Push Updates Contact, the contact persons' changes page by page (notes.ts contactFeed);
// - to Push New, the Task-type activities (notes.ts taskFeed), read in the same call when
//   Marketo's 10-type limit allows.
// A step takes a handed read only when its own stored position is the read's start; any other
// position is a backlog of its own (after an interruption), which it reads itself. So each step
// keeps its own cursor and resumes on its own, and the feed is read once per cycle when all agree.
import type { MarketoActivity } from '../../marketo';
import type { StepContext } from '../context';
import { cursorKeys, readCursor, writeCursor } from '../cursors';
import type { MergeFeedRead, TaskFeedRead } from '../notes';
import { followsPushedTasks } from './activities/steps';

export const CHANGE_DATA_VALUE = 13;
/** Merge Leads: Push Updates Task moves the Tasks of a merged person (activities/followTasks.ts). */
export const MERGE_LEADS = 32;

/** Task activities handed to Push New at most; past it Push New reads the feed itself. */
const MAX_HANDED_ACTIVITIES = 5000;

/**
 * The activity types both feed steps read: Change Data Value and the Task types together when
 * Marketo's 10-type limit allows, so that both read the same feed and their tokens stay equal —
 * then Push New can take Push Updates' read instead of its own call (design §9: idle cycle ≤ 3).
 */
export function feedTypes(ctx: Pick<StepContext, 'settings'>): { types: number[]; withTasks: boolean } {
  const taskTypes = ctx.settings.taskActivityTypes.map((t) => t.id);
  const types = [CHANGE_DATA_VALUE, ...taskTypes.filter((t) => t !== CHANGE_DATA_VALUE)];
  if (types.length > 10) return { types: [CHANGE_DATA_VALUE], withTasks: false };
  // Merge Leads rides along when it fits (else Push Updates Task reads it on its own).
  if (followsPushedTasks(ctx.settings) && types.length < 10 && !types.includes(MERGE_LEADS))
    types.push(MERGE_LEADS);
  return { types, withTasks: true };
}

/**
 * The first token of a Marketo feed: the stored one, or one for the instant the feeds start, shared
 * by both feeds within a cycle: the whole second after a feed step first ran (Marketo's
 * activityDate has seconds; the token returns activities at or after that instant). That instant is
 * kept in its own row before the token is asked for, so a feed step stopped or failed before its
 * first commit (or a failed token call, which fails both steps) starts from the same instant next
 * time. Starting at the log's first cycle instead would make the first read carry the Change Data
 * Value echoes of the whole first sync (56 pages on the demo org); only Push New needs what came
 * before — a form filled during the initial load is owed its Task — so the first cycle's start is
 * kept for its catch-up (push:tasks:since, pushNewCatchUp.ts), written first.
 */
export async function startToken(ctx: StepContext, key: string): Promise<string> {
  const stored = await readCursor(ctx.db, key);
  if (stored) return stored;
  if (!ctx.notes.firstToken) {
    let since = await readCursor(ctx.db, cursorKeys.feedStart);
    if (!since) {
      // The start is the next whole second, reached before the token is asked for: the Change
      // Data Value echoes of everything this cycle already wrote to Marketo (the first sync's
      // pulls) then fall before it, in the second they were written in, instead of costing the
      // first feed read a page per 300 of them (56 pages on the demo org when the first sync took
      // under a second). Waiting (under a second, once per log) instead of asking a token for an
      // instant still to come keeps the catch-up window [first cycle, start) in the past when
      // Push New reads it.
      const clockNow = ctx.clock.now();
      const now = Math.floor(clockNow / 1000) * 1000 + 1000;
      await ctx.clock.sleep(now - clockNow);
      const first = (await ctx.db.cycles.orderBy('startedAt').first())?.startedAt;
      if (first !== undefined && first < now)
        await writeCursor(ctx.db, cursorKeys.pushTasksSince, new Date(first).toISOString(), ctx.clock.now());
      since = new Date(now).toISOString();
      await writeCursor(ctx.db, cursorKeys.feedStart, since, ctx.clock.now());
    }
    ctx.budget.check();
    ctx.notes.firstToken = ctx.marketo.activities.pagingToken(new Date(since));
  }
  return ctx.notes.firstToken;
}

/** The cursor of each Push Updates step: Lead keeps the key both objects shared before. */
export function pushCursorKey(sobject: 'Lead' | 'Contact'): string {
  return sobject === 'Lead' ? cursorKeys.pushPersons : cursorKeys.pushContacts;
}

/**
 * Push Updates' start position for `sobject`. A Contact step that has no position of its own yet (a
 * log from before per-object steps, when both objects shared push:persons, or a new one) starts
 * where the Lead step's read of this cycle started, or else at the shared position.
 */
export async function pushStart(ctx: StepContext, sobject: 'Lead' | 'Contact'): Promise<string> {
  const key = pushCursorKey(sobject);
  if (sobject === 'Contact' && !(await readCursor(ctx.db, key))) {
    const shared = ctx.notes.contactFeed?.from ?? (await readCursor(ctx.db, cursorKeys.pushPersons));
    if (shared) return shared;
  }
  return startToken(ctx, key);
}

/** One page of the feed, with the token it started from and the one after it. */
export interface FeedPage {
  from: string;
  next: string;
  items: MarketoActivity[];
}

/**
 * Reads the feed from `token` to its end with Change Data Value (and the Task types, feedTypes),
 * page by page through `onPage`. A read that reaches the end hands its Task activities to Push New
 * (notes.ts taskFeed); a failed one throws before that.
 */
export async function readFeed(
  ctx: StepContext,
  token: string,
  onPage: (page: FeedPage) => Promise<void>,
): Promise<void> {
  const { types, withTasks } = feedTypes(ctx);
  const taskTypes = new Set(ctx.settings.taskActivityTypes.map((t) => t.id));
  let handOver: TaskFeedRead | undefined = withTasks ? { from: token, pages: [] } : undefined;
  let handedActivities = 0;
  let pageFrom = token;
  const merges: MergeFeedRead | undefined = types.includes(MERGE_LEADS)
    ? { from: token, to: token, merges: [] }
    : undefined;
  ctx.budget.check();
  for await (const page of ctx.marketo.activities.activities({
    nextPageToken: token,
    activityTypeIds: types,
  })) {
    if (handOver) {
      const activities = page.items.filter((a) => taskTypes.has(a.activityTypeId));
      handedActivities += activities.length;
      if (handedActivities > MAX_HANDED_ACTIVITIES) handOver = undefined;
      else handOver.pages.push({ from: pageFrom, next: page.nextPageToken, activities });
    }
    await onPage({ from: pageFrom, next: page.nextPageToken, items: page.items });
    if (merges) {
      merges.merges.push(...page.items.filter((a) => a.activityTypeId === MERGE_LEADS));
      merges.to = page.nextPageToken;
    }
    pageFrom = page.nextPageToken;
    if (page.moreResult) ctx.budget.check();
  }
  if (handOver) ctx.notes.taskFeed = handOver;
  if (merges) ctx.notes.mergeFeed = merges;
}
