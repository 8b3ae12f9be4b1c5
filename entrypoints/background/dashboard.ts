import { retryCause } from '../../lib/dashboard/retryCause';
import { syncLog } from '../../lib/db/instance';
import { systemClock } from '../../lib/http/ports';
import type { MessageRouter } from '../../lib/messaging/router';
import type { Scheduler } from './scheduler';

/** The sync health dashboard's request to the worker: "Retry these now" on a cause card. */
export function setupDashboard(router: MessageRouter, scheduler: Scheduler): void {
  router.onMessage('retryCause', ({ cause }) =>
    retryCause(syncLog, cause, systemClock.now(), (retryNow) => scheduler.retryNow(retryNow)),
  );
}
