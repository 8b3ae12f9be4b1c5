// Issue 16's attempts, as an attacker would make them, with the built extension in Chromium against
// the emulator after a real cycle: each is refused (docs/security.md). Also the checks that already
// held, so that they keep holding.
import { readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { CHANNEL } from '../../lib/messaging/envelope';
import { PANEL_SHOWN_MARK } from '../../lib/pages/panelUiState';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import {
  connectToEmulator,
  loginToSalesforce,
  readLastCycle,
  sendFromPage,
} from '../../scripts/emulatorSession';
import { screenshotPath } from './support/screenshots';
import { type LocalServer, serveLocal } from './support/server';
import { findPanel } from './support/shadowPanel';

type Row = Record<string, unknown>;

let emu: Emulator;
let ext: LoadedExtension;
let sfTab: Page;
let popup: Page;
let otherOrigin: LocalServer;
const consoleText: string[] = [];
const synced: Row[] = [];

const recordUrl = (base: string, lead: Row) => `${base}/lightning/r/Lead/${lead.Id as string}/view`;

/** Waits until the panel has shown the record (its mark; the page cannot see more). */
const panelShown = (page: Page) =>
  page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, PANEL_SHOWN_MARK, {
    timeout: 15_000,
  });

/** The content script's isolated world in this page, reached the way DevTools does (CDP). */
async function contentScriptWorld(
  page: Page,
): Promise<{ cdp: CDPSession; run: (js: string) => Promise<unknown> }> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; name: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  await expect.poll(() => contexts.some((c) => c.auxData?.type === 'isolated')).toBe(true);
  const world = contexts.find((c) => c.auxData?.type === 'isolated')!;
  const run = async (expression: string) => {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression,
      contextId: world.id,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) return { threw: exceptionDetails.exception?.description ?? exceptionDetails.text };
    return result.value;
  };
  return { cdp, run };
}

/** A message as our content script sends it (lib/messaging/client.ts), from its own world. */
const sendAs = (type: string, data: unknown) =>
  `chrome.runtime.sendMessage(${JSON.stringify({ channel: CHANNEL, type, data })})`;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  ext = await launchWithExtension();
  for (const target of [ext.worker]) target.on('console', (m) => consoleText.push(m.text()));
  ext.context.on('page', (page) => page.on('console', (m) => consoleText.push(m.text())));
  sfTab = await loginToSalesforce(ext, emu.info);
  await connectToEmulator(ext, emu.info);
  popup = await ext.openPage('popup.html');
  await sendFromPage(popup, 'syncNow');
  for (let waited = 0; !(await readLastCycle(popup)).cycle?.endedAt; waited += 250) {
    if (waited > 120_000) throw new Error('the first cycle did not end within 2 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  const persons = emu.marketo.snapshot().leads as Row[];
  const linked = new Set(persons.map((p) => p.sfdcLeadIdCustom));
  for (const lead of emu.salesforce.store.table('Lead').records.values())
    if (!lead.IsDeleted && !lead.IsConverted && linked.has(lead.Id) && lead.Email) synced.push(lead);
  // Another origin serving the same Lightning-like path: another org, or a look-alike page.
  otherOrigin = await serveLocal((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body><h1>Another org</h1></body></html>');
  });
}, 300_000);

afterAll(async () => {
  await otherOrigin?.close();
  await ext?.close();
  await emu?.stop();
});

describe('attacks on the extension, each refused', () => {
  it("the content script's world cannot read or write the extension's storage (the Marketo secret)", async () => {
    await sfTab.goto(recordUrl(emu.info.salesforce.url, synced[0]!));
    await panelShown(sfTab);
    const { cdp, run } = await contentScriptWorld(sfTab);
    for (const attempt of [
      'chrome.storage.local.get(null)',
      "chrome.storage.local.set({ connections: { marketo: { restEndpoint: 'https://evil.example/rest' } } })",
      'chrome.storage.session.get(null)',
    ]) {
      const outcome = (await run(attempt)) as { threw?: string } | undefined;
      expect(outcome?.threw, attempt).toMatch(/Access to storage is not allowed from this context/);
    }
    // Nothing was written: the sync still talks to the emulator's Marketo.
    const stored = await ext.worker.evaluate(() => chrome.storage.local.get('connections'));
    expect(JSON.stringify(stored)).toContain(emu.info.marketo.url);
    await cdp.detach();
  });

  it('a page script cannot read the panel, not even after moving it to other records', async () => {
    await sfTab.goto(recordUrl(emu.info.salesforce.url, synced[0]!));
    await panelShown(sfTab);
    const scrape = () =>
      sfTab.evaluate(() => {
        const host = document.querySelector('sync-status-panel');
        return {
          hostFound: host !== null,
          shadowRoot: host?.shadowRoot ?? null,
          text: document.body.innerText,
          html: document.documentElement.getHTML({ serializableShadowRoots: true }),
        };
      });
    const seen = [await scrape()];
    // The attack seen: pushState to other records and scrape again.
    for (const lead of synced.slice(1, 4)) {
      await sfTab.evaluate(
        (id) => history.pushState({}, '', `/lightning/r/Lead/${id}/view`),
        lead.Id as string,
      );
      await sfTab.waitForTimeout(1_500);
      seen.push(await scrape());
    }
    // What the panel shows (read the way DevTools can, to know what to look for): its header, the
    // person's Marketo id and the step that last wrote it; none of it is on the page itself.
    const cdp = await sfTab.context().newCDPSession(sfTab);
    const panel = await findPanel(cdp);
    expect(panel).toBeDefined();
    const { outerHTML: panelHtml } = await cdp.send('DOM.getOuterHTML', {
      backendNodeId: panel!.host.backendNodeId,
      includeShadowDOM: true,
    });
    await cdp.detach();
    const person = (emu.marketo.snapshot().leads as Row[]).find((p) => p.sfdcLeadIdCustom === synced[3]!.Id)!;
    const shownByPanel = ['Marketo sync', `Marketo id ${person.id as number}`];
    for (const text of shownByPanel)
      expect(panelHtml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(text);
    for (const page of seen) {
      expect(page.hostFound).toBe(true);
      expect(page.shadowRoot).toBeNull();
      for (const text of shownByPanel) {
        expect(page.text).not.toContain(text);
        expect(page.html).not.toContain(text);
      }
    }
    await sfTab.screenshot({ path: screenshotPath('attack-panel-closed.png') });
  });

  it("the panel does not mount on another origin's record page", async () => {
    const page = await ext.context.newPage();
    try {
      await page.goto(recordUrl(otherOrigin.url, synced[0]!));
      // The content script did run there (its world exists) and decided to show nothing.
      const { cdp } = await contentScriptWorld(page);
      await page.waitForTimeout(2_000);
      expect(await page.locator('sync-status-panel').count()).toBe(0);
      expect(await page.evaluate((mark) => performance.getEntriesByName(mark).length, PANEL_SHOWN_MARK)).toBe(
        0,
      );
      await cdp.detach();
    } finally {
      await page.close();
    }
  });

  it('the content script gets answers about its own record only', async () => {
    const [own, other] = synced;
    await sfTab.goto(recordUrl(emu.info.salesforce.url, own!));
    await panelShown(sfTab);
    const { cdp, run } = await contentScriptWorld(sfTab);
    const ask = (type: string, lead: Row) =>
      run(sendAs(type, { objectType: 'Lead', recordId: lead.Id })) as Promise<{
        ok: boolean;
        error?: { code: string; message: string };
        value?: { recordId?: string };
      }>;
    expect(await ask('getRecordStatus', own!)).toMatchObject({ ok: true, value: { recordId: own!.Id } });
    for (const type of ['getRecordStatus', 'syncRecord', 'replayRecord']) {
      expect(await ask(type, other!)).toEqual({
        ok: false,
        error: {
          code: 'refused-sender',
          message: 'Refused: a content script may only ask about the record of its own page',
        },
      });
    }
    // Sync now on its own record: once, then held back for a while.
    expect(await ask('syncRecord', own!)).toMatchObject({ ok: true, value: { status: 'started' } });
    await expect
      .poll(async () => ((await ask('getRecordStatus', own!)).value as { syncing?: string }).syncing, {
        timeout: 60_000,
      })
      .toBeUndefined();
    expect(await ask('syncRecord', own!)).toMatchObject({
      ok: true,
      value: { status: 'refused', reason: 'too-soon' },
    });
    await cdp.detach();
  });

  it('commands and connection messages from the content script are refused', async () => {
    await sfTab.goto(recordUrl(emu.info.salesforce.url, synced[0]!));
    await panelShown(sfTab);
    const { cdp, run } = await contentScriptWorld(sfTab);
    const data: Record<string, unknown> = { setPaused: { paused: true }, retryCause: { cause: 'Lead|X|' } };
    for (const type of [
      'syncNow',
      'setPaused',
      'getConnections',
      'getSyncState',
      'reconcileNow',
      'retryCause',
    ]) {
      const answer = (await run(sendAs(type, data[type] ?? {}))) as {
        ok: boolean;
        error?: { code: string };
      };
      expect(answer, type).toMatchObject({ ok: false, error: { code: 'refused-sender' } });
    }
    await cdp.detach();
  });

  it('page scripts cannot message the extension at all', async () => {
    await sfTab.goto(recordUrl(emu.info.salesforce.url, synced[0]!));
    await panelShown(sfTab);
    const outcome = await sfTab.evaluate(async (id) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime;
      if (typeof runtime?.sendMessage !== 'function') return 'no chrome.runtime.sendMessage';
      try {
        await (runtime.sendMessage as (id: string, m: unknown) => Promise<unknown>)(id, { type: 'syncNow' });
        return 'sent';
      } catch (error) {
        return `threw: ${String(error)}`;
      }
    }, ext.extensionId);
    expect(outcome).not.toBe('sent');
  });

  it('no secret in storage.session, IndexedDB, the settings export or the console', async () => {
    const secret = emu.info.marketo.clientSecret;
    const session = await ext.worker.evaluate(() => chrome.storage.session.get(null));
    expect(JSON.stringify(session)).not.toContain(secret);
    const everyRow = await popup.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const open = indexedDB.open('sync-log');
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const out: unknown[] = [];
      for (const name of db.objectStoreNames) {
        const rows = await new Promise<unknown[]>((ok) => {
          const request = db.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => ok(request.result);
        });
        out.push(...rows);
      }
      db.close();
      return JSON.stringify(out);
    });
    expect(everyRow.length).toBeGreaterThan(1_000);
    expect(everyRow).not.toContain(secret);
    const options = await ext.openPage('options.html');
    const [download] = await Promise.all([
      options.waitForEvent('download'),
      options.click('#exportSettings'),
    ]);
    expect(readFileSync((await download.path())!, 'utf8')).not.toContain(secret);
    await options.close();
    expect(consoleText.join('\n')).not.toContain(secret);
  });
});
