// Push New's catch-up of a first sync (docs/engine-cursors.md, "Marketo feeds"). The feeds start
// when a feed step first runs (push:start), but a first sync can take long, or be stopped several
// times before any cycle reaches the feed steps: a form filled meanwhile is owed its Task. So the
// log's first cycle's start is kept (push:tasks:since), and Push New reads the activities from
// there — its Task types only: the Change Data Value echoes of the first sync are Push Updates'
// business, and it does not need them — up to the feeds' start, once, before its own feed. The
// two reads do not overlap and leave no gap: Marketo's activityDate has whole seconds, push:start
// is a whole second, and its token returns the activities at or after it.
import type { MarketoActivity } from '../../marketo';
import type { StepContext } from '../context';
import { cursorKeys, readCursor } from '../cursors';

/** Where a batch of Tasks leaves Push New: a cursor to write, cursor rows to remove. */
export interface TaskPosition {
  cursor?: { key: string; value: string };
  clear?: string[];
}

export type CreateTasks = (
  items: MarketoActivity[],
  startedFrom: string,
  position: TaskPosition,
) => Promise<void>;

/** Reads and makes the Tasks of the activities before the feeds' start, if still owed; then forgets it. */
export async function catchUpFirstSync(ctx: StepContext, createTasks: CreateTasks): Promise<void> {
  const since = await readCursor(ctx.db, cursorKeys.pushTasksSince);
  const feedStart = await readCursor(ctx.db, cursorKeys.feedStart);
  if (!since || !feedStart) return;
  const until = Date.parse(feedStart);
  const taskTypes = new Set(ctx.settings.taskActivityTypes.map((t) => t.id));
  let token = await readCursor(ctx.db, cursorKeys.pushTasksCatchUp);
  if (!token) {
    ctx.budget.check();
    token = await ctx.marketo.activities.pagingToken(new Date(since));
  }
  ctx.budget.check();
  for await (const page of ctx.marketo.activities.activities({
    nextPageToken: token,
    activityTypeIds: [...taskTypes],
  })) {
    const before = page.items.filter(
      (a) => taskTypes.has(a.activityTypeId) && Date.parse(a.activityDate) < until,
    );
    const done = !page.moreResult || page.items.some((a) => Date.parse(a.activityDate) >= until);
    await createTasks(
      before,
      token,
      done
        ? { clear: [cursorKeys.pushTasksSince, cursorKeys.pushTasksCatchUp] }
        : { cursor: { key: cursorKeys.pushTasksCatchUp, value: page.nextPageToken } },
    );
    if (done) return;
    token = page.nextPageToken;
    ctx.budget.check();
  }
}
