import type { Page } from 'playwright-core';

/** A node of Chromium's accessibility tree, as a screen reader reads it. */
export interface AxNode {
  role: string;
  name: string;
  focused: boolean;
  disabled: boolean;
  expanded?: boolean;
  invalid?: string;
  description?: string;
}

interface RawAxNode {
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  description?: { value: string };
  properties?: { name: string; value: { value: unknown } }[];
}

/**
 * The page's whole accessibility tree (CDP Accessibility.getFullAXTree). It is built from the
 * flattened tree, so it reads into shadow roots, closed ones included, as assistive technology does.
 */
export async function accessibilityTree(page: Page): Promise<AxNode[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: RawAxNode[] };
    return nodes
      .filter((n) => !n.ignored)
      .map((n) => {
        const prop = (name: string) => n.properties?.find((p) => p.name === name)?.value.value;
        return {
          role: n.role?.value ?? '',
          name: n.name?.value ?? '',
          focused: prop('focused') === true,
          disabled: prop('disabled') === true,
          ...(prop('expanded') !== undefined && { expanded: prop('expanded') === true }),
          ...(prop('invalid') !== undefined && { invalid: String(prop('invalid')) }),
          ...(n.description?.value && { description: n.description.value }),
        };
      });
  } finally {
    await cdp.detach();
  }
}

/** The focused node's role and name ("button Sync now"), or "none" when nothing has focus. */
export async function focusedControl(page: Page): Promise<string> {
  const focused = (await accessibilityTree(page)).filter((n) => n.focused && n.role !== 'RootWebArea');
  const last = focused.at(-1);
  return last ? `${last.role} ${last.name}`.trim() : 'none';
}

/** The names of the controls with a role (buttons, links, textboxes…), in document order. */
export async function namesOf(page: Page, role: string): Promise<string[]> {
  return (await accessibilityTree(page)).filter((n) => n.role === role).map((n) => n.name);
}

/** Presses Tab until the focused control matches, returning how many presses it took. */
export async function tabTo(page: Page, control: string, max = 80): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if ((await focusedControl(page)) === control) return presses;
  }
  throw new Error(`${control} not reached in ${max} Tab presses (at: ${await focusedControl(page)})`);
}
