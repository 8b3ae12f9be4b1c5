// Field-level security changing under the sync (design §3: the sync sees what the sync user may).
// An admin can take the sync user's Read access to a mapped field away at any time. The stored
// describe then still lists the field (it is re-read hourly, and a describe with If-Modified-Since
// would not notice at all: lib/salesforce/describe.ts), so the next query that names the column
// fails as a whole with INVALID_FIELD "No such column 'Title' on entity 'Lead'" — every cycle,
// for ever, if nothing reacts. Here a step reacts: it re-describes the object once, leaves the
// field out of this cycle, says so on its row, and runs again; the other fields keep syncing.
import type { SchemaRow } from '../db/types';
import { SalesforceApiError } from '../salesforce/errors';
import type { ObjectSettings } from '../settings/schema';
import type { StepContext } from './context';

/** The column and entity an INVALID_FIELD query error names, if it is that error. */
export function vanishedColumn(error: unknown): { entity: string; field: string } | undefined {
  if (!(error instanceof SalesforceApiError) || error.errorCode !== 'INVALID_FIELD') return undefined;
  // The message is Salesforce's, with the SOQL and a caret line before it (api-facts A10).
  const match = /No such column '([A-Za-z0-9_]+)' on entity '([A-Za-z0-9_]+)'/.exec(error.message);
  return match ? { field: match[1]!, entity: match[2]! } : undefined;
}

/**
 * Runs `body` (which builds its queries from the cycle's schema each time it starts); when a query
 * says a column is gone, re-describes that object once, drops the column from this cycle's schema
 * if the describe still lists it, and runs `body` again. A column named twice, or any other
 * error, fails the step as before. Safe to repeat: the failing query is the body's first read
 * with that column, and every read of a step uses the same columns, so nothing was written yet.
 */
export async function withVanishedColumns(ctx: StepContext, body: () => Promise<void>): Promise<void> {
  const dropped = new Set<string>();
  const described = new Set<string>();
  for (;;) {
    try {
      await body();
      return;
    } catch (error) {
      const gone = vanishedColumn(error);
      const key = gone && `${gone.entity}.${gone.field}`.toLowerCase();
      if (!gone || !key || dropped.has(key)) throw error;
      dropped.add(key);
      if (!described.has(gone.entity)) {
        described.add(gone.entity);
        ctx.budget.check();
        await ctx.schema.refreshSalesforce(gone.entity);
      }
      ctx.schema.dropForThisCycle(gone.entity, gone.field);
      ctx.warn(unreadableFieldWarning(gone.entity, gone.field));
      ctx.log(
        `${ctx.operation} ${ctx.objectType}: Salesforce says ${gone.entity}.${gone.field} does not exist for the sync user; re-described ${gone.entity} and left the field out of this cycle`,
      );
    }
  }
}

/** Mapped Salesforce fields (of the given directions) the schema does not list: the sync user cannot read them. */
export function unreadableMappedFields(
  object: ObjectSettings | undefined,
  schema: SchemaRow,
  directions: readonly string[] = ['pull', 'push', 'both'],
): string[] {
  const visible = new Set(schema.fields.map((f) => f.name.toLowerCase()));
  return (object?.fields ?? [])
    .filter((m) => directions.includes(m.direction) && !visible.has(m.salesforceField.toLowerCase()))
    .map((m) => m.salesforceField);
}

/** The step-row warning for a mapped field the sync user cannot read. */
export function unreadableFieldWarning(sobject: string, field: string): string {
  return (
    `${sobject}.${field} is mapped but the sync user cannot read it (field-level security, or the field was deleted): ` +
    `left out of this cycle, the other fields still sync. Give the sync user Read access to ${sobject}.${field} ` +
    '(its profile or a permission set) or remove it from the mapping; Test connection on the options page shows what the sync user can read.'
  );
}
