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
// Steps with nothing after their cursor finish without a call. Rows that commit late with an older
// stamp are re-read by the pull's lookback on the next cycle that has any change. A step whose last
// run did not complete (runner.ts, recovery.ts) does not ask the probe at all.
import type { Subrequest } from '../salesforce/composite';
import { subrequestBody } from '../salesforce/composite';
import type { CycleContext } from './context';
import {
  afterPosition,
  cursorKeys,
  type PullPosition,
  parsePullCursor,
  readCursor,
  soqlDateTime,
} from './cursors';

/** Which operations have a backlog on an object: Pull Updates (`pull`), Pull Deletes (`deleted`). */
export interface ObjectChanges {
  pull: boolean;
  deleted: boolean;
}

export type ChangeKind = keyof ObjectChanges;

/** Per object, whether each operation has anything after its cursor; no cursor counts as changed. */
export function salesforceChanges(
  ctx: CycleContext,
  sobjects: readonly string[],
): Promise<Map<string, ObjectChanges>> {
  ctx.notes.salesforceChanges ??= probeChanges(ctx, sobjects);
  return ctx.notes.salesforceChanges;
}

/** Whether `kind`'s backlog on `sobject` is non-empty (always true when the step resumes). */
export async function salesforceChanged(
  ctx: CycleContext & { resume?: boolean },
  sobject: string,
  kind: ChangeKind = 'pull',
): Promise<boolean> {
  if (ctx.record || ctx.resume) return true;
  const changes = await salesforceChanges(
    ctx,
    ctx.notes.probeObjects.includes(sobject) ? ctx.notes.probeObjects : [sobject],
  );
  return changes.get(sobject)?.[kind] ?? true;
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

interface Probe {
  sobject: string;
  /** Delete cursor (ms), when there is one. */
  deletedFrom?: number;
  soql: string;
}

async function probeChanges(
  ctx: CycleContext,
  sobjects: readonly string[],
): Promise<Map<string, ObjectChanges>> {
  const changes = new Map<string, ObjectChanges>();
  const probes: Probe[] = [];
  for (const sobject of sobjects) {
    changes.set(sobject, { pull: true, deleted: true });
    const pull = parsePullCursor(await readCursor(ctx.db, cursorKeys.pull(sobject)));
    const deleted = Date.parse((await readCursor(ctx.db, cursorKeys.deleted(sobject))) ?? '');
    // One query per object (a composite call takes at most 5 queries): the rows still owed.
    // Not pulled yet (a first cycle): everything is owed, nothing to ask.
    if (!pull) continue;
    probes.push({
      sobject,
      ...(!Number.isNaN(deleted) && { deletedFrom: deleted }),
      soql: `SELECT Id, IsDeleted FROM ${sobject} WHERE ${owedCondition(pull, deleted)} LIMIT ${PROBE_ROWS}`,
    });
    changes.get(sobject)!.pull = false;
    if (!Number.isNaN(deleted)) changes.get(sobject)!.deleted = false;
  }
  if (probes.length === 0) return changes;
  ctx.budget.check();
  const version = ctx.salesforce.transport.apiVersion;
  const subrequests: Subrequest[] = probes.map((p, i) => ({
    method: 'GET',
    url: `/services/data/v${version}/queryAll?${new URLSearchParams({ q: p.soql })}`,
    referenceId: `probe${i}`,
  }));
  const responses = await ctx.salesforce.composite(subrequests);
  responses.forEach((response, i) => {
    const probe = probes[i]!;
    const body = subrequestBody(response) as { records?: { IsDeleted?: unknown }[] };
    if (!Array.isArray(body?.records)) throw new Error(`probe of ${probe.sobject}: no records array`);
    const found = changes.get(probe.sobject)!;
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
