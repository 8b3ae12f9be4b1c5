import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rule sets issue 22 holds every page to: WCAG 2.0 and 2.1, levels A and AA. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One failed rule, with the elements it failed on (CSS paths) and axe's reason for the first. */
export interface AxeFinding {
  rule: string;
  impact: string | null | undefined;
  targets: string[];
  why: string;
}

/**
 * Runs axe-core on the page (open shadow roots included). The source is evaluated through the
 * DevTools protocol, which extension pages' CSP (script-src 'self') does not apply to, where a
 * <script> tag would be refused. Returns the violations, empty when the page passes.
 */
export async function axeViolations(page: Page, include?: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, include }) => {
      const axe = (window as unknown as { axe: AxeApi }).axe;
      const result = await axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        targets: v.nodes.map((n) => n.target.join(' >> ')),
        why: v.nodes[0]?.failureSummary ?? v.help,
      }));
    },
    { tags: WCAG_21_AA, include },
  );
}

/** The part of axe's API used here (its typings live in the page, not in Node). */
interface AxeApi {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{
    violations: {
      id: string;
      impact?: string | null;
      help: string;
      nodes: { target: string[]; failureSummary?: string }[];
    }[];
  }>;
}
