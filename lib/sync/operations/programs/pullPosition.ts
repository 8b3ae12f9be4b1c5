import type { StepContext } from '../../context';
import { cursorKeys, formatPullCursor, parsePullCursor, readCursor } from '../../cursors';

/** A time cut to its second, as Salesforce stamps SystemModstamp. */
export const secondOf = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * The pull position of Campaign or Campaign Member. On the step's first run there is none: it starts
 * at this second (what came before is Init Link to Program's initial load) and the step has nothing
 * more to do this cycle (undefined).
 */
export async function pullPositionOrStart(ctx: StepContext, sobject: 'Campaign' | 'CampaignMember') {
  const key = cursorKeys.pull(sobject);
  const cursor = parsePullCursor(await readCursor(ctx.db, key));
  if (!cursor)
    await ctx.commit({
      outcomes: [],
      cursor: { key, value: formatPullCursor({ at: secondOf(ctx.clock.now()) }) },
    });
  return cursor ? { key, cursor } : undefined;
}
