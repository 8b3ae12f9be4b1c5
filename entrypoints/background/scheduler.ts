import { syncStateItem } from '../../components/storage/published';
import { connectionTestItem, unwrittenCycleEndsItem } from '../../components/storage/worker';
import { connectionStatus, storedConnectionTest } from '../../lib/connections/status';
import { syncLog } from '../../lib/db/instance';
import { systemClock } from '../../lib/http/ports';
import { createScheduler } from '../../lib/scheduler/scheduler';
import { runsInService } from '../../lib/settings/serviceConnection';
import { createSyncEngine } from '../../lib/sync';
import type { WorkerClients } from './clients';
import { setupLease } from './lease';
import { publisher } from './publish';

export type Scheduler = ReturnType<typeof createScheduler>;

/** The scheduler (alarms, badge, notifications) and the engine it builds for each cycle. */
export function setupScheduler({ store, connectedClients }: WorkerClients): Scheduler {
  const { owner, leaseOwnerAlive } = setupLease();
  const scheduler = createScheduler({
    db: syncLog,
    clock: systemClock,
    alarms: browser.alarms,
    badge: browser.action,
    notifications: {
      create: (id, notice) =>
        browser.notifications.create(id, {
          type: 'basic',
          iconUrl: browser.runtime.getURL('/icon/128.png'),
          ...notice,
        }),
    },
    settings: store,
    // Issue 21: while a service runs the cycles, this browser runs none.
    runsHere: async () => !runsInService(await store.getConnections()),
    log: (line) => console.info(`[sync] ${line}`),
    onStateChange: () => publishSyncState(),
    connectionStatus: async (lastCycle) =>
      connectionStatus(await store.getConnections(), await store.getSecrets(), {
        test: storedConnectionTest(await connectionTestItem.getValue()),
        lastCycle,
      }),
    async connect() {
      const clients = await connectedClients();
      if (!clients.ok) return clients;
      const engine = createSyncEngine({
        db: syncLog,
        salesforce: clients.salesforce,
        marketo: clients.marketo,
        settings: () => store.getSettings(),
        clock: systemClock,
        owner,
        leaseOwnerAlive,
        log: (line) => console.info(`[sync] ${line}`),
        // storage.session has its own small quota: a cycle end that a full IndexedDB could not
        // take outlives this worker there (lib/sync/unwrittenEnds.ts).
        unwrittenEnds: {
          load: () => unwrittenCycleEndsItem.getValue(),
          save: (ends) => unwrittenCycleEndsItem.setValue(ends),
        },
      });
      return { ok: true, engine };
    },
  });
  // An open popup follows the published state (syncStateItem) instead of waiting for its poll.
  const publishSyncState = publisher(syncStateItem, () => scheduler.state());
  return scheduler;
}
