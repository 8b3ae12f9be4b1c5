// The Salesforce → Marketo backlog (docs/dashboard.md): per object, the rows the pulls still owe,
// counted with `SELECT COUNT() … WHERE <owed>` — the change probe's own condition (changes.ts) —
// all objects in one /composite call (it takes 5 queries: Lead, Contact, Account, Campaign,
// CampaignMember). The probe's composite is full with its own 5 queries, and a COUNT() answers
// with totalSize whatever the number of rows, so this is one call per fetch at any backlog.
import { z } from 'zod';
import { parseWith } from '../http/parse';
import type { Subrequest } from '../salesforce/composite';
import { subrequestBody } from '../salesforce/composite';
import { owedCondition } from './changes';
import type { CycleContext } from './context';
import { cursorKeys, parsePullCursor, readCursor } from './cursors';

/** Objects whose first pull starts at its own first run (programs/pullPosition.ts): none owed before. */
const STARTS_EMPTY = new Set(['Campaign', 'CampaignMember']);

const countSchema = z.object({ totalSize: z.number().int().nonnegative() });

/** Rows owed per Salesforce object; throws the first failed subrequest's error. */
export async function salesforceBacklog(
  ctx: CycleContext,
  sobjects: readonly string[],
): Promise<Map<string, number>> {
  const queries: { sobject: string; soql: string }[] = [];
  for (const sobject of sobjects) {
    const pull = parsePullCursor(await readCursor(ctx.db, cursorKeys.pull(sobject)));
    const deleted = Date.parse((await readCursor(ctx.db, cursorKeys.deleted(sobject))) ?? '');
    if (!pull && STARTS_EMPTY.has(sobject)) continue;
    // Never pulled (a first sync): every live row is owed.
    const where = pull ? owedCondition(pull, deleted) : 'IsDeleted = false';
    queries.push({ sobject, soql: `SELECT COUNT() FROM ${sobject} WHERE ${where}` });
  }
  const counts = new Map<string, number>();
  if (queries.length === 0) return counts;
  ctx.budget.check('salesforce');
  const version = ctx.salesforce.transport.apiVersion;
  const subrequests: Subrequest[] = queries.map((q, i) => ({
    method: 'GET',
    url: `/services/data/v${version}/queryAll?${new URLSearchParams({ q: q.soql })}`,
    referenceId: `backlog${i}`,
  }));
  const responses = await ctx.salesforce.composite(subrequests);
  responses.forEach((response, i) => {
    const { sobject } = queries[i]!;
    const body = parseWith(countSchema, subrequestBody(response), `backlog count of ${sobject}`);
    counts.set(sobject, body.totalSize);
  });
  return counts;
}
