// Push New Email Template (issue 20, docs/email-templates.md): each approved Marketo email of the
// chosen folders that has no template yet becomes a Salesforce email template (custom, active) in
// the chosen Salesforce folder — name, subject, HTML and text. Counted New, or Failed.
//
// Nothing is created twice: each template's unique name is made from its email's id, and before a
// create call an intent row names the emails it is for; a run that meets the row looks their
// templates up by that name and takes over what exists (a create whose answer was lost), and a
// create refused because the name is taken does the same (intent.ts).
//
// Content Salesforce refuses (a merge field left open, a body over 384 KB) still gets its template,
// made inactive and without the content, so the failure has a record to live on: the panel of that
// template says what to change in Marketo, and the content is written (outcome New) once the email
// is approved again or its retry is due (created.ts).
import type { PackedOutcome } from '../../../db/types';
import type { MarketoEmail } from '../../../marketo';
import type { StepContext } from '../../context';
import { readCursor, writeCursor } from '../../cursors';
import type { OperationModule } from '../../plan';
import { chunks } from '../common';
import { oversize, readContent, templateContent, writeError } from './content';
import { createFields, linkFor, makePlaceholders, type Planned, updateContent, written } from './created';
import { parseIntent, settleLeftovers } from './intent';
import { EMAIL_CURSORS, type EmailLink, linkStates } from './links';
import { checkedCursor, type EmailScan, emailScan } from './scan';
import { emailTemplateSteps } from './steps';
import { isDuplicateName, saveTemplates, templatesOf } from './templateWrites';

/** Emails read and written per commit (two content reads each). */
const BATCH = 100;

export const pushNewEmailTemplates: OperationModule = {
  operation: 'Push New',
  steps: (scope) => emailTemplateSteps('Push New', scope),
  async run(ctx) {
    const scan = await emailScan(ctx);
    if (!scan) return;
    const intent = parseIntent(await readCursor(ctx.db, EMAIL_CURSORS.intent));
    const todo = [...scan.approved.values()]
      .filter(({ email }) => {
        const link = scan.links.get(email.id);
        if (!link) return true;
        return link.owed && (email.updatedAt !== link.tried || scan.retries.new.has(link.templateId));
      })
      .sort((a, b) => a.email.id - b.email.id);
    const left = new Set(intent);
    for (const batch of chunks(todo, BATCH)) {
      for (const { email } of batch) left.delete(email.id);
      await writeBatch(ctx, scan, batch, intent, left);
    }
    if (left.size) await settleLeftovers(ctx, scan, [...left]);
    if (scan.updatesDone)
      await ctx.commit({ outcomes: [], extraCursors: [checkedCursor(scan, ctx.settings)] });
  },
};

async function writeBatch(
  ctx: StepContext,
  scan: EmailScan,
  batch: { email: MarketoEmail; folder: string }[],
  intent: ReadonlySet<number>,
  left: ReadonlySet<number>,
) {
  const unlinked = batch.filter(({ email }) => intent.has(email.id) && !scan.links.has(email.id));
  const found = unlinked.length
    ? await templatesOf(
        ctx,
        unlinked.map(({ email }) => email.id),
      )
    : new Map();
  const planned: Planned[] = [];
  for (const { email, folder } of batch) {
    const link = scan.links.get(email.id);
    const content = await readContent(ctx, email.id, link?.sections ?? false);
    if (!content) continue; // gone since the browse: the next check sees what became of it
    const fields = templateContent(email, content);
    const templateId = link?.templateId ?? found.get(email.id);
    const refused = content.unreadable ?? oversize(fields);
    planned.push({
      checkAt: scan.at,
      email,
      folder,
      content: fields,
      sections: content.sections,
      ...(templateId && { templateId }),
      ...(refused && { refused }),
    });
  }
  const outcomes: PackedOutcome[] = [];
  const links: EmailLink[] = [];
  const toCreate = planned.filter((p) => !p.templateId && !p.refused);
  const toUpdate = planned.filter((p) => p.templateId);
  const placeholders = planned.filter((p) => !p.templateId && p.refused);
  const creating = [...toCreate, ...placeholders].map((p) => p.email.id);
  if (creating.length)
    await writeCursor(
      ctx.db,
      EMAIL_CURSORS.intent,
      JSON.stringify([...new Set([...left, ...creating])]),
      ctx.clock.now(),
    );
  const results = await saveTemplates(
    ctx,
    'create',
    toCreate.map((p) => createFields(ctx, p)),
  );
  const taken: Planned[] = [];
  toCreate.forEach((p, i) => {
    const result = results[i]!;
    if (result.success && result.id) {
      outcomes.push(written(p, result.id, createFields(ctx, p)));
      links.push(linkFor(p, result.id, false));
    } else if (isDuplicateName(result)) taken.push(p);
    else placeholders.push({ ...p, refused: writeError(result) });
  });
  if (taken.length) {
    const existing = await templatesOf(
      ctx,
      taken.map((p) => p.email.id),
    );
    for (const p of taken) {
      const id = existing.get(p.email.id);
      if (id) toUpdate.push({ ...p, templateId: id });
    }
  }
  await updateContent(ctx, toUpdate, outcomes, links);
  await makePlaceholders(ctx, placeholders, outcomes, links);
  await ctx.commit({
    outcomes,
    states: linkStates(links),
    extraCursors: [{ key: EMAIL_CURSORS.intent, value: left.size ? JSON.stringify([...left]) : null }],
  });
  for (const link of links) scan.links.set(link.emailId, link);
}
