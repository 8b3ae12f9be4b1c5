import { publish, syncStateItem, unpublish } from '../../components/storage/published';
import { syncLog } from '../../lib/db/instance';
import type { ServiceSource } from '../../lib/messaging/logViews';
import type { MessageRouter } from '../../lib/messaging/router';
import type { ServiceState } from '../../lib/serviceMode/client';
import { createLocalSource } from '../../lib/serviceMode/localSource';
import { createLogSourceSwitch, type LogSourceSwitch } from '../../lib/serviceMode/logSource';
import { toSyncStateView } from '../../lib/serviceMode/serviceSource';
import type { WorkerClients } from './clients';
import { localExport } from './export';
import { localRecordPanel } from './recordPanel';
import type { Scheduler } from './scheduler';

export interface WorkerLogSource extends LogSourceSwitch {
  /** The service's last state answer (its org's view), while in service mode. */
  lastServiceState(): { state: ServiceState; service: ServiceSource } | undefined;
  /** Called with each service state: the popup view is published again when its part changed. */
  onServiceView(listener: () => void): void;
  /**
   * The Salesforce org whose record pages get the panel: this browser's connection, or in service
   * mode the service's org (its state's instance URL, read once when not known yet).
   */
  orgInstanceUrl(): Promise<string | undefined>;
}

/**
 * The log source port (lib/serviceMode/logSource.ts): this browser's log and scheduler, or the
 * service the options page chose (issue 21). The features ask `current()` in their handlers.
 */
export function setupLogSource(clients: WorkerClients, scheduler: Scheduler): WorkerLogSource {
  let last: { state: ServiceState; service: ServiceSource } | undefined;
  const viewListeners: (() => void)[] = [];
  const sources = createLogSourceSwitch({
    connections: () => clients.store.getConnections(),
    secrets: () => clients.store.getSecrets(),
    fetch: (input, init) => fetch(input, init),
    local: createLocalSource({
      db: syncLog,
      scheduler,
      recordStatus: localRecordPanel(clients, scheduler),
      exportSyncErrors: localExport(clients.store),
    }),
    onServiceState(state, service) {
      const viewChanged = JSON.stringify(last?.state.view) !== JSON.stringify(state.view);
      last = { state, service };
      // An opening popup reads the last published state (components/publishedView.ts).
      void publish(syncStateItem, toSyncStateView(state, service)).catch(() => {});
      if (viewChanged) for (const listener of viewListeners) listener();
    },
  });
  // Switching modes: what was published of the other mode's state goes, the new one is read.
  clients.store.watchConnections(() => {
    void unpublish(syncStateItem)
      .then(async () => {
        const source = await sources.current();
        if (!source.service) await publish(syncStateItem, await source.state());
        else await source.state(); // published by onServiceState
      })
      .catch((error: unknown) => console.warn('[sync state] not published:', error));
  });
  // A worker that starts in service mode learns the org's view (record links, the panel's org) at once.
  void sources
    .current()
    .then((source) => source.service && source.state())
    .catch(() => {});
  return {
    ...sources,
    lastServiceState: () => last,
    onServiceView: (listener) => void viewListeners.push(listener),
    async orgInstanceUrl() {
      const source = await sources.current();
      if (!source.service) return (await clients.store.getConnections()).salesforce.instanceUrl;
      const known = () =>
        last?.service.url === source.service?.url && last?.service.orgId === source.service?.orgId;
      if (!known()) await source.state().catch(() => undefined);
      // A service that cannot be reached: this browser's own org, if connected, so that the panel
      // there is answered and shows why the service's view is missing.
      return known()
        ? last?.state.view.instanceUrl
        : (await clients.store.getConnections()).salesforce.instanceUrl;
    },
  };
}

/** The log messages the pages send when they do not read the log themselves (service mode). */
export function setupLogMessages(router: MessageRouter, sources: LogSourceSwitch): void {
  router.onMessage('getStepsWindow', async (request) => (await sources.current()).stepsWindow(request));
  router.onMessage('getStepRecords', async ({ stepId, limit }) =>
    (await sources.current()).stepRecords(stepId, limit),
  );
  router.onMessage('getDashboardMetrics', async ({ from }) => (await sources.current()).metrics(from));
}
