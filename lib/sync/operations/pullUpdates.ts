// Pull Updates (design §5): Salesforce rows changed since the cursor → Marketo persons. Streams
// the delta query a page at a time (the next page is fetched while this one is handled): hash the
// mapped values, skip what is unchanged, exclude what the sync filter field excludes, write the
// rest in calls of 300 (personWriter.ts), and commit outcomes + sync state + cursor in one
// transaction per call. The cursor is a position (SystemModstamp, Id) (cursors.ts): the read starts
// a lookback window behind it and the position moves to the end of the written prefix, so a step
// stopped anywhere resumes after its last committed call, even inside one second of an import.
// Failed records are retried here too, when their backoff is due.
import type { PackedOutcome } from '../../db/types';
import { salesforceChanged } from '../changes';
import type { StepContext } from '../context';
import {
  cursorKeys,
  formatPullCursor,
  LOOKBACK_MS,
  type PullPosition,
  parsePullCursor,
  parseSalesforceDate,
  readCursor,
  settledPosition,
  soqlDateTime,
} from '../cursors';
import { unreadableFieldWarning, unreadableMappedFields, withVanishedColumns } from '../fieldAccess';
import { resolveLinkFields } from '../linkage';
import { resolveMapping } from '../mapping';
import type { OperationModule } from '../plan';
import { retriesToRun } from '../retryPause';
import { chunks, readAhead, stepsFor } from './common';
import { ownerLink } from './objects/ownerLink';
import { PersonWriter, type PullCheckpoint, positionOf } from './personWriter';
import { pullAccounts } from './pullAccounts';
import type { PullRow, PullSetup } from './pullBatch';
import { pullDrifted } from './reconcileRepair';

/** Takes a stream's pages one by one; finish() after the last, settle() always (also on failure). */
interface PageSink {
  add(rows: PullRow[]): Promise<void>;
  finish(): Promise<void>;
  settle(): Promise<void>;
  /** Position of the last row added so far. */
  readonly last: PullPosition | undefined;
}

function pageSink(ctx: StepContext, setup: PullSetup, checkpoint?: PullCheckpoint): PageSink {
  if (setup.sobject !== 'Account') return new PersonWriter(ctx, setup, checkpoint);
  // Accounts: one page, one commit (their writes fan out to persons, see pullAccounts.ts).
  let last: PullPosition | undefined;
  return {
    async add(rows) {
      const end = rows.at(-1);
      if (end) last = positionOf(end);
      await pullAccounts(ctx, setup, rows, last && checkpoint?.format(last));
    },
    finish: async () => {},
    settle: async () => {},
    get last() {
      return last;
    },
  };
}

/** Feeds the pages of `soql` to a sink; the sink's last commit is waited for even when a page fails. */
async function stream(ctx: StepContext, sink: PageSink, soql: string, onPage?: (rows: PullRow[]) => void) {
  try {
    for await (const page of readAhead(ctx.salesforce.query(soql), () => ctx.budget.check())) {
      onPage?.(page.records as PullRow[]);
      await sink.add(page.records as PullRow[]);
    }
    await sink.finish();
  } finally {
    await sink.settle().catch(() => {});
  }
}

export const pullUpdates: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) => stepsFor('Pull Updates', scope, ['Account', 'Lead', 'Contact']),
  // A mapped column that vanished (field-level security changed) costs one re-describe and a
  // warning on the step, not the step (fieldAccess.ts).
  run: (ctx) => withVanishedColumns(ctx, () => pullAll.run(ctx)),
};

/** The step's reads, built from the cycle's schema each time they start. */
const pullAll = {
  async run(ctx: StepContext) {
    const setup = await pullSetup(ctx);
    if (ctx.record) {
      const retry = { ...setup, retry: true };
      await stream(ctx, pageSink(ctx, retry), selectWhere(retry, `Id = '${ctx.record.id}'`));
      return;
    }
    await retryDue(ctx, setup);
    // Records Reconcile found drifted (their state already says what Marketo really holds).
    await pullDrifted(ctx, (readCtx, ids) =>
      stream(
        readCtx,
        pageSink(readCtx, setup),
        selectWhere(setup, `Id IN (${ids.map((id) => `'${id}'`).join(',')})`),
      ),
    );
    if (!(await salesforceChanged(ctx, ctx.step.sobject))) return;

    const key = cursorKeys.pull(ctx.step.sobject);
    const stored = await readCursor(ctx.db, key);
    const cursor = parsePullCursor(stored);
    // The read covers every row after the position and, behind it, the lookback window: a row whose
    // transaction committed late carries an earlier stamp than rows already applied. Whatever the
    // window brings again hashes as unchanged. Rows stream in (SystemModstamp, Id) order, the order
    // positions are in, so the position of the written prefix is exact wherever the read stops.
    const where = cursor ? `SystemModstamp > ${soqlDateTime(cursor.at - LOOKBACK_MS)}` : undefined;
    const readStartedAt = ctx.clock.now();
    const sink = pageSink(ctx, setup, {
      key,
      stored,
      format: (last) => formatPullCursor(settledPosition(last, readStartedAt)),
    });
    const readSecond = Math.floor(readStartedAt / 1000);
    // Rows stamped in the read's own second, as read (every selected field): the re-read of that
    // second (settleSecond) skips the ones still exactly so.
    const inReadSecond = new Map<string, string>();
    await stream(ctx, sink, selectWhere(setup, where, 'ORDER BY SystemModstamp, Id'), (rows) => {
      // The page is in SystemModstamp order: rows of the read's second (and any stamped after it)
      // are at its end, so the dates are parsed from the end back to the first earlier one.
      for (let i = rows.length - 1; i >= 0; i--) {
        const second = Math.floor(parseSalesforceDate(rows[i]!.SystemModstamp) / 1000);
        if (second < readSecond) break;
        if (second === readSecond) inReadSecond.set(rows[i]!.Id, JSON.stringify(rows[i]));
      }
    });
    if (inReadSecond.size) await settleSecond(ctx, setup, key, readSecond * 1000, inReadSecond);
    if (!cursor && sink.last === undefined) {
      // Nothing in the object yet: watch from this read's second on (a row stamped in it before the
      // read would have been read), so the probe does not treat "no cursor" as "changed" each cycle.
      await ctx.commit({
        outcomes: [],
        cursor: { key, value: formatPullCursor({ at: Math.floor(readStartedAt / 1000) * 1000 }) },
      });
    }
  },
};

/**
 * The read reached rows stamped in its own second, so its position keeps that second open (a row
 * changed later in it keeps the stamp, cursors.ts) and every following cycle's probe would see it
 * until some read began after it — each back-to-back cycle a query or two. Instead the step waits
 * for that second to end (at most a second) and reads it once more, which settles the position.
 * A clock that does not move (tests) leaves the second open: the next cycle re-reads it.
 */
async function settleSecond(
  ctx: StepContext,
  setup: PullSetup,
  key: string,
  second: number,
  handled: Map<string, string>,
): Promise<void> {
  await ctx.clock.sleep(Math.max(0, second + 1000 - ctx.clock.now()) + 5);
  const readStartedAt = ctx.clock.now();
  if (readStartedAt < second + 1000) return;
  // A row this step already logged as skipped or excluded, found so again, is not logged twice.
  const again = (o: PackedOutcome) =>
    handled.has(o.sfId) && (o.outcome === 'skipped' || o.outcome === 'excluded');
  const quiet: StepContext = {
    ...ctx,
    commit: (batch) => ctx.commit({ ...batch, outcomes: batch.outcomes.filter((o) => !again(o)) }),
  };
  const seenUnchanged = (row: PullRow) => handled.get(row.Id) === JSON.stringify(row);
  const sink = pageSink(
    quiet,
    { ...setup, seenUnchanged },
    {
      key,
      stored: await readCursor(ctx.db, key),
      format: (last) => formatPullCursor(settledPosition(last, readStartedAt)),
    },
  );
  const where = `SystemModstamp >= ${soqlDateTime(second)}`;
  await stream(quiet, sink, selectWhere(setup, where, 'ORDER BY SystemModstamp, Id'));
}

export async function pullSetup(ctx: StepContext): Promise<PullSetup> {
  const { sobject } = ctx.step;
  const salesforce = await ctx.schema.salesforce(sobject);
  const marketo = await ctx.schema.marketo();
  const mapping = resolveMapping(ctx.settings.objects[sobject], salesforce, marketo);
  for (const field of unreadableMappedFields(ctx.settings.objects[sobject], salesforce, ['pull', 'both']))
    ctx.warn(unreadableFieldWarning(sobject, field));
  const filterField = ctx.settings.syncFilterField;
  const hasFilter =
    !!filterField && sobject !== 'Account' && salesforce.fields.some((f) => f.name === filterField);
  const accountFields =
    sobject === 'Contact' && ctx.settings.objects.Account?.enabled
      ? resolveMapping(ctx.settings.objects.Account, await ctx.schema.salesforce('Account'), marketo).pull
      : [];
  const owner = ownerLink(ctx, sobject, salesforce, marketo);
  return {
    sobject,
    mapping: owner ? { ...mapping, pull: [...mapping.pull, owner] } : mapping,
    links: resolveLinkFields(marketo, ctx.notes.linkFields),
    filterField: hasFilter ? filterField : null,
    accountFields,
  };
}

function selectWhere(setup: PullSetup, where?: string, order = ''): string {
  const fields = new Set(['Id', 'SystemModstamp', ...setup.mapping.pull.map((f) => f.sf)]);
  if (setup.sobject === 'Lead' || setup.sobject === 'Contact') {
    for (const f of ['FirstName', 'LastName']) fields.add(f);
  } else fields.add('Name');
  if (setup.filterField) fields.add(setup.filterField);
  if (setup.sobject === 'Contact') {
    fields.add('AccountId');
    for (const f of setup.accountFields) fields.add(`Account.${f.sf}`);
  }
  // Converted leads are read but not pulled: they are read-only and belong to their contact now.
  // Seeing them here lets the contact's pull reuse the lead's person (Pull Conversions relinks).
  if (setup.sobject === 'Lead') for (const f of ['IsConverted', 'ConvertedContactId']) fields.add(f);
  const conditions = [where].filter(Boolean);
  const clause = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${[...fields].join(', ')} FROM ${setup.sobject}${clause}${order ? ` ${order}` : ''}`;
}

async function retryDue(ctx: StepContext, pull: PullSetup): Promise<void> {
  const setup = { ...pull, retry: true };
  const now = ctx.clock.now();
  const due = await retriesToRun(ctx, 'Pull Updates', now, (r) => r.objectType === ctx.objectType);
  for (const ids of chunks(
    due.map((r) => r.sfId),
    200,
  )) {
    const list = ids.map((id) => `'${id}'`).join(',');
    const found = new Set<string>();
    await stream(ctx, pageSink(ctx, setup), selectWhere(setup, `Id IN (${list})`), (rows) => {
      for (const row of rows) found.add(row.Id);
    });
    // A failed record that is gone (deleted, converted, hidden from the sync user) leaves the retry
    // queue; otherwise it would be asked for again every cycle.
    const gone = ids.filter((id) => !found.has(id));
    if (gone.length) {
      await ctx.commit({
        outcomes: gone.map((sfId) => ({
          sfId,
          outcome: 'excluded',
          reason: 'no longer found in Salesforce by the sync user (deleted, converted or not visible)',
        })),
      });
    }
  }
}
