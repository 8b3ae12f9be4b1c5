// Test/demo hooks for email assets (control method `mkEmail`): what a Marketo user does in the UI —
// make a folder, write an email, edit it (a draft), approve, unapprove, move, delete (unapproving
// first, as the UI asks) — and a read of the store for assertions. One command per call.
import {
  type EmailSection,
  type EmailStore,
  type EmailVersion,
  type FolderRef,
  fullHtml,
  fullText,
  type StoredEmail,
} from './emailStore';

/** Content as tests write it: one section (`html`, `text`) or several. */
export interface EmailContentInput {
  subject?: string;
  fromName?: string;
  fromEmail?: string;
  replyEmail?: string;
  html?: string;
  /** The text version; the HTML with its tags removed when absent. */
  text?: string;
  sections?: EmailSection[];
}

export type EmailCommand =
  | { action: 'createFolder'; name: string; parentId?: number }
  | ({
      action: 'create';
      name: string;
      folder: FolderRef;
      /** Email Editor version; 1 by default. */
      version?: 1 | 2;
      /** Approved at once (default), or left a draft. */
      approved?: boolean;
    } & EmailContentInput)
  | ({ action: 'edit'; id: number } & EmailContentInput)
  | { action: 'approve' | 'unapprove' | 'discardDraft' | 'delete'; id: number }
  | { action: 'move'; id: number; folder: FolderRef }
  | { action: 'setAbTest'; id: number; abTest: boolean }
  /** The marketer adds Predictive Content to the email (after its approval, as content reads see it). */
  | { action: 'setPredictive'; id: number; predictive: boolean }
  | { action: 'list' };

export interface EmailView {
  id: number;
  name: string;
  folder: FolderRef;
  version: 1 | 2;
  status: 'approved' | 'approved with draft' | 'draft';
  approved?: { subject: string; html: string; text: string; updatedAt: number };
  draft?: { subject: string; html: string; text: string; updatedAt: number };
}

/** `id` of the folder or email acted on; `emails` for `list`. */
export interface EmailCommandResult {
  id?: number;
  emails?: EmailView[];
}

const stripTags = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

function sectionsOf(input: EmailContentInput, fallback?: EmailSection[]): EmailSection[] {
  if (input.sections) return input.sections;
  if (input.html === undefined && input.text === undefined && fallback) return fallback;
  const html = input.html ?? '';
  return [{ htmlId: 'edit_text_1', html, text: input.text ?? stripTags(html) }];
}

function contentOf(input: EmailContentInput): Omit<EmailVersion, 'updatedAt'> {
  return {
    subject: input.subject ?? '',
    fromName: input.fromName ?? 'Marketing Team',
    fromEmail: input.fromEmail ?? 'marketing@example.com',
    replyEmail: input.replyEmail ?? 'marketing@example.com',
    sections: sectionsOf(input),
  };
}

function view(email: StoredEmail): EmailView {
  const show = (v: EmailVersion) => ({
    subject: v.subject,
    html: fullHtml(email, v),
    text: fullText(v),
    updatedAt: v.updatedAt,
  });
  return {
    id: email.id,
    name: email.name,
    folder: { ...email.folder },
    version: email.version,
    status: email.approved ? (email.draft ? 'approved with draft' : 'approved') : 'draft',
    ...(email.approved && { approved: show(email.approved) }),
    ...(email.draft && { draft: show(email.draft) }),
  };
}

export function runEmailCommand(store: EmailStore, command: EmailCommand): EmailCommandResult {
  switch (command.action) {
    case 'createFolder':
      return { id: store.createFolder(command).id };
    case 'create':
      return {
        id: store.createEmail({
          name: command.name,
          folder: command.folder,
          ...(command.version && { version: command.version }),
          content: contentOf(command),
          approved: command.approved ?? true,
        }).id,
      };
    case 'edit': {
      const current = store.get(command.id);
      const base = current.draft ?? current.approved!;
      const patch: Partial<Omit<EmailVersion, 'updatedAt'>> = {
        sections: sectionsOf(command, base.sections),
      };
      if (command.subject !== undefined) patch.subject = command.subject;
      if (command.fromName !== undefined) patch.fromName = command.fromName;
      if (command.fromEmail !== undefined) patch.fromEmail = command.fromEmail;
      if (command.replyEmail !== undefined) patch.replyEmail = command.replyEmail;
      store.editDraft(command.id, patch);
      return { id: command.id };
    }
    case 'approve':
      store.approve(command.id);
      return { id: command.id };
    case 'unapprove':
      store.unapprove(command.id);
      return { id: command.id };
    case 'discardDraft':
      store.discardDraft(command.id);
      return { id: command.id };
    case 'delete':
      if (store.get(command.id).approved) store.unapprove(command.id);
      store.delete(command.id);
      return { id: command.id };
    case 'move':
      store.move(command.id, command.folder);
      return { id: command.id };
    case 'setAbTest':
      store.get(command.id).abTest = command.abTest;
      return { id: command.id };
    case 'setPredictive':
      store.get(command.id).predictive = command.predictive;
      return { id: command.id };
    case 'list':
      return { emails: [...store.emails.values()].map(view) };
  }
}
