// The queue of campaign members Pull Updates could not write yet because their person is not in
// Marketo (not synced yet, or excluded by the sync filter): `queue:CampaignMember`, a JSON list of
// member ids, read again when persons change (pullMembers.ts). Changed in the same transaction as
// the outcomes that add or settle its members. Adding to it or settling from it never makes a
// cycle skip work, so a pair's Sync now (a one-record cycle) writes it too (keptCursors).
import type { StepContext } from '../../context';
import { readCursor } from '../../cursors';
import { programCursorKeys } from './pairs';

/** The queued member ids, as stored. */
export async function queuedMembers(ctx: StepContext): Promise<string[]> {
  const stored = await readCursor(ctx.db, programCursorKeys.queue);
  const parsed: unknown = stored ? JSON.parse(stored) : [];
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
}

/** The queue's cursor row once `handled` members leave it and `queued` ones (still waiting) join it. */
export async function queueAfter(
  ctx: StepContext,
  handled: Iterable<string>,
  queued: readonly string[],
): Promise<{ key: string; value: string | null }> {
  const settled = new Set(handled);
  const queue = [...new Set([...(await queuedMembers(ctx)).filter((id) => !settled.has(id)), ...queued])];
  return { key: programCursorKeys.queue, value: queue.length ? JSON.stringify(queue) : null };
}
