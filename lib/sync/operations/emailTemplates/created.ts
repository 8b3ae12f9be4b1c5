// What Push New Email Template writes for an email (pushNew.ts): the template's fields, its outcome
// and link; the content of a template that exists already (made without it, or found after a lost
// answer); and the inactive template an email whose content Salesforce refuses still gets.
import type { PackedOutcome, RecordError } from '../../../db/types';
import type { MarketoEmail } from '../../../marketo';
import type { StepContext } from '../../context';
import { contentHashes, developerNameOf, loggedChanges, type TemplateContent, writeError } from './content';
import { type EmailLink, writtenMark } from './links';
import { DELETED_IN_SALESFORCE, isDeleted, saveTemplates } from './templateWrites';

export interface Planned {
  /** When the check that found the email began (writtenMark). */
  checkAt: number;
  email: MarketoEmail;
  folder: string;
  content: TemplateContent;
  sections: boolean;
  /** The template this email has already (a placeholder, or found after a lost answer). */
  templateId?: string;
  /** Content Salesforce will refuse, found before any call. */
  refused?: RecordError;
}

export function createFields(ctx: StepContext, p: Planned): Record<string, unknown> {
  return {
    Name: p.content.Name,
    DeveloperName: developerNameOf(p.email.id),
    FolderId: ctx.settings.emailTemplates.salesforceFolderId,
    TemplateType: 'custom',
    Subject: p.content.Subject,
    HtmlValue: p.content.HtmlValue,
    Body: p.content.Body,
    IsActive: true,
    Description: `Marketo email ${p.email.id}, kept in step with its approved version by the sync: edit it in Marketo.`,
  };
}

export const written = (p: Planned, templateId: string, fields: Record<string, unknown>): PackedOutcome => ({
  sfId: templateId,
  name: p.email.name,
  outcome: 'new',
  changes: loggedChanges(fields),
});

export function linkFor(p: Planned, templateId: string, owed: boolean): EmailLink {
  return {
    emailId: p.email.id,
    templateId,
    folder: p.folder,
    ...(!owed && { written: writtenMark(p.email.updatedAt, p.checkAt) }),
    tried: p.email.updatedAt,
    approval: 'approved',
    active: !owed,
    owed,
    sections: p.sections,
    hashes: owed ? {} : contentHashes(p.content),
  };
}

/** Templates that exist without their content (or whose create answer was lost): the content now. */
export async function updateContent(
  ctx: StepContext,
  items: Planned[],
  outcomes: PackedOutcome[],
  links: EmailLink[],
) {
  const sendable = items.filter((p) => !p.refused);
  for (const p of items.filter((p) => p.refused)) {
    outcomes.push({ sfId: p.templateId!, name: p.email.name, outcome: 'failed', error: p.refused! });
    links.push(linkFor(p, p.templateId!, true));
  }
  const records = sendable.map((p) => {
    const { DeveloperName: _name, FolderId: _folder, TemplateType: _type, ...fields } = createFields(ctx, p);
    return { Id: p.templateId!, ...fields };
  });
  const results = await saveTemplates(ctx, 'update', records);
  sendable.forEach((p, i) => {
    const result = results[i]!;
    if (result.success) {
      outcomes.push(written(p, p.templateId!, records[i]!));
      links.push(linkFor(p, p.templateId!, false));
    } else if (isDeleted(result)) {
      outcomes.push({
        sfId: p.templateId!,
        name: p.email.name,
        outcome: 'skipped',
        reason: DELETED_IN_SALESFORCE,
      });
      links.push({ ...linkFor(p, p.templateId!, true), active: false });
    } else {
      outcomes.push({
        sfId: p.templateId!,
        name: p.email.name,
        outcome: 'failed',
        error: writeError(result),
      });
      links.push(linkFor(p, p.templateId!, true));
    }
  });
}

/**
 * Emails whose content Salesforce refuses get an inactive template without it, and the refusal as
 * their outcome. When even that is refused, the folder or the sync user's access is wrong for every
 * template: the step fails saying so (the next check tries again).
 */
export async function makePlaceholders(
  ctx: StepContext,
  items: Planned[],
  outcomes: PackedOutcome[],
  links: EmailLink[],
) {
  const records = items.map((p) => ({
    Name: p.content.Name,
    DeveloperName: developerNameOf(p.email.id),
    FolderId: ctx.settings.emailTemplates.salesforceFolderId,
    TemplateType: 'custom',
    IsActive: false,
    Description: `Marketo email ${p.email.id}: Salesforce refused its content (${p.refused!.code}); the record panel says what to change in Marketo.`,
  }));
  const results = await saveTemplates(ctx, 'create', records);
  items.forEach((p, i) => {
    const result = results[i]!;
    if (!result.success || !result.id) {
      const folder =
        ctx.settings.emailTemplates.salesforceFolderName || ctx.settings.emailTemplates.salesforceFolderId;
      throw new Error(
        `Salesforce refused to create email templates in the folder ${folder}: ${writeError(result).message}. Check the folder (Options → Email templates) and the sync user's access to it.`,
      );
    }
    outcomes.push({ sfId: result.id, name: p.email.name, outcome: 'failed', error: p.refused! });
    links.push(linkFor(p, result.id, true));
  });
}
