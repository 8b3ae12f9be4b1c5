// The Salesforce → Marketo backlog (docs/dashboard.md): per probe target (probeTargets.ts), the rows
// the pulls still owe, counted with `SELECT COUNT() … WHERE <owed>` — the change probe's own
// condition (changes.ts `owedCondition`) — all in one /composite call. A composite call takes at
// most five queries, and the objects of issue 19 (opportunities, roles, users, account types,
// custom objects) make more: as in the probe, the targets past the fifth query are counted from the
// replication feeds (`updated/` ids after the pull position, `deleted/` records at or after the
// delete cursor), which are no queries, so the call stays one. Those count to the minute: rows of
// the pull position's minute the pull already has count too (at most a minute's worth over). A
// COUNT() answers with totalSize whatever the number of rows: one call at any backlog. A target the
// feeds cannot count (never pulled, or its cursor beyond the feeds' reach) takes a query anyway
// (composite.ts then makes a second call).
import { z } from 'zod';
import { parseWith } from '../http/parse';
import type { Subrequest } from '../salesforce/composite';
import { COMPOSITE_QUERY_LIMIT, subrequestBody } from '../salesforce/composite';
import { FEED_DELETES, FEED_REACH_MS, MINUTE, owedCondition } from './changes';
import type { CycleContext } from './context';
import { cursorKeys, parsePullCursor, parseSalesforceDate, readCursor, soqlDateTime } from './cursors';
import { probeSobject } from './probeTargets';

/** Objects whose first pull starts at its own first run (programs/pullPosition.ts): none owed before. */
const STARTS_EMPTY = new Set(['Campaign', 'CampaignMember']);

const countSchema = z.object({ totalSize: z.number().int().nonnegative() });
const updatedSchema = z.object({ ids: z.array(z.string()) });
const deletedSchema = z.object({ deletedRecords: z.array(z.object({ deletedDate: z.string() })) });

interface Count {
  target: string;
  kind: 'query' | 'updated' | 'deleted';
  /** deleted/: the delete cursor (ms); records before it are not owed. */
  deletedFrom?: number;
  url: string;
}

export interface SalesforceBacklog {
  /** Rows owed per probe target. */
  counts: Map<string, number>;
  /** Targets a subrequest could not count, with the reason (a custom object deleted in Setup…). */
  failed: { target: string; error: unknown }[];
}

/** Rows owed per probe target; one target's failed subrequest leaves it out, named in `failed`. */
export async function salesforceBacklog(
  ctx: CycleContext,
  targets: readonly string[],
): Promise<SalesforceBacklog> {
  const base = `/services/data/v${ctx.salesforce.transport.apiVersion}`;
  const now = ctx.clock.now();
  const counts: Count[] = [];
  let queries = 0;
  /** A feed window from `from` to now, or undefined past the feed's reach. */
  const window = (kind: 'updated' | 'deleted', from: number) => {
    // Whole minutes; a start more than a minute before the end (a shorter window widens to 2 minutes).
    const start = Math.min(
      Math.floor(from / MINUTE) * MINUTE,
      Math.floor(now / MINUTE) * MINUTE - 2 * MINUTE,
    );
    if (now - start > FEED_REACH_MS[kind]) return undefined;
    return new URLSearchParams({ start: soqlDateTime(start), end: soqlDateTime(now) });
  };
  for (const target of targets) {
    const sobject = probeSobject(target);
    const pull = parsePullCursor(await readCursor(ctx.db, cursorKeys.pull(target)));
    const deleted = Date.parse((await readCursor(ctx.db, cursorKeys.deleted(target))) ?? '');
    if (!pull && STARTS_EMPTY.has(sobject)) continue;
    // A role deleted on its own never shows IsDeleted (api-facts E1): only the feed sees it.
    const deletedWindow = Number.isNaN(deleted) ? undefined : window('deleted', deleted);
    const deletedFeed = (range: URLSearchParams) =>
      counts.push({
        target,
        kind: 'deleted',
        deletedFrom: deleted,
        url: `${base}/sobjects/${sobject}/deleted/?${range}`,
      });
    const updatedWindow = pull && window('updated', pull.at);
    const feedsCount = updatedWindow && (Number.isNaN(deleted) || deletedWindow);
    if (queries < COMPOSITE_QUERY_LIMIT || !feedsCount) {
      queries++;
      const byFeed = FEED_DELETES.has(sobject);
      // Never pulled (a first sync): every live row is owed.
      const where = pull ? owedCondition(pull, byFeed ? Number.NaN : deleted) : 'IsDeleted = false';
      counts.push({
        target,
        kind: 'query',
        url: `${base}/queryAll?${new URLSearchParams({ q: `SELECT COUNT() FROM ${sobject} WHERE ${where}` })}`,
      });
      if (pull && byFeed && deletedWindow) deletedFeed(deletedWindow);
      continue;
    }
    counts.push({ target, kind: 'updated', url: `${base}/sobjects/${sobject}/updated/?${updatedWindow}` });
    if (deletedWindow) deletedFeed(deletedWindow);
  }
  const out: SalesforceBacklog = { counts: new Map(), failed: [] };
  if (counts.length === 0) return out;
  ctx.budget.check('salesforce');
  const subrequests: Subrequest[] = counts.map((c, i) => ({
    method: 'GET',
    url: c.url,
    referenceId: `backlog${i}`,
  }));
  const responses = await ctx.salesforce.composite(subrequests);
  const failed = new Set<string>();
  responses.forEach((response, i) => {
    const count = counts[i]!;
    const what = `backlog count of ${count.target} (${count.kind})`;
    let n: number;
    try {
      const body = subrequestBody(response);
      if (count.kind === 'query') n = parseWith(countSchema, body, what).totalSize;
      else if (count.kind === 'updated') n = parseWith(updatedSchema, body, what).ids.length;
      else
        n = parseWith(deletedSchema, body, what).deletedRecords.filter(
          (d) => !(parseSalesforceDate(d.deletedDate) < count.deletedFrom!),
        ).length;
    } catch (error) {
      if (!failed.has(count.target)) out.failed.push({ target: count.target, error });
      failed.add(count.target);
      return;
    }
    out.counts.set(count.target, (out.counts.get(count.target) ?? 0) + n);
  });
  for (const target of failed) out.counts.delete(target);
  return out;
}
