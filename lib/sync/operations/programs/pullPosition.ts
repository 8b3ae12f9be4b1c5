import type { StepContext } from '../../context';
import { cursorKeys, formatPullCursor, type PullPosition, parsePullCursor, readCursor } from '../../cursors';

/** A time cut to its second, as Salesforce stamps SystemModstamp. */
export const secondOf = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * Whether a row's position comes after `position` in the (SystemModstamp, Id) order (a position
 * without an Id stands before every row of its second, cursors.ts).
 */
export function isAfter(row: PullPosition, position: PullPosition): boolean {
  if (row.at !== position.at) return row.at > position.at;
  return !position.id || (row.id !== undefined && row.id > position.id);
}

/**
 * The pull position of Campaign or Campaign Member. On the step's first run there is none: it starts
 * at this second (what came before is Init Link to Program's initial load) and the step has nothing
 * more to do this cycle (undefined). A pair's Sync now starts it too (a first position skips nothing
 * a later cycle would read), so that a pair it loads is followed from then on.
 */
export async function pullPositionOrStart(ctx: StepContext, sobject: 'Campaign' | 'CampaignMember') {
  const key = cursorKeys.pull(sobject);
  const cursor = parsePullCursor(await readCursor(ctx.db, key));
  if (!cursor)
    await ctx.commit({
      outcomes: [],
      keptCursors: [{ key, value: formatPullCursor({ at: secondOf(ctx.clock.now()) }) }],
    });
  return cursor ? { key, cursor } : undefined;
}
