import { retryCause } from '../../lib/dashboard/retryCause';
import { syncLog } from '../../lib/db/instance';
import { systemClock } from '../../lib/http/ports';
import type { MessageRouter } from '../../lib/messaging/router';
import { describeIssues } from '../../lib/settings/issues';
import type { WorkerClients } from './clients';
import type { Scheduler } from './scheduler';

/** The sync health dashboard's requests: the settings it shows, "Retry these now", value rules. */
export function setupDashboard(router: MessageRouter, { store }: WorkerClients, scheduler: Scheduler): void {
  const retry = (cause: string) =>
    retryCause(syncLog, cause, systemClock.now(), (retryNow) => scheduler.retryNow(retryNow));
  router.onMessage('getSyncSettings', () => store.getSettings());
  router.onMessage('retryCause', ({ cause }) => retry(cause));
  router.onMessage('addValueRule', async ({ rule, retry: cause }) => {
    const { valueRules } = await store.getSettings();
    const saved = await store.updateSettings({ valueRules: [...valueRules, rule] });
    if (!saved.ok) throw new Error(`Value rule not saved: ${describeIssues(saved.errors)}`);
    return { valueRules: saved.value.valueRules, ...(cause && { retry: await retry(cause) }) };
  });
}
