// Pull Updates (design §5): Salesforce rows changed since the cursor → Marketo persons. Streams
// the delta query a page at a time and handles it in batches of ≤ 300 writes (Marketo's write size): hash
// the mapped values, skip what is unchanged, exclude what the sync filter field excludes, upsert
// the rest by the link field, and commit outcomes + sync state + cursor in one transaction.
// Failed records are retried here too, when their backoff is due.
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
import { chunks, stepsFor } from './common';
import { type CursorOf, type PullRow, type PullSetup, pullAccounts, pullPersons } from './pullBatch';

export const pullUpdates: OperationModule = {
  operation: 'Pull Updates',
  steps: (scope) => stepsFor('Pull Updates', scope, ['Account', 'Lead', 'Contact']),
  async run(ctx) {
    const setup = await pullSetup(ctx);
    const handle = (rows: PullRow[], cursorOf?: CursorOf) =>
      ctx.step.sobject === 'Account'
        ? pullAccounts(ctx, setup, rows, cursorOf)
        : pullPersons(ctx, setup, rows, cursorOf);

    if (ctx.record) {
      for await (const page of ctx.salesforce.query(selectWhere(setup, `Id = '${ctx.record.id}'`))) {
        await handle(page.records as PullRow[]);
      }
      return;
    }
    await retryDue(ctx, setup, handle);
    if (!(await salesforceChanged(ctx, ctx.step.sobject))) return;

    const key = cursorKeys.pull(ctx.step.sobject);
    const cursor = parsePullCursor(await readCursor(ctx.db, key));
    const where = cursor ? `SystemModstamp > ${soqlDateTime(cursor.at - LOOKBACK_MS)}` : undefined;
    let highWater = cursor?.at ?? 0;
    // A row changed in the watermark's own second after this read would carry the same stamp as the
    // rows we saw; the probe can only trust the tie list when the read began in a later second.
    const readSecond = Math.floor(ctx.clock.now() / 1000);
    ctx.budget.check();
    // The batch handler cuts each page into runs of rows holding ≤ 300 writes (not 300 rows read,
    // which would spend a call per 300 rows even when most are skipped) and checkpoints each run:
    // runs come in stream order, so the watermark only ever covers rows already applied.
    const cursorOf: CursorOf = (rows) => {
      for (const row of rows) highWater = Math.max(highWater, parseSalesforceDate(row.SystemModstamp));
      return formatPullCursor(highWater, readSecond > Math.floor(highWater / 1000));
    };
    for await (const page of ctx.salesforce.query(selectWhere(setup, where, 'ORDER BY SystemModstamp, Id'))) {
      ctx.budget.check();
      await handle(page.records as PullRow[], cursorOf);
    }
    if (!cursor && highWater === 0) {
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
    links: resolveLinkFields(marketo, ctx.shared.get('link-fields') as never),
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

async function retryDue(
  ctx: StepContext,
  setup: PullSetup,
  handle: (rows: PullRow[]) => Promise<void>,
): Promise<void> {
  const due = (await dueRetries(ctx.db, ctx.clock.now(), 2000)).filter(
    (r) => r.objectType === ctx.objectType && r.lastOperation === 'Pull Updates',
  );
  for (const ids of chunks(
    due.map((r) => r.sfId),
    200,
  )) {
    ctx.budget.check();
    const list = ids.map((id) => `'${id}'`).join(',');
    const found = new Set<string>();
    for await (const page of ctx.salesforce.query(selectWhere(setup, `Id IN (${list})`))) {
      for (const row of page.records as PullRow[]) found.add(row.Id);
      await handle(page.records as PullRow[]);
    }
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
