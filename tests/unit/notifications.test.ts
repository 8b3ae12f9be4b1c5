// "Notify me of failed cycles": one notice per problem and one on recovery (lib/scheduler/notifications.ts).
import { describe, expect, it } from 'vitest';
import type { CycleRow } from '../../lib/db/types';
import { emptyCounters } from '../../lib/db/types';
import { LAST_NOTICE_KEY, noticeAfter, notifyAfterCycle } from '../../lib/scheduler/notifications';
import { freshDb } from './db-fixtures';

let nextId = 1;
const cycle = (status: CycleRow['status'], error?: string, reason?: string): CycleRow => ({
  id: nextId++,
  trigger: 'schedule',
  startedAt: 0,
  endedAt: 1,
  status,
  totals: emptyCounters(),
  apiCalls: { salesforce: 0, marketo: 0 },
  ...(error !== undefined && { error }),
  ...(reason !== undefined && { reason }),
});
const EXPIRED = 'The Salesforce session expired — log in to Salesforce again';
const BUDGET = "Today's Marketo API budget is spent (10 of 10 calls; it resets at 00:00 US Central)";

describe('noticeAfter', () => {
  it.each([
    {
      name: 'a Failed cycle, first time',
      cycle: cycle('Failed', 'INVALID_SESSION_ID', EXPIRED),
      last: undefined,
      title: 'Sync cycle failed',
      message: EXPIRED,
      problem: EXPIRED,
    },
    {
      name: 'the same problem again: no second notice',
      cycle: cycle('Failed', 'INVALID_SESSION_ID', EXPIRED),
      last: EXPIRED,
      title: undefined,
      problem: EXPIRED,
    },
    {
      name: 'another problem: a notice',
      cycle: cycle('Failed', 'QuotaExceededError', 'Browser storage is full'),
      last: EXPIRED,
      title: 'Sync cycle failed',
      problem: 'Browser storage is full',
    },
    {
      name: "today's budget spent",
      cycle: cycle('Not Completed', BUDGET, `${BUDGET} — raise it`),
      last: undefined,
      title: 'Sync paused: API budget spent',
      problem: `${BUDGET} — raise it`,
    },
    {
      name: 'a cycle budget or stopped worker is routine',
      cycle: cycle('Not Completed', 'Cycle budget spent: 4 of 4 API calls'),
      last: undefined,
      title: undefined,
      problem: undefined,
    },
    {
      name: 'Completed after a problem: recovered',
      cycle: cycle('Completed'),
      last: EXPIRED,
      title: 'Sync recovered',
      problem: undefined,
    },
    {
      name: 'Completed, nothing before: silent',
      cycle: cycle('Completed'),
      last: undefined,
      title: undefined,
      problem: undefined,
    },
    {
      name: 'routine Not Completed after a problem keeps it (no recovery yet)',
      cycle: cycle('Not Completed', 'Interrupted'),
      last: EXPIRED,
      title: undefined,
      problem: EXPIRED,
    },
  ])('$name', ({ cycle: c, last, title, message, problem }) => {
    const result = noticeAfter(c, last);
    expect(result.notice?.title).toBe(title);
    if (message) expect(result.notice?.message).toBe(message);
    expect(result.problem).toBe(problem);
  });
});

describe('notifyAfterCycle', () => {
  it('remembers the problem in the log, so a new worker does not repeat it; silent when switched off', async () => {
    const db = freshDb();
    const shown: string[] = [];
    const port = { create: async (_id: string, n: { title: string }) => void shown.push(n.title) };
    await notifyAfterCycle(db, port, cycle('Failed', 'x', EXPIRED), true, 1);
    await notifyAfterCycle(db, port, cycle('Failed', 'x', EXPIRED), true, 2);
    expect(shown).toEqual(['Sync cycle failed']);
    expect((await db.cursors.get(LAST_NOTICE_KEY))?.value).toBe(EXPIRED);
    await notifyAfterCycle(db, port, cycle('Completed'), false, 3);
    expect(shown).toEqual(['Sync cycle failed']);
    expect(await db.cursors.get(LAST_NOTICE_KEY)).toBeUndefined();
    await notifyAfterCycle(db, port, cycle('Failed', 'x', EXPIRED), true, 4);
    await notifyAfterCycle(db, port, cycle('Completed'), true, 5);
    expect(shown).toEqual(['Sync cycle failed', 'Sync cycle failed', 'Sync recovered']);
  });
});
