// The idle-cycle check (design §9: an idle cycle costs ≤ 3 calls). Instead of one query per object
// and feed, every Salesforce object the cycle pulls is probed in ONE /composite call:
// `queryAll SELECT Id FROM X WHERE SystemModstamp > :cursor LIMIT 1` — queryAll so that deletions
// (which bump SystemModstamp) and conversions are seen too. Steps of an object with no change then
// finish without a call. The probe uses the high-watermark itself, not the lookback: rows that
// commit late with an older SystemModstamp are picked up by the next cycle that has any change.
import type { Subrequest } from '../salesforce/composite';
import { subrequestBody } from '../salesforce/composite';
import type { CycleContext } from './context';
import { cursorKeys, parsePullCursor, readCursor, soqlDateTime } from './cursors';

/** Objects changed since their oldest cursor; objects without cursors count as changed. */
export function salesforceChanges(ctx: CycleContext, sobjects: readonly string[]): Promise<Set<string>> {
  ctx.notes.salesforceChanges ??= probeChanges(ctx, sobjects);
  return ctx.notes.salesforceChanges;
}

export async function salesforceChanged(
  ctx: CycleContext & { resume?: boolean },
  sobject: string,
): Promise<boolean> {
  if (ctx.record || ctx.resume) return true;
  const changes = await salesforceChanges(
    ctx,
    ctx.notes.probeObjects.length ? ctx.notes.probeObjects : [sobject],
  );
  return changes.has(sobject);
}

async function probeChanges(ctx: CycleContext, sobjects: readonly string[]): Promise<Set<string>> {
  const changed = new Set<string>();
  const probes: { sobject: string; where: string }[] = [];
  for (const sobject of sobjects) {
    const pull = parsePullCursor(await readCursor(ctx.db, cursorKeys.pull(sobject)));
    const deleted = await readCursor(ctx.db, cursorKeys.deleted(sobject));
    if (!pull || !deleted) {
      changed.add(sobject);
      continue;
    }
    const deletedAt = Date.parse(deleted);
    // A pull read in a later second than its watermark saw every row stamped at the watermark, so
    // anything newer is stamped later: `>` is exact. Read in that same second ('*' in the cursor,
    // see pullUpdates), a row could still change within it and keep the stamp: ask `>=` instead.
    const where =
      deletedAt < pull.at
        ? `SystemModstamp > ${soqlDateTime(deletedAt)}`
        : `SystemModstamp ${pull.settled ? '>' : '>='} ${soqlDateTime(pull.at)}`;
    probes.push({ sobject, where });
  }
  if (probes.length === 0) return changed;
  ctx.budget.check();
  const version = ctx.salesforce.transport.apiVersion;
  const subrequests: Subrequest[] = probes.map((p, i) => ({
    method: 'GET',
    url: `/services/data/v${version}/queryAll?${new URLSearchParams({
      q: `SELECT Id FROM ${p.sobject} WHERE ${p.where} LIMIT 1`,
    })}`,
    referenceId: `probe${i}`,
  }));
  const responses = await ctx.salesforce.composite(subrequests);
  responses.forEach((response, i) => {
    const body = subrequestBody(response) as { records?: unknown[] };
    if (!Array.isArray(body?.records)) throw new Error(`probe of ${probes[i]!.sobject}: no records array`);
    if (body.records.length > 0) changed.add(probes[i]!.sobject);
  });
  return changed;
}
