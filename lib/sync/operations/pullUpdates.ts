// Pull Updates (design §5): Salesforce rows changed since the cursor → Marketo persons. Streams
// the delta query a page at a time (the next page is fetched while this one is handled): hash the
// mapped values, skip what is unchanged, exclude what the sync filter field excludes, write the
// rest in calls of 300 (personWriter.ts), and commit outcomes + sync state + cursor in one
// transaction per call. Failed records are retried here too, when their backoff is due.
import { isRetryDue } from '../../db/recordFlags';
import { dueRetries } from '../../db/writeBatch';
import { salesforceChanged } from '../changes';
import type { StepContext } from '../context';
import {
  cursorKeys,
  formatPullCursor,
  LOOKBACK_MS,
  parsePullCursor,
  parseSalesforceDate,
  readCursor,
  soqlDateTime,
} from '../cursors';
import { resolveLinkFields } from '../linkage';
import { resolveMapping } from '../mapping';
import type { OperationModule } from '../plan';
import { chunks, readAhead, stepsFor } from './common';
import { PersonWriter, type PullCheckpoint } from './personWriter';
import { pullAccounts } from './pullAccounts';
import type { PullRow, PullSetup } from './pullBatch';

/** Takes a stream's pages one by one; finish() after the last, settle() always (also on failure). */
interface PageSink {
  add(rows: PullRow[]): Promise<void>;
  finish(): Promise<void>;
  settle(): Promise<void>;
  /** SystemModstamp high-water mark of the rows added so far. */
  readonly highWater: number;
}

function pageSink(ctx: StepContext, setup: PullSetup, checkpoint?: PullCheckpoint): PageSink {
  if (setup.sobject !== 'Account') return new PersonWriter(ctx, setup, checkpoint);
  // Accounts: one page, one commit (their writes fan out to persons, see pullAccounts.ts).
  let highWater = checkpoint?.from ?? 0;
  return {
    async add(rows) {
      for (const row of rows) highWater = Math.max(highWater, parseSalesforceDate(row.SystemModstamp));
      await pullAccounts(ctx, setup, rows, checkpoint?.format(highWater));
    },
    finish: async () => {},
    settle: async () => {},
    get highWater() {
      return highWater;
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
  async run(ctx) {
    const setup = await pullSetup(ctx);
    if (ctx.record) {
      const retry = { ...setup, retry: true };
      await stream(ctx, pageSink(ctx, retry), selectWhere(retry, `Id = '${ctx.record.id}'`));
      return;
    }
    await retryDue(ctx, setup);
    if (!(await salesforceChanged(ctx, ctx.step.sobject))) return;

    const key = cursorKeys.pull(ctx.step.sobject);
    const stored = await readCursor(ctx.db, key);
    const cursor = parsePullCursor(stored);
    const where = cursor ? `SystemModstamp > ${soqlDateTime(cursor.at - LOOKBACK_MS)}` : undefined;
    // A row changed in the watermark's own second after this read would carry the same stamp as the
    // rows we saw; the probe can only trust the tie list when the read began in a later second.
    const readSecond = Math.floor(ctx.clock.now() / 1000);
    // The sink checkpoints after each write call, never past a row not yet written: rows come in
    // stream order (SystemModstamp, Id), so the watermark only ever covers rows already applied.
    const sink = pageSink(ctx, setup, {
      key,
      from: cursor?.at ?? 0,
      stored,
      format: (highWater) => formatPullCursor(highWater, readSecond > Math.floor(highWater / 1000)),
    });
    await stream(ctx, sink, selectWhere(setup, where, 'ORDER BY SystemModstamp, Id'));
    if (!cursor && sink.highWater === 0) {
      // Nothing in the object yet: start watching from the second before this read, so the probe
      // does not treat "no cursor" as "changed" cycle after cycle.
      await ctx.commit({
        outcomes: [],
        cursor: { key, value: formatPullCursor((readSecond - 1) * 1000, true) },
      });
    }
  },
};

export async function pullSetup(ctx: StepContext): Promise<PullSetup> {
  const { sobject } = ctx.step;
  const salesforce = await ctx.schema.salesforce(sobject);
  const marketo = await ctx.schema.marketo();
  const mapping = resolveMapping(ctx.settings.objects[sobject], salesforce, marketo);
  const filterField = ctx.settings.syncFilterField;
  const hasFilter =
    !!filterField && sobject !== 'Account' && salesforce.fields.some((f) => f.name === filterField);
  const accountFields =
    sobject === 'Contact' && ctx.settings.objects.Account?.enabled
      ? resolveMapping(ctx.settings.objects.Account, await ctx.schema.salesforce('Account'), marketo).pull
      : [];
  return {
    sobject,
    mapping,
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
  const due = (await dueRetries(ctx.db, now, 2000)).filter(
    (r) => r.objectType === ctx.objectType && isRetryDue(r, 'Pull Updates', now),
  );
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
