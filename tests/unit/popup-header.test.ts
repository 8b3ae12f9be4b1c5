import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsStorage } from '../../components/storage/settings';
import { headerModel } from '../../components/syncHeaderState';
import { readPopupView, serialPublisher } from '../../lib/messaging/popupView';
import type { PopupView, SyncStateView } from '../../lib/messaging/views';
import { createSettingsStore } from '../../lib/settings/store';

/** The view the background answers for connections and settings stored as given (no save-time check). */
async function viewOf(stored: { connections?: unknown; settings?: unknown }): Promise<PopupView> {
  await fakeBrowser.storage.local.set(stored);
  return readPopupView(createSettingsStore(settingsStorage()));
}

const ADMIN = { id: '005000000000001', username: 'admin@acme.com', displayName: 'Ada', isAdmin: true };
const CONFIGURED = {
  salesforce: { instanceUrl: 'https://acme.my.salesforce.com', user: ADMIN },
  marketo: { restEndpoint: 'https://123-abc-456.mktorest.com/rest', clientId: 'cid' },
};
const state: SyncStateView = {
  paused: false,
  running: false,
  nextRunAt: 1000,
  connection: {
    salesforce: { state: 'connected', label: 'acme.my.salesforce.com (admin@acme.com)' },
    marketo: { state: 'error', label: '123-abc-456', error: '601 Access token invalid' },
  },
};

describe('popup view (read by the background)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('names what is stored, with the Person label and the instance URL for links', async () => {
    expect(await viewOf({ connections: CONFIGURED, settings: { personLabel: 'Person' } })).toEqual({
      isAdmin: true,
      personLabel: 'Person',
      instanceUrl: 'https://acme.my.salesforce.com',
      salesforceLabel: 'acme.my.salesforce.com',
      marketoLabel: '123-abc-456.mktorest.com',
    });
  });

  it("carries the Salesforce user's time zone when the background knows it", async () => {
    await fakeBrowser.storage.local.set({ connections: CONFIGURED });
    const store = createSettingsStore(settingsStorage());
    const view = await readPopupView({
      getSettings: () => store.getSettings(),
      getConnections: () => store.getConnections(),
      timeZone: async () => 'Europe/Amsterdam',
    });
    expect(view.timeZone).toBe('Europe/Amsterdam');
    expect((await readPopupView(store)).timeZone).toBeUndefined();
  });

  it('is the defaults on a fresh install', async () => {
    expect(await viewOf({})).toEqual({ personLabel: 'Lead' });
  });

  it('names the field of invalid stored connections and still shows the settings', async () => {
    const view = await viewOf({
      connections: { salesforce: { instanceUrl: 'javascript:alert(1)' } },
      settings: { personLabel: 'Person' },
    });
    expect(view.settingsError).toMatch(
      /^Stored connection settings are invalid: salesforce\.instanceUrl: not a Salesforce URL/,
    );
    expect(view).toMatchObject({ personLabel: 'Person' });
    expect(view.instanceUrl).toBeUndefined();
    expect(view.isAdmin).toBeUndefined();
  });

  it('names the field of invalid stored settings and falls back to the Lead label', async () => {
    const view = await viewOf({ connections: CONFIGURED, settings: { personLabel: 'Human' } });
    expect(view.settingsError).toMatch(/^Stored settings are invalid: personLabel: /);
    expect(view).toMatchObject({ personLabel: 'Lead', isAdmin: true });
  });
});

describe('popup header', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('shows only "Admin permissions required" to a Salesforce user without admin permissions', async () => {
    const view = await viewOf({ connections: { salesforce: { user: { ...ADMIN, isAdmin: false } } } });
    expect(headerModel(view, { kind: 'ok', state })).toEqual({ kind: 'admin-required' });
  });

  it('uses the background state when it answers', async () => {
    const model = headerModel(await viewOf({ connections: CONFIGURED }), { kind: 'ok', state });
    expect(model).toMatchObject({
      kind: 'status',
      notConnected: false,
      salesforce: { state: 'connected', label: 'acme.my.salesforce.com (admin@acme.com)' },
      marketo: { state: 'error', error: '601 Access token invalid' },
      sync: state,
    });
    expect(model.kind === 'status' && model.backgroundProblem).toBeUndefined();
  });

  it('falls back to the stored connections and says the sync state is missing', async () => {
    const configured = await viewOf({ connections: CONFIGURED });
    for (const code of ['no-handler', 'unknown-message']) {
      const model = headerModel(configured, { kind: 'error', code, message: 'x' });
      expect(model).toMatchObject({
        kind: 'status',
        backgroundProblem: 'Background not answering',
        notConnected: false,
        salesforce: { state: 'unchecked', label: 'acme.my.salesforce.com' },
        marketo: { state: 'unchecked', label: '123-abc-456.mktorest.com' },
      });
    }
    const failed = headerModel(configured, { kind: 'error', code: 'handler-failed', message: 'boom' });
    expect(failed).toMatchObject({ backgroundProblem: 'Background error: boom' });
  });

  it('is not connected when either side has no connection settings', async () => {
    expect(headerModel(await viewOf({}), { kind: 'loading' })).toMatchObject({
      notConnected: true,
      salesforce: { state: 'not-configured' },
      marketo: { state: 'not-configured' },
    });
    const noClientId = await viewOf({
      connections: { ...CONFIGURED, marketo: { restEndpoint: CONFIGURED.marketo.restEndpoint } },
    });
    expect(headerModel(noClientId, { kind: 'loading' })).toMatchObject({
      notConnected: true,
      marketo: { state: 'not-configured' },
    });
    const noMarketo = headerModel(await viewOf({ connections: CONFIGURED }), {
      kind: 'ok',
      state: { ...state, connection: { ...state.connection, marketo: { state: 'not-configured' } } },
    });
    expect(noMarketo).toMatchObject({ notConnected: true, marketo: { label: 'Not connected' } });
  });
});

describe('popup view publisher', () => {
  it('writes one view at a time, in the order asked, so the newest settings are the ones left published', async () => {
    // Each publish reads the settings as they are then: first 'Lead', then (saved since) 'Person'.
    const reads: PopupView['personLabel'][] = ['Lead', 'Person'];
    const written: string[] = [];
    const publish = serialPublisher<PopupView>(
      async () => ({ personLabel: reads.shift() ?? 'Lead' }),
      async (view) => {
        // The older view's write is the slower one: unserialised, it would land last and win.
        await new Promise((resolve) => setTimeout(resolve, view.personLabel === 'Lead' ? 20 : 0));
        written.push(view.personLabel);
      },
    );
    await Promise.all([publish(), publish()]);
    expect(written).toEqual(['Lead', 'Person']);
  });

  it('reports a failed write to its caller and still publishes the next view', async () => {
    let fail = true;
    const written: PopupView[] = [];
    const publish = serialPublisher<PopupView>(
      async () => ({ personLabel: 'Person' }),
      async (view) => {
        if (fail) throw new Error('quota');
        written.push(view);
      },
    );
    await expect(publish()).rejects.toThrow('quota');
    fail = false;
    await publish();
    expect(written).toEqual([{ personLabel: 'Person' }]);
  });
});
