// The idle-cycle check (design §9: an idle cycle costs ≤ 3 calls). Instead of one query per object
// and feed, every Salesforce object the cycle pulls is probed in ONE /composite call, each
// operation against its OWN cursor (design §10: no step skips its backlog because another saw
// nothing):
// - Pull Updates: live rows after the pull position (SystemModstamp, Id) — exact however many rows
//   share one second (cursors.ts);
// - Pull Deletes: deleted rows stamped at or after the delete cursor — the deletions the `deleted/`
//   feed has not covered yet (a deletion bumps SystemModstamp). Told apart from the pull's, so a
//   delete cursor that lags (latestDateCovered is a whole minute behind) does not make every cycle
//   of that minute re-read the object (it did: 4 Salesforce calls per back-to-back idle cycle).
// Both are asked in one queryAll per object (`… WHERE (pull) OR (deleted) LIMIT 100`).
// A composite call takes at most five queries, and the objects of issue 19 (opportunities, roles,
// users, account types, custom objects) make more than five. The first five probes (in the plan's
// order: persons, accounts, campaigns first) are queries; the others ask the replication feeds
// `updated/` and `deleted/` in the same call — they are not queries, so the call stays one
// (docs/objects.md "Idle cost"). Those answer to the minute: a feed probe may say "changed" for
// rows the pull already has (the pull then reads and finds nothing new, and moves its position up to
// the read, so the next probe is quiet), never "unchanged" for a row after the position.
// Steps with nothing after their cursor finish without a call. Rows that commit late with an older
// stamp are re-read by the pull's lookback on the next cycle that has any change. A step whose last
// run did not complete (runner.ts, recovery.ts) does not ask the probe at all.
import type { Subrequest } from '../salesforce/composite';
import { COMPOSITE_QUERY_LIMIT, subrequestBody } from '../salesforce/composite';
import type { CycleContext } from './context';
import {
  afterPosition,
  cursorKeys,
  type PullPosition,
  parsePullCursor,
  parseSalesforceDate,
  readCursor,
  soqlDateTime,
} from './cursors';
import { probeSobject } from './probeTargets';

/** Which operations have a backlog on an object: Pull Updates (`pull`), Pull Deletes (`deleted`). */
export interface ObjectChanges {
  pull: boolean;
  deleted: boolean;
}

export type ChangeKind = keyof ObjectChanges;

/** Per probe target, whether each operation has anything after its cursor; no cursor counts as changed. */
export function salesforceChanges(
  ctx: CycleContext,
  targets: readonly string[],
): Promise<Map<string, ObjectChanges>> {
  ctx.notes.salesforceChanges ??= probeChanges(ctx, targets);
  return ctx.notes.salesforceChanges;
}

/**
 * Whether `kind`'s backlog on a probe target (an object, or `AccountType`: probeTargets.ts) is
 * non-empty (always true when the step resumes).
 */
export async function salesforceChanged(
  ctx: CycleContext & { resume?: boolean },
  target: string,
  kind: ChangeKind = 'pull',
): Promise<boolean> {
  if (ctx.record || ctx.resume) return true;
  const changes = await salesforceChanges(
    ctx,
    ctx.notes.probeObjects.includes(target) ? ctx.notes.probeObjects : [target],
  );
  return changes.get(target)?.[kind] ?? true;
}

/**
 * The rows of an object still owed to Marketo (a queryAll condition): live rows after the pull
 * position, and deleted rows the delete feed has not covered — it covers deletions before its
 * latestDateCovered, so those stamped `>=` the delete cursor (ms; NaN: none yet) are owed. The
 * probe asks whether any match; the hourly backlog count (backlog.ts) counts them.
 */
export function owedCondition(pull: PullPosition, deletedFrom: number): string {
  return [
    `(IsDeleted = false AND ${afterPosition(pull)})`,
    ...(Number.isNaN(deletedFrom)
      ? []
      : [`(IsDeleted = true AND SystemModstamp >= ${soqlDateTime(deletedFrom)})`]),
  ].join(' OR ');
}

/** Rows a probe reads: enough to tell both kinds apart in the usual case, small enough to be cheap. */
const PROBE_ROWS = 100;
export const MINUTE = 60_000;
/** The updated/ feed reaches back 30 days, deleted/ 15 (api-facts A6); keep a day's margin. */
export const FEED_REACH_MS = { updated: 29 * 24 * 60 * MINUTE, deleted: 14 * 24 * 60 * MINUTE };
/** Objects whose deletions only the deleted/ feed shows. */
export const FEED_DELETES = new Set(['OpportunityContactRole']);

interface Probe {
  target: string;
  kind: 'query' | 'updated' | 'deleted';
  /** Delete cursor (ms), when there is one. */
  deletedFrom?: number;
  url: string;
}

async function probeChanges(
  ctx: CycleContext,
  targets: readonly string[],
): Promise<Map<string, ObjectChanges>> {
  const changes = new Map<string, ObjectChanges>();
  const probes: Probe[] = [];
  const version = ctx.salesforce.transport.apiVersion;
  const base = `/services/data/v${version}`;
  const now = ctx.clock.now();
  let queries = 0;
  for (const target of targets) {
    const sobject = probeSobject(target);
    changes.set(target, { pull: true, deleted: true });
    const pull = parsePullCursor(await readCursor(ctx.db, cursorKeys.pull(target)));
    const deleted = Date.parse((await readCursor(ctx.db, cursorKeys.deleted(target))) ?? '');
    // Not pulled yet (a first cycle): everything is owed, nothing to ask.
    if (!pull) continue;
    const found = changes.get(target)!;
    const feed = (kind: 'updated' | 'deleted', from: number) => {
      // The feeds take whole minutes, a start more than a minute before the end, and only so far
      // back (older: the step reads for itself). A window too short to ask holds nothing the feed
      // could report yet (it covers whole minutes before now): the step waits for a later cycle,
      // its cursor unmoved, so nothing is lost — at most a minute late.
      const start = Math.floor(from / MINUTE) * MINUTE;
      if (now - start > FEED_REACH_MS[kind]) return false;
      if (now - start < 2 * MINUTE) return true;
      const range = new URLSearchParams({ start: soqlDateTime(start), end: soqlDateTime(now) });
      probes.push({
        target,
        kind,
        ...(kind === 'deleted' && { deletedFrom: from }),
        url: `${base}/sobjects/${sobject}/${kind}/?${range}`,
      });
      return true;
    };
    // A role deleted on its own never shows IsDeleted (api-facts E1): only the feed sees it.
    const deletesByQuery = !FEED_DELETES.has(sobject);
    if (queries < COMPOSITE_QUERY_LIMIT) {
      queries++;
      // The rows still owed (owedCondition, shared with the hourly backlog count); deletions only
      // where the query can see them.
      const askDeleted = deletesByQuery && !Number.isNaN(deleted);
      const owed = owedCondition(pull, askDeleted ? deleted : Number.NaN);
      const soql = `SELECT Id, IsDeleted FROM ${sobject} WHERE ${owed} LIMIT ${PROBE_ROWS}`;
      probes.push({
        target,
        kind: 'query',
        ...(askDeleted && { deletedFrom: deleted }),
        url: `${base}/queryAll?${new URLSearchParams({ q: soql })}`,
      });
      found.pull = false;
      if (askDeleted) found.deleted = false;
    } else if (feed('updated', pull.at)) found.pull = false;
    // Deletions the query did not ask about: the feed.
    if (!Number.isNaN(deleted) && found.deleted && feed('deleted', deleted)) found.deleted = false;
  }
  if (probes.length === 0) return changes;
  ctx.budget.check();
  const subrequests: Subrequest[] = probes.map((p, i) => ({
    method: 'GET',
    url: p.url,
    referenceId: `probe${i}`,
  }));
  const responses = await ctx.salesforce.composite(subrequests);
  responses.forEach((response, i) => {
    const probe = probes[i]!;
    const found = changes.get(probe.target)!;
    if (probe.kind !== 'query') {
      // A feed that cannot answer (the object is not replicateable, a window it refuses) says
      // nothing: the step reads for itself.
      if (response.httpStatusCode >= 400) {
        found[probe.kind === 'updated' ? 'pull' : 'deleted'] = true;
        return;
      }
      const body = subrequestBody(response) as {
        ids?: unknown[];
        deletedRecords?: { deletedDate?: string }[];
      };
      if (probe.kind === 'updated') found.pull = !Array.isArray(body?.ids) || body.ids.length > 0;
      else
        found.deleted =
          !Array.isArray(body?.deletedRecords) ||
          body.deletedRecords.some((d) => !(parseSalesforceDate(d.deletedDate) < probe.deletedFrom!));
      return;
    }
    // A query the probe cannot ask (a custom object deleted in Setup, a field gone) says nothing
    // either: the steps read for themselves and report their own error.
    if (response.httpStatusCode >= 400) {
      found.pull = true;
      found.deleted = true;
      return;
    }
    const body = subrequestBody(response) as { records?: { IsDeleted?: unknown }[] };
    if (!Array.isArray(body?.records)) throw new Error(`probe of ${probe.target}: no records array`);
    for (const row of body.records) {
      if (row.IsDeleted === true) found.deleted = true;
      else found.pull = true;
    }
    // A full answer may hide the other kind behind the rows it returned: count it as changed.
    if (body.records.length >= PROBE_ROWS) {
      found.pull = true;
      found.deleted = true;
    }
  });
  return changes;
}
