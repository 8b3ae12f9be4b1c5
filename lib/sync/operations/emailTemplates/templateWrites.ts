// The Salesforce side of the email template steps: writes in calls of at most 200 (sObject
// Collections) with the budget checked before each, and the lookup of templates by their unique
// name, which finds what a create whose answer was lost did make.
import type { SaveResult } from '../../../salesforce/collections';
import { inList } from '../../../salesforce/soql';
import type { StepContext } from '../../context';
import { chunks } from '../common';
import { developerNameOf } from './content';

export async function saveTemplates(
  ctx: StepContext,
  kind: 'create' | 'update',
  records: readonly Record<string, unknown>[],
): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (const batch of chunks(records, 200)) {
    ctx.budget.check();
    results.push(
      ...(kind === 'create'
        ? await ctx.salesforce.create('EmailTemplate', batch)
        : await ctx.salesforce.update(
            'EmailTemplate',
            batch as (Record<string, unknown> & { Id: string })[],
          )),
    );
  }
  return results;
}

/** The templates that exist for these Marketo emails (by DeveloperName), email id → template id. */
export async function templatesOf(
  ctx: StepContext,
  emailIds: readonly number[],
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const byName = new Map(emailIds.map((id) => [developerNameOf(id).toLowerCase(), id]));
  for (const batch of chunks(emailIds, 200)) {
    ctx.budget.check();
    const where = inList('DeveloperName', batch.map(developerNameOf));
    for await (const page of ctx.salesforce.query(
      `SELECT Id, DeveloperName FROM EmailTemplate WHERE ${where.soql}`,
    )) {
      for (const row of page.records as { Id: string; DeveloperName: string }[]) {
        const emailId = byName.get(row.DeveloperName.toLowerCase());
        if (emailId !== undefined) found.set(emailId, row.Id);
      }
    }
  }
  return found;
}

/** A create refused because the template exists already (its unique name is taken). */
export const isDuplicateName = (result: SaveResult) =>
  result.errors.some(
    (e) =>
      e.statusCode === 'DUPLICATE_DEVELOPER_NAME' ||
      (e.statusCode === 'DUPLICATE_VALUE' && (e.fields ?? []).includes('DeveloperName')),
  );

/** The template was deleted in Salesforce (by an admin): it is not made again. */
export const isDeleted = (result: SaveResult) =>
  result.errors.some((e) => e.statusCode === 'ENTITY_IS_DELETED');

export const DELETED_IN_SALESFORCE =
  'The template was deleted in Salesforce; the sync does not make it again. Undelete it (Recycle Bin) to keep it in step with Marketo.';
