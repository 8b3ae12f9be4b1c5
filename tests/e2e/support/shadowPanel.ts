import type { CDPSession, Page } from 'playwright-core';

// The record panel lives in a shadow root that page scripts may not be able to open (issue 16
// makes it closed). The DevTools protocol sees through any shadow root, so these helpers read the
// panel that way: its rendered markup, a clone of its DOM for axe, and its elements' boxes and
// styles. Nothing in the extension is opened up for the tests.

interface DomNode {
  nodeId: number;
  backendNodeId: number;
  localName?: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

function findHost(node: DomNode, name: string): DomNode | undefined {
  if (node.localName === name) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findHost(child, name);
    if (found) return found;
  }
  return undefined;
}

/** The panel's host element and its (closed) shadow root as CDP sees them, when the page has a panel. */
export async function findPanel(cdp: CDPSession): Promise<{ host: DomNode; shadow: DomNode } | undefined> {
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const host = findHost(root, 'sync-status-panel');
  const shadow = host?.shadowRoots?.[0];
  return host && shadow ? { host, shadow } : undefined;
}

async function withShadowRoot<T>(
  page: Page,
  use: (cdp: CDPSession, root: DomNode) => Promise<T>,
): Promise<T | undefined> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const panel = await findPanel(cdp);
    return panel ? await use(cdp, panel.shadow) : undefined;
  } finally {
    await cdp.detach();
  }
}

/** The markup inside the panel's shadow root (its <style> included), or undefined without a panel. */
export function panelMarkup(page: Page): Promise<string | undefined> {
  return withShadowRoot(page, async (cdp, shadow) => {
    const parts: string[] = [];
    for (const child of shadow.children ?? []) {
      const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { nodeId: child.nodeId })) as {
        outerHTML: string;
      };
      parts.push(outerHTML);
    }
    return parts.join('');
  });
}

/** The panel's data-state ("synced", "loading", …), read from its markup. */
export async function panelState(page: Page): Promise<string | undefined> {
  return /class="panel[^"]*"[^>]*data-state="([^"]+)"/.exec((await panelMarkup(page)) ?? '')?.[1];
}

/** An element's box (border box, viewport pixels) and some computed styles, inside the panel. */
export function panelElement(page: Page, selector: string, styles: string[] = []) {
  return withShadowRoot(page, async (cdp, shadow) => {
    const { nodeId } = (await cdp.send('DOM.querySelector', { nodeId: shadow.nodeId, selector })) as {
      nodeId: number;
    };
    if (!nodeId) return undefined;
    const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { border: number[] } };
    await cdp.send('CSS.enable');
    const { computedStyle } = (await cdp.send('CSS.getComputedStyleForNode', { nodeId })) as {
      computedStyle: { name: string; value: string }[];
    };
    const style = Object.fromEntries(
      computedStyle.filter((p) => styles.includes(p.name)).map((p) => [p.name, p.value]),
    );
    return { x: model.border[0]!, y: model.border[1]!, style };
  });
}

/**
 * Puts a deep clone of the panel's shadow-root content into an open shadow root on the same page
 * (`#panel-copy`), where axe can audit it (axe reaches into open shadow roots only), and hides the
 * panel itself meanwhile. Cloned nodes, not re-parsed markup: the HTML parser would rebuild what
 * Preact nests differently (a <details> inside a <p>), so the copy is the DOM the user has, laid
 * out on the same page with the panel's own <style>. `removePanelCopy` undoes it.
 */
export async function copyPanelForAudit(page: Page): Promise<void> {
  const copied = await withShadowRoot(page, async (cdp, shadow) => {
    const { object } = (await cdp.send('DOM.resolveNode', { nodeId: shadow.nodeId })) as {
      object: { objectId: string };
    };
    await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: `function () {
        const host = document.createElement('div');
        host.id = 'panel-copy';
        const root = host.attachShadow({ mode: 'open' });
        for (const child of this.childNodes) root.append(child.cloneNode(true));
        this.host.style.setProperty('visibility', 'hidden', 'important');
        document.body.append(host);
      }`,
    });
    return true;
  });
  if (!copied) throw new Error('No record panel on the page');
}

export async function removePanelCopy(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.getElementById('panel-copy')?.remove();
    document.querySelector<HTMLElement>('sync-status-panel')?.style.removeProperty('visibility');
  });
}
