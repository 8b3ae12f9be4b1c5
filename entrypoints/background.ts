import { buildClients } from '../lib/connections/clients';
import { registerConnectionHandlers } from '../lib/connections/handlers';
import { connectionStatus, storedConnectionTest } from '../lib/connections/status';
import { syncLog } from '../lib/db/instance';
import { fieldAccessChangedAt } from '../lib/db/schemaChecks';
import { createSyncErrorsExport } from '../lib/export/syncErrorsExport';
import { systemClock } from '../lib/http/ports';
import { MarketoRateLimiter } from '../lib/marketo';
import {
  POPUP_VIEW_KEY,
  POPUP_VIEW_SOURCES,
  readPopupView,
  SYNC_STATE_KEY,
  serialPublisher,
} from '../lib/messaging/popupView';
import { createMessageRouter } from '../lib/messaging/router';
import { createRecordPanelService } from '../lib/records/panelService';
import { createPendingChecker } from '../lib/records/pendingCheck';
import { timeZoneFromConnectionTest } from '../lib/records/userTimeZone';
import { createScheduler } from '../lib/scheduler/scheduler';
import { settingsStore } from '../lib/settings/store';
import { createSyncEngine } from '../lib/sync';

const UNWRITTEN_ENDS_KEY = 'unwrittenCycleEnds';

// Wiring only. Listeners are registered synchronously at the top level so that an alarm or a
// message that wakes a stopped worker finds them.
export default defineBackground(() => {
  const store = settingsStore();
  // Each worker boot is a new lease owner. It holds a Web Lock for its whole life; the lock dies
  // with the worker, so a cycle left behind by a stopped worker is taken over at once.
  const owner = `worker-${crypto.randomUUID()}`;
  const lifeLock = (o: string) => `sync-owner:${o}`;
  void navigator.locks.request(lifeLock(owner), () => new Promise<never>(() => {}));
  const leaseOwnerAlive = async (o: string) =>
    ((await navigator.locks.query()).held ?? []).some((lock) => lock.name === lifeLock(o));
  const marketoLimiter = new MarketoRateLimiter(systemClock);
  const cookies = {
    get: async (url: string, name: string) => (await browser.cookies.get({ url, name })) ?? null,
    getAll: (filter: { name: string; domain: string }) => browser.cookies.getAll(filter),
  };

  const connectedClients = async () =>
    buildClients(await store.getConnections(), await store.getSecrets(), {
      fetch: (input, init) => fetch(input, init),
      clock: systemClock,
      cookies,
      oauthRedirectUri: browser.identity?.getRedirectURL('oauth') ?? '',
      marketoLimiter,
      saveSalesforceTokens: async (tokens) => {
        const secrets = await store.getSecrets();
        await store.saveSecrets({
          ...secrets,
          salesforce: {
            ...secrets.salesforce,
            ...(tokens.refreshToken && { refreshToken: tokens.refreshToken }),
            accessToken: { value: tokens.accessToken, expiresAt: Date.now() + 2 * 3600_000 },
          },
        });
      },
    });

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
    log: (line) => console.info(`[sync] ${line}`),
    onStateChange: () => publishSyncState(),
    connectionStatus: async (lastCycle) =>
      connectionStatus(await store.getConnections(), await store.getSecrets(), {
        test: storedConnectionTest((await browser.storage.local.get('connectionTest')).connectionTest),
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
          load: async () => (await browser.storage.session.get(UNWRITTEN_ENDS_KEY))[UNWRITTEN_ENDS_KEY],
          save: (ends) => browser.storage.session.set({ [UNWRITTEN_ENDS_KEY]: ends }),
        },
      });
      return { ok: true, engine };
    },
  });

  /** Publishes what `read` answers under `key` in storage.session, in order; a failure is logged. */
  const publisher = <T>(key: string, read: () => Promise<T>) => {
    const publish = serialPublisher(read, (value) => browser.storage.session.set({ [key]: value }));
    return () => void publish().catch((error: unknown) => console.warn(`[${key}] not published:`, error));
  };
  // An open popup follows the published state (see SYNC_STATE_KEY) instead of waiting for its poll.
  const publishSyncState = publisher(SYNC_STATE_KEY, () => scheduler.state());

  const router = createMessageRouter(browser.runtime, {
    onRefused: (reason) => console.warn('Refused a message:', reason),
  });
  const userTimeZone = async () =>
    timeZoneFromConnectionTest((await browser.storage.local.get('connectionTest')).connectionTest);
  const recordPanelStatus = createRecordPanelService({
    db: syncLog,
    settings: () => store.getSettings(),
    isAdmin: async () => (await store.getConnections()).salesforce.user?.isAdmin,
    timeZone: userTimeZone,
    pending: createPendingChecker({
      db: syncLog,
      clock: systemClock,
      salesforce: async () => {
        const clients = await connectedClients();
        return clients.ok ? clients.salesforce : `not connected (${clients.missing.join(', ')})`;
      },
    }),
    syncing: (sfId) => scheduler.recordSync(sfId),
  });
  router.onMessage('getRecordStatus', (request) => recordPanelStatus(request));
  router.onMessage('getSyncState', () => scheduler.state());
  const popupView = () =>
    readPopupView({
      getSettings: () => store.getSettings(),
      getConnections: () => store.getConnections(),
      timeZone: userTimeZone,
    });
  router.onMessage('getPopupView', popupView);
  router.onMessage(
    'exportSyncErrors',
    createSyncErrorsExport({
      db: syncLog,
      instanceUrl: async () => (await store.getConnections()).salesforce.instanceUrl,
      isAdmin: async () => (await store.getConnections()).salesforce.user?.isAdmin,
      now: () => Date.now(),
    }),
  );
  // The popup reads the published view at open (see POPUP_VIEW_KEY); getPopupView answers a popup
  // that finds none (the browser just started, the extension was just updated).
  const publishPopupView = publisher(POPUP_VIEW_KEY, popupView);
  publishPopupView();
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && POPUP_VIEW_SOURCES.some((key) => key in changes)) publishPopupView();
  });
  router.onMessage('syncNow', () => scheduler.syncNow());
  router.onMessage('reconcileNow', () => scheduler.reconcileNow());
  router.onMessage('syncRecord', ({ objectType, recordId }) =>
    scheduler.syncRecord({ objectType, id: recordId }),
  );
  router.onMessage('setPaused', ({ paused }) => scheduler.setPaused(paused));
  registerConnectionHandlers(router, {
    store,
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    cookies,
    // Needs no `tabs` permission: the host permissions cover the URLs queried, so their tabs come
    // back with `url` set. Test builds also find the emulator's Lightning pages on loopback.
    findSalesforceTab: async () => {
      const tabs = await browser.tabs.query({
        url: [
          'https://*.lightning.force.com/*',
          'https://*.my.salesforce.com/*',
          ...(import.meta.env.MODE === 'production' ? [] : ['http://127.0.0.1/lightning/*']),
        ],
      });
      const page = tabs.find((t) => t.active) ?? tabs[0];
      return page?.url;
    },
    launchWebAuthFlow: async (url) => {
      const redirect = await browser.identity.launchWebAuthFlow({ url, interactive: true });
      if (!redirect) throw new Error('The sign-in window closed without an answer');
      return redirect;
    },
    oauthRedirectUri: browser.identity.getRedirectURL('oauth'),
    marketoLimiter,
    fieldAccessChangedAt: () => fieldAccessChangedAt(syncLog),
    lastTest: {
      get: async () => (await browser.storage.local.get('connectionTest')).connectionTest,
      set: (report) => browser.storage.local.set({ connectionTest: report }),
    },
  });

  browser.alarms.onAlarm.addListener((alarm) => void scheduler.onAlarm(alarm.name));
  // Settings saved on the options page apply from the next cycle; the interval at once.
  store.watchSettings(() => void scheduler.ensureSchedule());
  browser.runtime.onStartup.addListener(() => void scheduler.ensureSchedule());
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void scheduler.ensureSchedule();
    // First run: the admin starts by connecting Salesforce and Marketo.
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
});
