// Issue 22: the record panel (injected into Salesforce pages) by keyboard and screen reader: axe-core
// (WCAG 2.1 A/AA) on every state it shows, a labelled region with a heading, a visible focus ring,
// focus kept on the header and on Sync now, moves by arrow keys, and its own live region. The
// panel is read through the DevTools protocol (support/shadowPanel.ts), which works whether its
// shadow root is open or closed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_LABEL } from '../../components/RecordPanel';
import { type LoadedExtension, launchWithExtension } from '../../scripts/browser';
import { LOGGED, lead, NOT_LINKED, panelStateRows } from './record-panel.fixtures';
import { accessibilityTree, focusedControl } from './support/accessibility';
import { axeViolations } from './support/axe';
import { putRows } from './support/idb';
import { screenshotPath } from './support/screenshots';
import { type LocalServer, serveLocal } from './support/server';
import {
  copyPanelForAudit,
  panelElement,
  panelMarkup,
  panelState,
  removePanelCopy,
} from './support/shadowPanel';

const lightningPage = () => `<!doctype html><html lang="en"><head><title>Lead</title></head><body>
<main><h1>Lead</h1><a href="/lightning/o/Lead/list">Leads</a></main></body></html>`;

describe('record panel accessibility', () => {
  let ext: LoadedExtension;
  let site: LocalServer;
  let page: Page;
  beforeAll(async () => {
    ext = await launchWithExtension();
    site = await serveLocal((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(lightningPage());
    });
    const popup = await ext.openPage('popup.html');
    await popup.waitForSelector('.empty');
    await putRows(popup, panelStateRows(Date.now() - 60_000));
    // The panel shows only on the connected org's pages: this site stands in for its My Domain.
    await popup.evaluate(
      (instanceUrl) =>
        chrome.storage.local.set({ connections: { salesforce: { mode: 'session', instanceUrl } } }),
      site.url,
    );
    await popup.close();
    page = await ext.context.newPage();
  });
  afterAll(async () => {
    await site?.close();
    await ext?.close();
  });

  async function openLead(id: string, state: string) {
    await page.goto(`${site.url}/lightning/r/Lead/${id}/view`);
    await expect.poll(() => panelState(page), { timeout: 15_000 }).toBe(state);
  }
  /** axe on a clone of the panel as rendered now, in its place (see support/shadowPanel.ts). */
  async function auditPanel(): Promise<unknown[]> {
    await copyPanelForAudit(page);
    try {
      return await axeViolations(page, '#panel-copy');
    } finally {
      await removePanelCopy(page);
    }
  }
  const liveText = async () =>
    />([^<]*)<\/p>/.exec(
      /<p[^>]*role="status"[^>]*>[^<]*<\/p>/.exec((await panelMarkup(page)) ?? '')?.[0] ?? '',
    )?.[1];

  it('passes axe in every state the log gives, and not linked', async () => {
    const found: Record<string, unknown[]> = {};
    for (const { state, outcome } of LOGGED) {
      await openLead(outcome.sfId, state);
      expect(await panelMarkup(page)).toContain('Error details');
      found[state] = await auditPanel();
    }
    await openLead(NOT_LINKED, 'not-linked');
    found['not-linked'] = await auditPanel();
    const expected = Object.fromEntries(Object.keys(found).map((k) => [k, []]));
    expect(found).toEqual(expected);
    expect(Object.keys(found)).toHaveLength(8);
  });

  it('gives every badge, including the live-check states, text with enough contrast', async () => {
    await openLead(NOT_LINKED, 'not-linked');
    const found: Record<string, unknown[]> = {};
    await copyPanelForAudit(page);
    try {
      for (const [state, label] of Object.entries(STATE_LABEL)) {
        const shown = await page.evaluate(
          ([state, label]) => {
            const badge = document.getElementById('panel-copy')!.shadowRoot!.querySelector('.badge')!;
            badge.className = `badge ${state}`;
            badge.textContent = label;
            return getComputedStyle(badge).backgroundColor;
          },
          [state, label] as const,
        );
        expect(shown).not.toBe('rgba(0, 0, 0, 0)');
        found[state] = await axeViolations(page, '#panel-copy');
      }
    } finally {
      await removePanelCopy(page);
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(STATE_LABEL).map((k) => [k, []])));
  });

  it('is a region named Marketo sync, with a heading, reached by Tab', async () => {
    await openLead(lead(1), 'synced');
    const tree = await accessibilityTree(page);
    expect(tree.filter((n) => n.role === 'region').map((n) => n.name)).toEqual(['Marketo sync']);
    expect(tree.some((n) => n.role === 'heading' && n.name.startsWith('Marketo sync'))).toBe(true);
    await page.focus('main a');
    await page.keyboard.press('Tab');
    expect(await focusedControl(page)).toBe('button Marketo sync Synced');
  });

  it('shows a focus ring on its header and keeps focus there when it collapses and expands', async () => {
    const head = await panelElement(page, '.head', ['outline-style', 'outline-color']);
    expect(head?.style['outline-style']).toBe('solid');
    await page.screenshot({ path: screenshotPath('a11y-panel-head-focused.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => panelMarkup(page)).toContain('class="panel collapsed"');
    expect(await focusedControl(page)).toBe('button Marketo sync Synced');
    const collapsed = (await accessibilityTree(page)).find(
      (n) => n.role === 'button' && n.name === 'Marketo sync Synced',
    );
    expect(collapsed?.expanded).toBe(false);
    expect(await auditPanel()).toEqual([]);
    await page.screenshot({ path: screenshotPath('a11y-panel-collapsed-focused.png') });
    await page.keyboard.press('Space');
    await expect.poll(() => panelMarkup(page)).toContain('class="panel"');
    expect(await focusedControl(page)).toBe('button Marketo sync Synced');
  });

  it('moves by the arrow keys on its header', async () => {
    const before = (await panelElement(page, '.panel'))!;
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await panelElement(page, '.panel'))!.x).toBe(before.x - 40);
    expect((await panelElement(page, '.panel'))!.y).toBe(before.y - 20);
    expect(await focusedControl(page)).toBe('button Marketo sync Synced');
  });

  it('keeps focus on Sync now and says the result through its live region', async () => {
    expect(await liveText()).toBe('');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 10 && !(await focusedControl(page)).startsWith('button Sync now'); i++)
      await page.keyboard.press('Tab');
    expect(await focusedControl(page)).toBe('button Sync now');
    await page.keyboard.press('Enter');
    await expect.poll(liveText, { timeout: 20_000 }).toMatch(/^Sync (now refused|now failed|finished)/);
    expect(await focusedControl(page)).toMatch(/^button Sync(ing…| now)$/);
    expect(await auditPanel()).toEqual([]);
    await page.screenshot({ path: screenshotPath('a11y-panel-sync-now.png') });
  });

  it('passes axe for a non-admin', async () => {
    await ext.worker.evaluate(async (instanceUrl) => {
      await chrome.storage.local.set({
        connections: {
          salesforce: {
            mode: 'session',
            instanceUrl,
            user: { id: '005000000000001AAA', username: 'rep@acme.com', displayName: 'Rep', isAdmin: false },
          },
        },
      });
    }, site.url);
    await openLead(lead(1), 'admin-required');
    expect(await auditPanel()).toEqual([]);
    const tree = await accessibilityTree(page);
    expect(tree.filter((n) => n.role === 'region').map((n) => n.name)).toEqual(['Marketo sync']);
  });
});
