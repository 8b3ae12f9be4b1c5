import { Counts } from '../lib/db/metricKeys';
import type { DashboardMetrics } from '../lib/db/metrics';
import type { SendMessage } from '../lib/messaging/client';
import type { ServiceSource } from '../lib/messaging/logViews';
import type { SettingsStore } from '../lib/settings/store';
import type { LiveSubscribe } from './logSource';

// The dashboard in service mode (issue 21, docs/service-mode.md): the sections the service's status
// API serves (metrics, the sync history and its CSV) show the service's log; the others say that
// they are not served instead of showing an empty page.

/** How often the dashboard asks the service's log again (the popup follows its header instead). */
const POLL_MS = 5000;

/** Asks again POLL_MS after each answer, until unsubscribed. */
export const polled: LiveSubscribe = (query, observer) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const ask = () =>
    query()
      .then(
        (value) => stopped || observer.next(value),
        (error: unknown) => stopped || observer.error(error),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(ask, POLL_MS);
      });
  void ask();
  return {
    unsubscribe() {
      stopped = true;
      clearTimeout(timer);
    },
  };
};

/** The metric rows of the service's log, through the background (which holds the token). */
export const serviceMetrics =
  (send: SendMessage) =>
  async (from: number): Promise<DashboardMetrics> => {
    const view = await send('getDashboardMetrics', { from });
    return {
      rows: view.rows.map(({ synced, updated, handled, fields, backlog, ...row }) => ({
        ...row,
        synced: Counts.of(synced),
        updated: Counts.of(updated),
        handled: Counts.of(handled),
        fields: Counts.of(fields),
        ...(backlog && { backlog: Counts.of(backlog) }),
      })),
      ...(view.lastFetch !== undefined && { lastFetch: view.lastFetch }),
      fieldTypes: new Map(view.fieldTypes),
    };
  };

/** The noisy fields' actions change settings: the service's are its own (add-org --settings). */
export const serviceSettings = (service: ServiceSource) => (): Promise<SettingsStore> =>
  Promise.reject(
    new Error(
      `the sync runs in the service at ${service.url} (org ${service.orgId}) with the settings it was given there (npm run service -- add-org --settings FILE); this browser's settings do not apply to it`,
    ),
  );

export function ServiceModeNotice({ service }: { service: ServiceSource }) {
  return (
    <p class="notice" data-testid="service-mode">
      Cycles run in the service at {service.url} (org {service.orgId}): this page shows its log. This browser
      runs no cycles; Check both sides now (Reconcile) runs in the browser only.
    </p>
  );
}

/** Errors by cause, API usage and the data dictionary read what the status API does not serve. */
export function NotServedByService() {
  return (
    <section class="health" data-testid="not-served">
      <h2>Errors by cause, API usage, data dictionary</h2>
      <p class="muted">
        Not shown in service mode: the service's status API does not serve them (they read failure and schema
        details of this browser's log). The sync errors themselves are in Export CSV under Sync history.
      </p>
    </section>
  );
}
