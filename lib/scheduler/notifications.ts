// "Notify me of failed cycles" (options): a system notification when cycles start failing — a
// Failed cycle (expired session, storage full, an API down…) or today's API budget spent — and one
// when they recover. One notice per problem, not one per cycle: a sync failing every five minutes
// for a night must not leave a hundred notifications; the problem last notified is kept in the log
// (a cursors row) so that a restarted worker does not repeat it.
import type { LogDatabase } from '../db/logPort';
import type { CycleRow } from '../db/types';
import { isDailyBudgetSpent } from '../sync/dailyUsage';

export interface NotificationsPort {
  create(id: string, notice: { title: string; message: string }): Promise<unknown> | undefined;
}

export const LAST_NOTICE_KEY = 'notify:last-problem';

export interface Notice {
  id: string;
  title: string;
  message: string;
}

/** The problem a finished cycle shows, in plain words, or undefined when it went fine. */
export function problemOf(cycle: CycleRow): string | undefined {
  const words = cycle.reason ?? cycle.error;
  if (cycle.status === 'Failed' || cycle.status === 'Purged')
    return words ?? `The sync cycle ${cycle.status}`;
  // Not Completed by the admin's daily budget is a problem to hear about; by the cycle's own
  // budget, a lost lease or a stopped worker it is routine (the next cycle resumes).
  if (cycle.status === 'Not Completed' && isDailyBudgetSpent(cycle.error)) return words;
  return undefined;
}

/** What to show after `cycle`, given the problem last notified; and the problem to remember. */
export function noticeAfter(
  cycle: CycleRow,
  lastProblem: string | undefined,
): { notice?: Notice; problem: string | undefined } {
  if (cycle.status === 'In Process') return { problem: lastProblem };
  const problem = problemOf(cycle);
  if (problem && problem !== lastProblem) {
    return {
      problem,
      notice: {
        id: `sync-problem-${cycle.id}`,
        title: cycle.status === 'Not Completed' ? 'Sync paused: API budget spent' : 'Sync cycle failed',
        message: problem,
      },
    };
  }
  if (!problem && lastProblem && cycle.status === 'Completed') {
    return {
      problem: undefined,
      notice: {
        id: `sync-recovered-${cycle.id}`,
        title: 'Sync recovered',
        message: `The last cycle completed. Before: ${lastProblem}`,
      },
    };
  }
  return { problem: problem ?? (cycle.status === 'Completed' ? undefined : lastProblem) };
}

/** Shows the notice a finished cycle calls for (when the admin asked for them) and remembers it. */
export async function notifyAfterCycle(
  db: LogDatabase,
  port: NotificationsPort,
  cycle: CycleRow,
  enabled: boolean,
  now: number,
): Promise<void> {
  const last = (await db.cursors.get(LAST_NOTICE_KEY))?.value;
  const { notice, problem } = noticeAfter(cycle, last);
  if (problem === last) return;
  if (problem === undefined) await db.cursors.delete(LAST_NOTICE_KEY);
  else await db.cursors.put({ key: LAST_NOTICE_KEY, value: problem, updatedAt: now });
  if (notice && enabled) await port.create(notice.id, { title: notice.title, message: notice.message });
}
