// What the record panel shows on a Campaign page linked to a Marketo program (issue 17): the
// program, whether the pair's first load (Init Link to Program) is done, how many members both
// sides agree on, the last Sync to Program, and the last Sync now of the pair. Read from the log
// only: the panel must show within 150 ms, and a campaign's members can be many thousands.
import type { LogDatabase } from '../db/logPort';
import { loadStates } from '../db/syncState';
import type { CycleRow } from '../db/types';
import type { ProgramPairPanelView } from '../messaging/views';
import type { SyncSettings } from '../settings/schema';
import { readCursor } from '../sync/cursors';
import { configuredPairs, programCursorKeys } from '../sync/operations/programs/pairs';

/** The pair's view for a campaign, or undefined when the campaign is in no configured pair. */
export async function campaignPairView(
  db: LogDatabase,
  settings: SyncSettings,
  campaignId: string,
): Promise<ProgramPairPanelView | undefined> {
  const pair = configuredPairs(settings).find((p) => p.campaignId === campaignId);
  if (!pair) return undefined;
  const loaded = (await readCursor(db, programCursorKeys.link(pair.campaignId))) === String(pair.programId);
  // Sync to Program has one step per cycle (object Campaign), for every pair.
  const last = await db.steps
    .where('[operation+startedAt+id]')
    .between(['Sync to Program', -Infinity, -Infinity], ['Sync to Program', Infinity, Infinity])
    .reverse()
    .filter((s) => s.status !== 'In Process')
    .first();
  return {
    programId: pair.programId,
    programName: pair.programName || `Program ${pair.programId}`,
    direction: pair.direction,
    loaded,
    membersInStep: loaded ? await agreedMembers(db, pair.programId) : 0,
    ...(await lastSyncNow(db, pair.campaignId)),
    ...(last && {
      lastSyncToProgram: {
        at: last.endedAt ?? last.startedAt,
        status: last.status,
        new: last.new,
        updated: last.updated,
        deleted: last.deleted,
        failed: last.failed,
      },
    }),
  };
}

/**
 * Members both sides agree on: the program's agreed-status entries (`program:<id>:<leadId>`,
 * lib/sync/operations/programs/pairs.ts) that are current, from the batch rows and the archive.
 */
async function agreedMembers(db: LogDatabase, programId: number): Promise<number> {
  const prefix = `program:${programId}:`;
  const keys = new Set<string>();
  const collect = (key: unknown) => {
    if (typeof key === 'string' && key.endsWith('~')) keys.add(key.slice(0, -1));
  };
  await db.recordEvents.where('sfIds').startsWith(prefix).eachKey(collect);
  await db.syncState.where('sfIds').startsWith(prefix).eachKey(collect);
  const states = await loadStates(db, [...keys]);
  return states.size;
}

/** How many of the newest cycles are searched for the pair's last Sync now (no index on recordId). */
const RECENT_CYCLES = 200;

/** The newest finished one-record cycle of this campaign among the recent cycles, as the panel shows it. */
async function lastSyncNow(
  db: LogDatabase,
  campaignId: string,
): Promise<Pick<ProgramPairPanelView, 'lastSyncNow'>> {
  const recent = await db.cycles.orderBy('startedAt').reverse().limit(RECENT_CYCLES).toArray();
  const cycle = recent.find(
    (c: CycleRow) => c.trigger === 'record' && c.recordId === campaignId && c.status !== 'In Process',
  );
  if (!cycle) return {};
  const { totals } = cycle;
  const reason = cycle.status === 'Completed' ? undefined : (cycle.reason ?? cycle.error);
  return {
    lastSyncNow: {
      at: cycle.endedAt ?? cycle.startedAt,
      status: cycle.status,
      new: totals.new,
      updated: totals.updated,
      deleted: totals.deleted,
      failed: totals.failed,
      skipped: totals.skipped,
      excluded: totals.excluded,
      ...(reason !== undefined && { reason }),
    },
  };
}
