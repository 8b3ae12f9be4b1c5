import { retryCause } from '../../lib/dashboard/retryCause';
import { syncLog } from '../../lib/db/instance';
import { systemClock } from '../../lib/http/ports';
import type { MessageRouter } from '../../lib/messaging/router';
import type { WorkerLogSource } from './logSource';
import type { Scheduler } from './scheduler';

/** The sync health dashboard's request to the worker: "Retry these now" on a cause card. */
export function setupDashboard(router: MessageRouter, scheduler: Scheduler, sources: WorkerLogSource): void {
  router.onMessage('retryCause', async ({ cause }) => {
    // The cause cards read this browser's log: the dashboard shows none in service mode (issue 21).
    if ((await sources.current()).service)
      throw new Error('Retry these now works on this browser’s log; the cycles run in a service');
    return retryCause(syncLog, cause, systemClock.now(), (retryNow) => scheduler.retryNow(retryNow));
  });
}
