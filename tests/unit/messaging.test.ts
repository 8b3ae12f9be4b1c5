import { beforeEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  CHANNEL,
  createMessageClient,
  createMessageRouter,
  type MessageError,
  type RecordStatusView,
  type RefusedMessage,
  type RuntimePort,
  type SenderInfo,
  type SendPort,
  type SyncStateView,
} from '../../lib/messaging';
import { orgPageOrigins } from '../../lib/messaging/contentScriptScope';
import { toId18 } from '../../lib/salesforce/ids';

const LEAD_15 = '00Q5e00000AbCdE';
const LEAD_18 = toId18(LEAD_15);
const EXTENSION_ORIGIN = 'chrome-extension://test-extension-id';

const popup: SenderInfo = {
  id: 'test-extension-id',
  url: `${EXTENSION_ORIGIN}/popup.html`,
  origin: EXTENSION_ORIGIN,
};
const contentScript: SenderInfo = {
  id: 'test-extension-id',
  url: `https://acme.lightning.force.com/lightning/r/Lead/${LEAD_15}/view`,
  origin: 'https://acme.lightning.force.com',
  tab: { id: 7 },
  frameId: 0,
};

/** A client whose messages reach the fake browser's listeners with the given sender. */
function clientAs(sender: SenderInfo) {
  const port: SendPort = {
    async sendMessage(message) {
      const answers = await fakeBrowser.runtime.onMessage.trigger(
        message,
        sender as chrome.runtime.MessageSender,
      );
      return answers.find((a) => a !== undefined);
    },
  };
  return createMessageClient(port);
}

async function refusal(promise: Promise<unknown>): Promise<MessageError> {
  try {
    await promise;
  } catch (error) {
    return error as MessageError;
  }
  throw new Error('expected the message to be refused');
}

const state: SyncStateView = {
  paused: false,
  running: false,
  nextRunAt: 1_800_000_000_000,
  connection: { salesforce: { state: 'connected' }, marketo: { state: 'not-configured' } },
};

describe('messaging', () => {
  let refused: RefusedMessage[];
  let calls: string[];
  let connectedOrg: string | undefined;

  beforeEach(() => {
    fakeBrowser.reset();
    refused = [];
    calls = [];
    connectedOrg = 'https://acme.my.salesforce.com';
    const router = createMessageRouter(fakeBrowser.runtime, {
      onRefused: (r) => refused.push(r),
      orgOrigins: async () => orgPageOrigins(connectedOrg),
    });
    router.onMessage('getRecordStatus', ({ objectType, recordId }, sender) => {
      calls.push(`getRecordStatus ${sender.kind}`);
      const view: RecordStatusView = {
        objectType,
        recordId,
        state: 'synced',
        lastChanges: [],
        hiddenFields: [],
        history: [],
      };
      return view;
    });
    router.onMessage('setPaused', ({ paused }) => {
      calls.push(`setPaused ${paused}`);
      return { ...state, paused, nextRunAt: paused ? null : state.nextRunAt };
    });
    router.onMessage('getSyncState', () => {
      throw new Error('Salesforce session expired');
    });
    router.onMessage('reconcileNow', () => {
      calls.push('reconcileNow');
      return { status: 'started' };
    });
  });

  it('answers a valid request from an extension page', async () => {
    const send = clientAs(popup);
    expect(await send('setPaused', { paused: true })).toMatchObject({ paused: true, nextRunAt: null });
    expect(calls).toEqual(['setPaused true']);
    expect(refused).toEqual([]);
  });

  it('answers a content script about its record, with the id in 18-character form', async () => {
    const view = await clientAs(contentScript)('getRecordStatus', { objectType: 'Lead', recordId: LEAD_15 });
    expect(view).toMatchObject({ objectType: 'Lead', recordId: LEAD_18, state: 'synced' });
    expect(calls).toEqual(['getRecordStatus content-script']);
  });

  it("answers a content script only about its own page's record on the connected org", async () => {
    const other = toId18('00Q5e00000XyZaB');
    const send = clientAs(contentScript);
    for (const request of [
      { objectType: 'Lead', recordId: other },
      { objectType: 'Contact', recordId: LEAD_18 },
    ]) {
      const error = await refusal(send('getRecordStatus', request));
      expect(error).toMatchObject({ code: 'refused-sender' });
      expect(error.message).toBe('Refused: a content script may only ask about the record of its own page');
    }
    // Another org's Lightning page, and a page that is not a record page.
    const elsewhere = await refusal(
      clientAs({
        ...contentScript,
        url: `https://evil.lightning.force.com/lightning/r/Lead/${LEAD_15}/view`,
        origin: 'https://evil.lightning.force.com',
      })('getRecordStatus', { objectType: 'Lead', recordId: LEAD_15 }),
    );
    expect(elsewhere.message).toBe('Refused: https://evil.lightning.force.com is not the connected org');
    const listPage = await refusal(
      clientAs({ ...contentScript, url: 'https://acme.lightning.force.com/lightning/o/Lead/list' })(
        'getRecordStatus',
        { objectType: 'Lead', recordId: LEAD_15 },
      ),
    );
    expect(listPage.message).toBe('Refused: the page is not a record page');
    connectedOrg = undefined;
    expect((await refusal(send('getRecordStatus', { objectType: 'Lead', recordId: LEAD_15 }))).message).toBe(
      'Refused: no Salesforce org is connected',
    );
    expect(calls).toEqual([]);
  });

  it('follows the tab to the record Lightning moved to with history.pushState', async () => {
    const other = toId18('00Q5e00000XyZaB');
    // Chrome keeps the frame's url as loaded; the tab's url is the address bar's.
    const moved = clientAs({
      ...contentScript,
      tab: { id: 7, url: `https://acme.lightning.force.com/lightning/r/Lead/${other}/view` },
    });
    expect(await moved('getRecordStatus', { objectType: 'Lead', recordId: other })).toMatchObject({
      recordId: other,
    });
    expect((await refusal(moved('getRecordStatus', { objectType: 'Lead', recordId: LEAD_15 }))).message).toBe(
      'Refused: a content script may only ask about the record of its own page',
    );
  });

  it('refuses the sync state to content scripts (the panel needs only its record)', async () => {
    expect((await refusal(clientAs(contentScript)('getSyncState'))).code).toBe('refused-sender');
  });

  it('knows the connected org by its My Domain and its Lightning host', () => {
    expect(orgPageOrigins('https://acme--uat.sandbox.my.salesforce.com')).toEqual([
      'https://acme--uat.sandbox.my.salesforce.com',
      'https://acme--uat.sandbox.lightning.force.com',
    ]);
    expect(orgPageOrigins('http://127.0.0.1:4100')).toEqual(['http://127.0.0.1:4100']);
    expect(orgPageOrigins(undefined)).toEqual([]);
    expect(orgPageOrigins('not a url')).toEqual([]);
  });

  it('goes through Chrome-style sendResponse when the runtime passes one', async () => {
    const answers: unknown[] = [];
    const [listener] = await new Promise<unknown[]>((resolve) => {
      const runtime: RuntimePort = {
        id: 'test-extension-id',
        getURL: fakeBrowser.runtime.getURL,
        onMessage: { addListener: (l) => resolve([l]), removeListener: () => {} },
      };
      createMessageRouter(runtime).onMessage('setPaused', ({ paused }) => ({ ...state, paused }));
    });
    const keepOpen = (listener as (m: unknown, s: SenderInfo, r: (x: unknown) => void) => unknown)(
      { channel: CHANNEL, type: 'setPaused', data: { paused: true } },
      popup,
      (answer) => answers.push(answer),
    );
    expect(keepOpen).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(answers).toEqual([{ ok: true, value: { ...state, paused: true } }]);
  });

  it('refuses a payload with a wrong type, naming the field, without calling the handler', async () => {
    const error = await refusal(clientAs(popup)('setPaused', { paused: 'yes' as unknown as boolean }));
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(/^Invalid "setPaused" request: paused: /);
    expect(error.issues).toEqual([{ path: 'paused', message: expect.stringContaining('expected boolean') }]);
    expect(calls).toEqual([]);
  });

  it('refuses malformed record ids and unknown keys, naming each field', async () => {
    const send = clientAs(contentScript);
    const badChecksum = await refusal(
      send('getRecordStatus', { objectType: 'Lead', recordId: '000000000000000ZZZ' }),
    );
    expect(badChecksum.issues.map((i) => i.path)).toEqual(['recordId']);
    const tooShort = await refusal(send('getRecordStatus', { objectType: 'Lead', recordId: '00Q5e' }));
    expect(tooShort.issues.map((i) => i.path)).toEqual(['recordId']);
    const extra = await refusal(
      send('getRecordStatus', { objectType: 'Lead', recordId: LEAD_18, token: 'x' } as never),
    );
    expect(extra.issues).toEqual([{ path: 'token', message: 'unknown setting' }]);
    const badObject = await refusal(send('getRecordStatus', { objectType: 'Lead; DROP', recordId: LEAD_18 }));
    expect(badObject.issues.map((i) => i.path)).toEqual(['objectType']);
    expect(calls).toEqual([]);
  });

  it('refuses a message from another extension', async () => {
    const other: SenderInfo = {
      id: 'abcdefghijklmnopabcdefghijklmnop',
      url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/background.js',
      origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    };
    const error = await refusal(clientAs(other)('setPaused', { paused: true }));
    expect(error.code).toBe('refused-sender');
    expect(error.message).toMatch(/another extension/);
    expect(calls).toEqual([]);
    expect(refused).toHaveLength(1);
  });

  it('refuses a message that looks like it comes from a web page', async () => {
    const pages: SenderInfo[] = [
      // What externally_connectable would deliver: no extension id.
      { url: 'https://evil.example/', origin: 'https://evil.example', tab: { id: 3 }, frameId: 0 },
      // Our id but no tab: not a content script, and not on our origin.
      { id: 'test-extension-id', url: 'https://evil.example/', origin: 'https://evil.example' },
      // Claims our id and an extension-looking url, but its origin is a web page's.
      { id: 'test-extension-id', url: `${EXTENSION_ORIGIN}/popup.html`, origin: 'https://evil.example' },
    ];
    for (const page of pages) {
      const error = await refusal(
        clientAs(page)('getRecordStatus', { objectType: 'Lead', recordId: LEAD_15 }),
      );
      expect(error.code).toBe('refused-sender');
    }
    // The fake browser's own sendMessage passes an empty sender, like a page with no extension id.
    const error = await refusal(createMessageClient(fakeBrowser.runtime)('setPaused', { paused: false }));
    expect(error.message).toMatch(/not an extension/);
    expect(calls).toEqual([]);
  });

  it("refuses commands from content scripts that only the extension's pages may send", async () => {
    const error = await refusal(clientAs(contentScript)('setPaused', { paused: true }));
    expect(error.code).toBe('refused-sender');
    // Reading both whole systems is an admin's decision, not a Salesforce page's.
    expect((await refusal(clientAs(contentScript)('reconcileNow'))).code).toBe('refused-sender');
    expect(error.message).toMatch(/extension's own pages only/);
    expect(calls).toEqual([]);
    expect(await clientAs(popup)('reconcileNow')).toEqual({ status: 'started' });
    expect(calls).toEqual(['reconcileNow']);
  });

  it("passes a handler's failure back as an error with its message", async () => {
    const error = await refusal(clientAs(popup)('getSyncState'));
    expect(error).toMatchObject({ code: 'handler-failed', message: 'Salesforce session expired' });
  });

  it('says so when nobody handles a message', async () => {
    const error = await refusal(clientAs(popup)('syncNow'));
    expect(error.code).toBe('no-handler');
  });

  it('ignores messages that are not on its channel', async () => {
    const answers = await fakeBrowser.runtime.onMessage.trigger(
      { type: 'setPaused', data: { paused: true } },
      popup as chrome.runtime.MessageSender,
    );
    expect(answers).toEqual([undefined]);
    expect(calls).toEqual([]);
  });

  it('allows one handler per message and stops listening when the last is removed', () => {
    const listeners = new Set<unknown>();
    const runtime: RuntimePort = {
      id: 'test-extension-id',
      getURL: fakeBrowser.runtime.getURL,
      onMessage: { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) },
    };
    const router = createMessageRouter(runtime);
    const removeSyncNow = router.onMessage('syncNow', () => ({ status: 'queued' }));
    const removeSyncRecord = router.onMessage('syncRecord', () => ({ status: 'queued' }));
    expect(() => router.onMessage('syncNow', () => ({ status: 'queued' }))).toThrowError(
      /already registered/,
    );
    expect(listeners.size).toBe(1);
    removeSyncNow();
    expect(listeners.size).toBe(1);
    removeSyncRecord();
    expect(listeners.size).toBe(0);
  });

  it('takes browser.runtime as its ports', () => {
    const receive: RuntimePort[] = [chrome.runtime, browser.runtime];
    const send: SendPort[] = [chrome.runtime, browser.runtime];
    expect([...receive, ...send]).toHaveLength(4);
  });
});
