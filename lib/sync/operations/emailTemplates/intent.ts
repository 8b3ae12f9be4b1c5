// Push New Email Template's intent row (pushNew.ts): the Marketo emails a create call was for,
// written before the call and cleared with the batch's commit; and what to do with emails it names
// that are no longer approved in the chosen folders when the sync resumes.
import { z } from 'zod';
import type { PackedOutcome } from '../../../db/types';
import type { StepContext } from '../../context';
import { EMAIL_CURSORS, type EmailLink, linkStates } from './links';
import type { EmailScan } from './scan';
import { DELETED_IN_SALESFORCE, saveTemplates, templatesOf } from './templateWrites';

/**
 * Emails an unlogged create was for that are no longer approved in the chosen folders: a template
 * made for one is left inactive (and linked, so it is not made again); the rest leave the intent.
 */
export async function settleLeftovers(ctx: StepContext, scan: EmailScan, emailIds: number[]) {
  const found = await templatesOf(ctx, emailIds);
  const ids = [...found.values()];
  const results = await saveTemplates(
    ctx,
    'update',
    ids.map((Id) => ({ Id, IsActive: false })),
  );
  const outcomes: PackedOutcome[] = [];
  const links: EmailLink[] = [];
  [...found].forEach(([emailId, templateId], i) => {
    outcomes.push({
      sfId: templateId,
      outcome: 'skipped',
      reason: results[i]!.success
        ? 'Its Marketo email was no longer approved in the chosen folders when the sync resumed: the template is left inactive'
        : DELETED_IN_SALESFORCE,
    });
    links.push({
      emailId,
      templateId,
      folder: '',
      approval: 'unapproved',
      active: false,
      owed: true,
      sections: false,
      hashes: {},
    });
  });
  await ctx.commit({
    outcomes,
    states: linkStates(links),
    extraCursors: [{ key: EMAIL_CURSORS.intent, value: null }],
  });
  for (const link of links) scan.links.set(link.emailId, link);
}

const intentSchema = z.array(z.number().int());

export function parseIntent(value: string | undefined): Set<number> {
  if (!value) return new Set();
  const parsed = intentSchema.safeParse(JSON.parse(value));
  if (!parsed.success) throw new Error(`Cursor ${EMAIL_CURSORS.intent}: not a list of Marketo email ids`);
  return new Set(parsed.data);
}
