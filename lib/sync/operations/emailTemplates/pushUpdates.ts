// Push Updates Email Template (issue 20, docs/email-templates.md): a template follows its Marketo
// email. An email approved again with other content updates its template (name, subject, HTML,
// text) and makes it active again; an email unapproved, deleted, or moved out of the chosen folders
// makes its template inactive (IsActive = false: the admin's template is never deleted). Counted
// Updated, Failed, or Skipped (approved again with the same content; the template deleted in
// Salesforce). Templates of a folder no longer chosen are left as they are.
import type { PackedOutcome, RecordError } from '../../../db/types';
import type { MarketoEmail } from '../../../marketo';
import type { StepContext } from '../../context';
import type { OperationModule } from '../../plan';
import { chunks } from '../common';
import {
  contentHashes,
  loggedChanges,
  oversize,
  readContent,
  type TemplateContent,
  templateContent,
  writeError,
} from './content';
import { type Approval, CONTENT_FIELDS, type EmailLink, linkStates, writtenMark } from './links';
import { type EmailScan, emailScan } from './scan';
import { emailTemplateSteps } from './steps';
import { DELETED_IN_SALESFORCE, isDeleted, saveTemplates } from './templateWrites';

const BATCH = 100;

interface Work {
  link: EmailLink;
  /** The email as approved now in a chosen folder; absent when it is not any more. */
  found?: { email: MarketoEmail; folder: string };
}

export const pushUpdateEmailTemplates: OperationModule = {
  operation: 'Push Updates',
  steps: (scope) => emailTemplateSteps('Push Updates', scope),
  async run(ctx) {
    const scan = await emailScan(ctx);
    if (!scan) return;
    const work: Work[] = [];
    const moved: EmailLink[] = [];
    for (const link of scan.links.values()) {
      if (link.owed) continue; // Push New still owes its content
      const found = scan.approved.get(link.emailId);
      // Deleted in Salesforce: tried again only when the email changes (the admin may undelete it).
      if (link.gone && (!found || found.email.updatedAt === link.tried)) continue;
      if (!found) {
        if (link.active && scan.folders.has(link.folder)) work.push({ link });
        continue;
      }
      const wanted = found.email.updatedAt !== link.written || !link.active;
      // A version that failed is tried again when its retry is due, or once approved again.
      const failedVersion =
        found.email.updatedAt === link.tried && link.written?.replace(/\*$/, '') !== link.tried;
      const held = failedVersion && !scan.retries.updates.has(link.templateId);
      if (wanted && !held) work.push({ link, found });
      else if (found.folder !== link.folder) moved.push({ ...link, folder: found.folder });
    }
    if (moved.length) await commit(ctx, scan, [], moved);
    for (const batch of chunks(work, BATCH)) await updateBatch(ctx, scan, batch);
    scan.updatesDone = true;
  },
};

async function commit(ctx: StepContext, scan: EmailScan, outcomes: PackedOutcome[], links: EmailLink[]) {
  await ctx.commit({ outcomes, states: linkStates(links) });
  for (const link of links) scan.links.set(link.emailId, link);
}

/** Why a synced email is no longer approved in the chosen folders: one read of the email. */
async function approvalOf(ctx: StepContext, emailId: number): Promise<Approval> {
  ctx.budget.check();
  const email = await ctx.marketo.emails.get(emailId);
  if (!email) return 'deleted';
  return email.status === 'approved' || email.status === true ? 'moved' : 'unapproved';
}

interface Update {
  link: EmailLink;
  name: string;
  fields: Record<string, unknown> & { Id: string };
  next: EmailLink;
}

async function updateBatch(ctx: StepContext, scan: EmailScan, batch: Work[]) {
  const outcomes: PackedOutcome[] = [];
  const links: EmailLink[] = [];
  const updates: Update[] = [];
  for (const { link, found } of batch) {
    if (!found) {
      const approval = await approvalOf(ctx, link.emailId);
      // Without a version tried: approved (or moved back) again, it is written whatever its date.
      const { tried: _tried, ...rest } = link;
      const next: EmailLink = { ...rest, approval, active: false };
      updates.push({ link, name: '', fields: { Id: link.templateId, IsActive: false }, next });
      continue;
    }
    const { email, folder } = found;
    const content = await readContent(ctx, email.id, link.sections);
    if (!content) continue; // gone since the browse: the next check sees what became of it
    const fields = templateContent(email, content);
    const refused = content.unreadable ?? oversize(fields);
    const base: EmailLink = { ...link, folder, tried: email.updatedAt, sections: content.sections };
    if (refused) {
      outcomes.push(failure(link, email.name, refused));
      links.push(base);
      continue;
    }
    const hashes = contentHashes(fields);
    const differing = CONTENT_FIELDS.filter((f) => hashes[f] !== link.hashes[f]);
    const next: EmailLink = {
      ...base,
      written: writtenMark(email.updatedAt, scan.at),
      approval: 'approved',
      active: true,
      gone: false,
      hashes,
    };
    if (differing.length === 0 && link.active) {
      // The second check of a version read in its own second (writtenMark): nothing to say.
      if (link.written?.endsWith('*')) {
        links.push(next);
        continue;
      }
      outcomes.push({
        sfId: link.templateId,
        name: email.name,
        outcome: 'skipped',
        reason: 'Approved again in Marketo with the same name, subject and content: nothing to write',
      });
      links.push(next);
      continue;
    }
    const values: Record<string, unknown> & { Id: string } = { Id: link.templateId };
    for (const f of differing) values[f] = (fields as TemplateContent)[f];
    if (!link.active) values.IsActive = true;
    updates.push({ link, name: email.name, fields: values, next });
  }
  const results = await saveTemplates(
    ctx,
    'update',
    updates.map((u) => u.fields),
  );
  updates.forEach((u, i) => {
    const result = results[i]!;
    const name = u.name || undefined;
    if (result.success) {
      const changes = loggedChanges(u.fields).map((c) =>
        c.field === 'IsActive' ? { ...c, old: !c.new } : c,
      );
      outcomes.push({ sfId: u.link.templateId, ...(name && { name }), outcome: 'updated', changes });
      links.push(u.next);
    } else if (isDeleted(result)) {
      outcomes.push({
        sfId: u.link.templateId,
        ...(name && { name }),
        outcome: 'skipped',
        reason: DELETED_IN_SALESFORCE,
      });
      links.push({ ...u.link, tried: u.next.tried, approval: u.next.approval, gone: true });
    } else {
      outcomes.push(failure(u.link, name, writeError(result)));
      // The version tried is kept, not the one written: it is tried again when due, or when approved again.
      links.push({ ...u.link, tried: u.next.tried, approval: u.next.approval });
    }
  });
  await commit(ctx, scan, outcomes, links);
}

function failure(link: EmailLink, name: string | undefined, error: RecordError): PackedOutcome {
  return { sfId: link.templateId, ...(name && { name }), outcome: 'failed', error };
}
