// Rows a Pull Updates step could not write yet because their parent is not in Marketo (a role whose
// contact or opportunity is not synced, a custom record whose person is not): `queue:<Object>`, a
// JSON list of ids, changed in the same transaction as the outcomes that add or settle its rows
// (like the campaign member queue, programs/memberQueue.ts; objectPull.ts keeps it between batches).
// The step reads them again, by id, when `ready` says their parents may have changed.
import type { StepContext } from '../../context';
import { readCursor } from '../../cursors';

export interface ObjectQueue {
  key: string;
  /** Whether the queued rows are worth reading again this cycle (their parents' objects changed). */
  ready(ctx: StepContext): Promise<boolean>;
}

export async function queuedIds(ctx: StepContext, queue: ObjectQueue): Promise<string[]> {
  const stored = await readCursor(ctx.db, queue.key);
  const parsed: unknown = stored ? JSON.parse(stored) : [];
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
}
